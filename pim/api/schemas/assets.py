"""Assets, their versions and link rules, channel image presets, and Akeneo media files."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from pim.api.schemas.common import Href, Loose, SelfLink, Strict, flag

LINKS = {"data_key": "_links"}
BINARY = {"type": "string", "format": "binary"}


def _texts(**kwargs: object) -> fields.Dict:
    return fields.Dict(keys=fields.String(), values=fields.String(allow_none=True), **kwargs)


class AssetQuery(Loose):
    """Paging and filters of the asset list."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1),
                           metadata={"maximum": 100})
    with_count = fields.Boolean(load_default=False)
    pagination_type = fields.String(load_default="page",
                                    validate=validate.OneOf(["page", "search_after"]))
    search_after = fields.String(metadata={"description": "the last code of the page before"})
    text = fields.String(metadata={"description": "words of the code, titles, alt texts, "
                                                  "tags, file name or metadata"})
    media_type = fields.String(metadata={"description": "image/jpeg, or image/* for all"})
    tag = fields.String()


class AssetUpload(Schema):
    """A multipart upload: the file, and optionally code, tags, titles and alt texts."""

    file = fields.Raw(required=True, metadata=BINARY)
    code = fields.String(metadata={"description": "default: made from the file name"})
    tags = fields.String(metadata={"description": "comma-separated"})
    title = fields.String(metadata={"description": 'JSON {"en_US": "..."}'})
    alt_text = fields.String(metadata={"description": 'JSON {"en_US": "..."}'})


class BulkAssetUpload(Schema):
    """A multipart upload of a zip archive, with tags for every new asset."""

    file = fields.Raw(required=True, metadata=BINARY)
    tags = fields.String(metadata={"description": "comma-separated"})
    link = fields.String(metadata={"description": "true (default) or false: apply the link "
                                                  "rules"})


class FileUpload(Schema):
    """A multipart upload of one file."""

    file = fields.Raw(required=True, metadata=BINARY)


class FocalPoint(Schema):
    x = fields.Float(required=True, validate=validate.Range(min=0, max=1))
    y = fields.Float(required=True, validate=validate.Range(min=0, max=1))


class AssetPatch(Strict):
    """What can be edited: titles and alt texts per locale, tags, focal point."""

    title = _texts()
    alt_text = _texts()
    tags = fields.List(fields.String())
    focal_point = fields.Nested(FocalPoint, allow_none=True)


class StoredFileOut(Schema):
    key = fields.String(required=True)
    media_type = fields.String(required=True)
    extension = fields.String(required=True)
    size = fields.Integer(required=True)
    sha256 = fields.String(required=True)
    width = fields.Integer(required=True, allow_none=True)
    height = fields.Integer(required=True, allow_none=True)
    metadata = fields.Dict(required=True, metadata={"description": "EXIF, IPTC and XMP"})


class DownloadLinks(Schema):
    self = fields.Nested(Href)
    download = fields.Nested(Href, required=True)


class AssetVersionOut(Schema):
    _links = fields.Nested(DownloadLinks, required=True, **LINKS)
    number = fields.Integer(required=True)
    filename = fields.String(required=True)
    author = fields.String(required=True, allow_none=True)
    created = fields.String(required=True, allow_none=True)
    file = fields.Nested(StoredFileOut, required=True)


class UsageOut(Schema):
    owner = fields.String(required=True)
    code = fields.String(required=True)
    attribute = fields.String(required=True)
    locale = fields.String(required=True, allow_none=True)
    scope = fields.String(required=True, allow_none=True)


class AssetLinks(Schema):
    self = fields.Nested(Href, required=True)
    download = fields.Nested(Href, required=True)
    renditions = fields.Nested(Href, required=True)


