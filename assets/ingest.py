"""One ingest pipeline for every upload path: UI, API, Akeneo media files, zip and folder.

Each upload is streamed to a temp file under the size cap, hashed, sniffed and checked
(`assets.inspect_file`); only then are the bytes stored (once per SHA-256) and the rows
written. A refusal raises `AssetRejected` and leaves nothing in the database or storage.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assets.errors import AssetRejected
from assets.fields import clean_tags, clean_texts, code_errors, code_from_filename, search_words
from assets.inspect_file import Inspection, inspect_upload
from assets.models import Asset, AssetTag, AssetVersion, StoredFile
from assets.models.files import storage_key_for
from assets.policy import IngestPolicy
from assets.spool import Spooled, spooled
from assets.staging import writing
from assets.storage import Storage
from pim.db import utcnow
from pim.errors import AlreadyExists, NotFound, ValidationError


def ingest_file(
    session: Session, storage: Storage, stream: BinaryIO, filename: str, *,
    policy: IngestPolicy, commit: bool = True,
) -> StoredFile:
    """Store the bytes of one upload (once per SHA-256) and return its file row."""
    with spooled(stream, filename, policy.max_bytes) as upload:
        found = inspect_upload(upload.path, filename, policy)
        with writing(session, storage, commit) as staged:
            return store_file(session, storage, upload, found, staged)


def ingest_upload(
    session: Session, storage: Storage, stream: BinaryIO, filename: str, *,
    policy: IngestPolicy, code: str | None = None, title: Mapping[str, str] | None = None,
    alt_text: Mapping[str, str] | None = None, tags: Sequence[str] = (),
    author: str | None = None, commit: bool = True,
) -> Asset:
    """Create an asset from one uploaded file (code from the file name unless given)."""
    fields = _check_new_asset(session, code, title, alt_text, tags)
    with spooled(stream, filename, policy.max_bytes) as upload:
        found = inspect_upload(upload.path, filename, policy)
        chosen = code or free_code(session, filename)
        try:
            with writing(session, storage, commit) as staged:
                stored = store_file(session, storage, upload, found, staged)
                return _new_asset(session, chosen, stored, filename, author, fields)
        except IntegrityError:
            if session.scalar(select(Asset.id).where(Asset.code == chosen)):
                raise AlreadyExists("Asset", chosen) from None  # taken by a concurrent upload
            raise


def replace_file(
    session: Session, storage: Storage, code: str, stream: BinaryIO, filename: str, *,
    policy: IngestPolicy, author: str | None = None, commit: bool = True,
) -> Asset:
    """Give an asset a new file as a new version; earlier files stay retrievable."""
    asset = _asset(session, code)
    with spooled(stream, filename, policy.max_bytes) as upload:
        found = inspect_upload(upload.path, filename, policy)
        if upload.sha256 == asset.file.sha256:
            return asset  # the same bytes again: nothing changes, no version is written
        with writing(session, storage, commit) as staged:
            stored = store_file(session, storage, upload, found, staged)
            _add_version(asset, stored, filename, author)
            session.flush()
    return asset


def store_file(
    session: Session, storage: Storage, upload: Spooled, found: Inspection, staged: list[str]
) -> StoredFile:
    """Return the file row of these bytes, storing them first if they are new."""
    existing = _file_by_hash(session, upload.sha256)
    if existing is not None:
        return existing
    key = storage_key_for(upload.sha256, found.extension)
    if not storage.exists(key):
        with upload.path.open("rb") as source:
            storage.put(key, source, content_type=found.media_type)
        staged.append(key)
    row = StoredFile(
        sha256=upload.sha256, size=upload.size, media_type=found.media_type,
        extension=found.extension, width=found.width, height=found.height,
        storage_key=key, meta=found.metadata, meta_text=found.text,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # the same bytes were stored by a concurrent upload
        if key in staged:
            staged.remove(key)  # the object is the other upload's now
        return _file_by_hash(session, upload.sha256)  # type: ignore[return-value]
    return row


def _file_by_hash(session: Session, sha256: str) -> StoredFile | None:
    return session.scalar(select(StoredFile).where(StoredFile.sha256 == sha256))


def _check_new_asset(
    session: Session, code: str | None, title: Mapping | None, alt_text: Mapping | None,
    tags: Sequence[str],
) -> dict[str, Any]:
    errors = code_errors(code) if code is not None else []
    titles, title_errors = clean_texts("title", title or {}, {})
    alts, alt_errors = clean_texts("alt_text", alt_text or {}, {})
    cleaned_tags, tag_errors = clean_tags(list(tags))
    errors += title_errors + alt_errors + tag_errors
    if errors:
        raise ValidationError(errors)
    if code is not None and session.scalar(select(Asset.id).where(Asset.code == code)):
        raise AlreadyExists("Asset", code)
    return {"title": titles, "alt_text": alts, "tags": cleaned_tags}


def free_code(session: Session, filename: str) -> str:
    """Return an unused asset code derived from the file name (`shoe`, `shoe_2`, ...)."""
    base = code_from_filename(filename)
    taken = set(session.scalars(select(Asset.code).where(Asset.code.startswith(base))))
    code, number = base, 1
    while code in taken:
        number += 1
        code = f"{base}_{number}"
    return code


def _new_asset(
    session: Session, code: str, stored: StoredFile, filename: str, author: str | None,
    fields: dict[str, Any],
) -> Asset:
    asset = Asset(code=code, file=stored, title=fields["title"], alt_text=fields["alt_text"],
                  current_version=0)
    asset.tag_rows = [AssetTag(tag=tag) for tag in fields["tags"]]
    session.add(asset)
    _add_version(asset, stored, filename, author)
    session.flush()
    return asset


def _add_version(asset: Asset, stored: StoredFile, filename: str, author: str | None) -> None:
    asset.current_version += 1
    asset.versions.append(AssetVersion(
        number=asset.current_version, file=stored, filename=filename, author=author,
    ))
    asset.file = stored
    asset.updated = utcnow()
    refresh_search_text(asset)


def refresh_search_text(asset: Asset) -> None:
    """Recompute the folded text the asset list filters on."""
    filename = asset.versions[-1].filename if asset.versions else ""
    asset.search_text = search_words(
        asset.code, asset.title, asset.alt_text, asset.tags, filename, asset.file.meta_text
    )


def _asset(session: Session, code: str) -> Asset:
    asset = session.scalar(select(Asset).where(Asset.code == code))
    if asset is None:
        raise NotFound("Asset", code)
    return asset


__all__ = ["AssetRejected", "free_code", "ingest_file", "ingest_upload", "replace_file",
           "store_file"]
