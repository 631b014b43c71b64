"""Digital assets: storage on disk or S3, safe ingest with metadata, versions, renditions.

`init_app(app)` opens the configured storage into `app.extensions["prism.storage"]` and
the ingest rules into `app.extensions["prism.ingest_policy"]`; the services in
`assets.services`, `assets.ingest` and `assets.renditions` take a Session and the storage.
"""

from __future__ import annotations

from typing import Any

from assets.policy import IngestPolicy
from assets.storage import Storage, open_storage


def init_app(app: Any) -> None:
    """Open the app's storage and ingest policy from its settings (no network is touched)."""
    config = app.config
    app.extensions["prism.storage"] = open_storage(
        config["STORAGE_URL"],
        endpoint_url=config.get("S3_ENDPOINT_URL"),
        region=config.get("S3_REGION"),
    )
    app.extensions["prism.ingest_policy"] = IngestPolicy.from_config(config)


__all__ = ["IngestPolicy", "Storage", "init_app", "open_storage"]
