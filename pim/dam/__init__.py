"""The asset library joined to the catalog: links applied to products, uploads that link,
channel image presets, asset usage, Akeneo media files, and the asset jobs.

Services (each takes a Session first):
- `pim.dam.uploads`: `upload_asset`, `replace_asset_file`, `ingest_path`, `link_new_assets`
- `pim.dam.linking`: `apply_links`, `link_assets`, `insert_code`, `LinkReport`
- `pim.dam.presets`: `channel_presets`, `check_presets`, `save_image_presets`,
  `recommended_presets`, `image_fields`
- `pim.dam.usage`: `asset_usage`, `channel_asset_codes`, `remove_asset`
- `pim.dam.media_files`: `media_file_key`, `attach_media_file`, `get_media_file`,
  `list_media_files`, `original_filename`
- `pim.dam.jobs`: `start_ingest`, `start_linking`, `start_pregenerate` (job kinds
  `assets.ingest_zip`, `assets.link`, `assets.pregenerate`)
"""
