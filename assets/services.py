"""Read and edit assets: get, list with filters, update texts and tags, delete, versions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session, selectinload

from assets.fields import clean_focal_point, clean_tags, clean_texts, search_words
from assets.ingest import refresh_search_text
from assets.models import Asset, AssetTag, AssetVersion, Rendition, StoredFile
from assets.storage import Storage
from pim.db import utcnow
from pim.errors import FieldError, NotFound, ValidationError

EDITABLE = {"title", "alt_text", "tags", "focal_point"}


def get_asset(session: Session, code: str) -> Asset:
    """Return the asset with this code, or raise NotFound."""
    asset = session.scalar(select(Asset).where(Asset.code == code))
    if asset is None:
        raise NotFound("Asset", code)
    return asset


def list_assets(
    session: Session, *, text: str | None = None, media_type: str | None = None,
    tag: str | None = None, after: str | None = None, limit: int = 100, offset: int = 0,
) -> list[Asset]:
    """List assets by code; filter by words (code, titles, tags, metadata), type and tag."""
    query = _filtered(select(Asset), text, media_type, tag)
    if after is not None:
        query = query.where(Asset.code > after)
    query = query.options(selectinload(Asset.tag_rows)).order_by(Asset.code)
    return list(session.scalars(query.offset(max(0, offset)).limit(max(1, limit))))


def count_assets(
    session: Session, *, text: str | None = None, media_type: str | None = None,
    tag: str | None = None,
) -> int:
    """Count the assets the same filters as `list_assets` select."""
    query = _filtered(select(func.count(Asset.id)), text, media_type, tag)
    return session.scalar(query) or 0


def _filtered(query: Select, text: str | None, media_type: str | None, tag: str | None) -> Select:
    for word in search_words(text).split() if text else ():
        query = query.where(Asset.search_text.contains(word, autoescape=True))
    if media_type:
        files = select(StoredFile.id).where(StoredFile.id == Asset.file_id)
        if media_type.endswith("/*"):
            files = files.where(StoredFile.media_type.startswith(media_type[:-1], autoescape=True))
        else:
            files = files.where(StoredFile.media_type == media_type)
        query = query.where(exists(files))
    if tag:
        query = query.where(exists(select(AssetTag.tag).where(
            AssetTag.asset_id == Asset.id, AssetTag.tag == tag)))
    return query


def update_asset(
    session: Session, code: str, data: Mapping[str, Any], *, commit: bool = True
) -> Asset:
    """Patch title, alt text (per locale), tags and focal point; all errors are listed."""
    asset = get_asset(session, code)
    errors = [FieldError(key, "cannot be changed here") for key in data if key not in EDITABLE]
    changes: dict[str, Any] = {}
    for key, cleaner in (("title", _texts), ("alt_text", _texts), ("tags", _tags),
                         ("focal_point", _focal)):
        if key in data:
            value, found = cleaner(key, data[key], asset)
            changes[key] = value
            errors += found
    if errors:
        raise ValidationError(errors)
    _apply(asset, changes)
    session.flush()
    if commit:
        session.commit()
    return asset


def _texts(key: str, value: Any, asset: Asset) -> tuple[Any, list[FieldError]]:
    return clean_texts(key, value, getattr(asset, key))


def _tags(_key: str, value: Any, _asset: Asset) -> tuple[Any, list[FieldError]]:
    return clean_tags(value)


def _focal(_key: str, value: Any, _asset: Asset) -> tuple[Any, list[FieldError]]:
    return clean_focal_point(value)


def _apply(asset: Asset, changes: dict[str, Any]) -> None:
    before = (asset.title, asset.alt_text, asset.tags, asset.focal_point)
    if "title" in changes:
        asset.title = changes["title"]
    if "alt_text" in changes:
        asset.alt_text = changes["alt_text"]
    if "tags" in changes and changes["tags"] != asset.tags:
        asset.tag_rows = [AssetTag(tag=tag) for tag in changes["tags"]]
    if "focal_point" in changes:
        point = changes["focal_point"]
        asset.focal_x, asset.focal_y = point if point else (None, None)
    if (asset.title, asset.alt_text, asset.tags, asset.focal_point) != before:
        asset.updated = utcnow()
        refresh_search_text(asset)


def asset_file_versions(session: Session, code: str) -> list[AssetVersion]:
    """Return every version of an asset's file, oldest first."""
    asset = get_asset(session, code)
    return list(session.scalars(
        select(AssetVersion).where(AssetVersion.asset_id == asset.id)
        .order_by(AssetVersion.number)
    ))


def asset_version(session: Session, code: str, number: int | None = None) -> AssetVersion:
    """Return one version of an asset's file (the current one when `number` is None)."""
    asset = get_asset(session, code)
    wanted = asset.current_version if number is None else number
    version = session.scalar(select(AssetVersion).where(
        AssetVersion.asset_id == asset.id, AssetVersion.number == wanted))
    if version is None:
        raise NotFound("Asset version", f"{code}@{wanted}")
    return version


@dataclass(frozen=True)
class Deleted:
    """What deleting an asset removed: its code and the storage keys freed."""

    code: str
    storage_keys: list[str]


def delete_asset(session: Session, storage: Storage, code: str, *, commit: bool = True) -> Deleted:
    """Delete an asset, its versions, and the files and renditions no other asset uses."""
    asset = get_asset(session, code)
    file_ids = {v.file_id for v in asset.versions} | {asset.file_id}
    session.delete(asset)
    session.flush()
    keys = _drop_unused_files(session, file_ids)
    if commit:
        session.commit()
    for key in keys:  # after the commit: a failed commit must not lose bytes
        storage.delete(key)
    return Deleted(code, keys)


def _drop_unused_files(session: Session, file_ids: set[int]) -> list[str]:
    keys: list[str] = []
    for stored in session.scalars(select(StoredFile).where(StoredFile.id.in_(file_ids))):
        used = session.scalar(select(AssetVersion.id).where(AssetVersion.file_id == stored.id)
                              .limit(1))
        if used is None:
            renditions = session.scalars(select(Rendition).where(Rendition.file_id == stored.id))
            for rendition in renditions:
                keys.append(rendition.storage_key)
                session.delete(rendition)
            keys.append(stored.storage_key)
            session.delete(stored)
    session.flush()
    return keys


def sweep_orphans(session: Session, storage: Storage) -> list[str]:
    """Delete storage objects that no file or rendition row refers to; return their keys.

    Run it when no upload or rendition is in flight: their objects are stored just before
    their rows are committed.
    """
    known = set(session.scalars(select(StoredFile.storage_key)))
    known |= set(session.scalars(select(Rendition.storage_key)))
    orphans = [key for prefix in ("originals/", "renditions/") for key in storage.list(prefix)
               if key not in known]
    for key in orphans:
        storage.delete(key)
    return orphans
