"""Fixtures of the asset-to-catalog tests: a small catalog, a storage, ingest rules."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pytest

from assets.ingest import ingest_upload
from assets.models import Asset
from assets.policy import IngestPolicy
from assets.storage import Storage, open_storage
from tests.assets.images import image_bytes
from tests.builders import small_catalog


@pytest.fixture()
def catalog(session):
    small_catalog(session)
    return session


@pytest.fixture()
def local_storage(tmp_path: Path) -> Storage:
    return open_storage((tmp_path / "media").as_uri())


@pytest.fixture()
def policy() -> IngestPolicy:
    return IngestPolicy(max_bytes=5 * 1024 * 1024, max_pixels=4_000_000)


def add_asset(session, storage: Storage, policy: IngestPolicy, name: str,
              data: bytes | None = None, **fields) -> Asset:
    """Ingest one asset (a small distinct JPEG unless `data` is given)."""
    if data is None:
        seed = zlib.crc32(name.encode())
        data = image_bytes(color=(seed % 256, seed // 256 % 256, seed // 65536 % 256))
    return ingest_upload(session, storage, io.BytesIO(data), name, policy=policy, **fields)
