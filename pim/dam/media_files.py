"""Media files: the bytes behind image and file values, as Akeneo's /media-files has them.

A media file key is the storage key of the stored file, `originals/ab/cd/<sha256>.jpg`:
content-addressed (the same bytes always get the same key and are stored once), never
reused for other bytes, ending with the extension of the file's real type (so an
attribute's allowed extensions apply), and served by the media blueprint at
`/media/files/<key>` and by the API at `/api/rest/v1/media-files/<key>/download`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, BinaryIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assets.ingest import ingest_file
from assets.models import AssetVersion, StoredFile
from assets.policy import IngestPolicy
from assets.staging import drop_orphans
from assets.storage import Storage
from pim.catalog import services as s
from pim.errors import FieldError, NotFound, ValidationError

FILE_TYPES = ("pim_catalog_image", "pim_catalog_file")


def media_file_key(stored: StoredFile) -> str:
    """Return the key an image or file value holds for these stored bytes."""
    return stored.storage_key


def get_media_file(session: Session, key: str) -> StoredFile:
    """Return the stored file behind a media file key, or raise NotFound."""
    stored = session.scalar(select(StoredFile).where(StoredFile.storage_key == key))
    if stored is None:
        raise NotFound("media file", key)
    return stored


def list_media_files(session: Session, *, offset: int = 0, limit: int = 100
                     ) -> list[StoredFile]:
    """List stored files, oldest first."""
    query = select(StoredFile).order_by(StoredFile.id).offset(max(0, offset))
    return list(session.scalars(query.limit(max(1, limit))))


def count_media_files(session: Session) -> int:
    """Count the stored files."""
    return session.scalar(select(func.count(StoredFile.id))) or 0


def original_filename(session: Session, stored: StoredFile) -> str:
    """The name the file was first uploaded under as an asset, else its key's name."""
    name = session.scalar(select(AssetVersion.filename).where(AssetVersion.file_id == stored.id)
                          .order_by(AssetVersion.id).limit(1))
    return PurePosixPath(name).name if name else PurePosixPath(stored.storage_key).name


@dataclass(frozen=True)
class MediaTarget:
    """The value a media file goes to: owner, attribute, locale and channel."""

    owner: str  # "product" or "product_model"
    code: str   # product identifier or product model code
    attribute: str
    locale: str | None = None
    scope: str | None = None


def attach_media_file(
    session: Session, storage: Storage, stream: BinaryIO, filename: str, target: MediaTarget,
    *, policy: IngestPolicy, author: str, source: str,
) -> StoredFile:
    """Store an upload and set it as a product's (or model's) value; nothing stays on error."""
    _check_target(session, target)
    key = None
    try:
        stored = ingest_file(session, storage, stream, filename, policy=policy, commit=False)
        key = media_file_key(stored)
        entry = {"locale": target.locale, "scope": target.scope, "data": key}
        data = {"values": {target.attribute: [entry]}}
        stamp: dict[str, Any] = {"author": author, "source": source, "commit": False}
        if target.owner == "product":
            s.update_product(session, target.code, data, **stamp)
        else:
            s.update_product_model(session, target.code, data, **stamp)
        session.commit()
    except BaseException:
        session.rollback()
        if key is not None:
            drop_orphans(session, storage, [key])  # new bytes go; bytes others use stay
        raise
    return stored


def _check_target(session: Session, target: MediaTarget) -> None:
    owner = "product" if target.owner == "product" else "product_model"
    get = s.get_product if target.owner == "product" else s.get_product_model
    errors = []
    try:
        get(session, target.code)
    except NotFound as exc:
        errors.append(FieldError(owner, exc.message, value=target.code))
    try:
        attribute = s.get_attribute(session, target.attribute)
    except NotFound as exc:
        errors.append(FieldError(f"{owner}.attribute", exc.message, value=target.attribute))
    else:
        if attribute.type not in FILE_TYPES:
            errors.append(FieldError(
                f"{owner}.attribute", f"attribute {target.attribute!r} is a {attribute.type}; "
                "media files go to image or file attributes", attribute=target.attribute))
    if errors:
        raise ValidationError(errors)