class AssetOut(Schema):
    """An asset: texts, tags, focal point, its current file with metadata, its versions
    and (one asset) the values holding it."""

    _links = fields.Nested(AssetLinks, required=True, **LINKS)
    code = fields.String(required=True)
    title = _texts(required=True)
    alt_text = _texts(required=True)
    tags = fields.List(fields.String(), required=True)
    focal_point = fields.Nested(FocalPoint, required=True, allow_none=True)
    current_version = fields.Integer(required=True)
    created = fields.String(required=True, allow_none=True)
    updated = fields.String(required=True, allow_none=True)
    file = fields.Nested(StoredFileOut, required=True)
    versions = fields.List(fields.Nested(AssetVersionOut))
    used_by = fields.List(fields.Nested(UsageOut))


class LinkOutcomeOut(Schema):
    identifier = fields.String(required=True)
    attribute = fields.String(required=True)
    asset = fields.String(required=True)
    position = fields.Integer(required=True, allow_none=True)
    locale = fields.String(required=True, allow_none=True)
    rule = fields.String(required=True)
    filename = fields.String(required=True)
    owner = fields.String(required=True, allow_none=True)
    status = fields.String(required=True)
    message = fields.String(required=True)


class LinkReportOut(Schema):
    linked = fields.Integer(required=True)
    unchanged = fields.Integer(required=True)
    failed = fields.Integer(required=True)
    changeset_id = fields.String(required=True, allow_none=True)
    outcomes = fields.List(fields.Nested(LinkOutcomeOut), required=True)
    truncated = fields.Boolean(required=True)


class UploadOut(AssetOut):
    """The new asset (or version) and what the link rules did with it."""

    links = fields.Nested(LinkReportOut, required=True)


class LinkRuleIn(Strict):
    """A link rule: a file name pattern and the attribute it fills."""

    code = fields.String()
    pattern = fields.String(metadata={"description": "{identifier}_{position}.jpg, or "
                                                     "{identifier}/{attribute}/{*}"})
    attribute = fields.String(allow_none=True)
    enabled = flag()
    sort_order = fields.Integer()
    _links = fields.Raw(**LINKS)


class LinkRuleOut(Schema):
    _links = fields.Nested(SelfLink, required=True, **LINKS)
    code = fields.String(required=True)
    pattern = fields.String(required=True)
    attribute = fields.String(required=True)
    enabled = fields.Boolean(required=True)
    sort_order = fields.Integer(required=True)


class LinkRunIn(Strict):
    """Which rules (default: the enabled ones) and which assets (default: all)."""

    rules = fields.List(fields.String())
    assets = fields.List(fields.String(), allow_none=True)


class PresetsIn(Strict):
    """The presets a channel names itself; its exporter's apply to the other fields."""

    image_presets = fields.Dict(keys=fields.String(), values=fields.String(), required=True)


class PresetsOut(Schema):
    channel = fields.String(required=True)
    exporter = fields.String(required=True, allow_none=True)
    image_presets = fields.Dict(keys=fields.String(), values=fields.String(), required=True,
                                metadata={"description": "what each image field uses"})
    own = fields.Dict(keys=fields.String(), values=fields.String(), required=True,
                      metadata={"description": "what the channel names itself"})
    recommended = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    rules = fields.Dict(keys=fields.String(), values=fields.String(), required=True,
                        metadata={"description": "the channel's published image rules"})


class MediaFileUpload(Schema):
    """Akeneo's media file upload: the file and the product (or product model) value."""

    file = fields.Raw(required=True, metadata=BINARY)
    product = fields.String(metadata={"description": 'JSON {"identifier", "attribute", '
                                                     '"locale", "scope"}'})
    product_model = fields.String(metadata={"description": 'JSON {"code", "attribute", '
                                                           '"locale", "scope"}'})


class MediaFileOut(Schema):
    """A media file, as Akeneo describes one."""

    _links = fields.Nested(DownloadLinks, required=True, **LINKS)
    code = fields.String(required=True)
    original_filename = fields.String(required=True)
    mime_type = fields.String(required=True)
    size = fields.Integer(required=True)
    extension = fields.String(required=True)
