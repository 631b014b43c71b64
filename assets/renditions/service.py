"""Renditions on demand and in bulk: generated once per (file, spec, focal point), then reused.

Two requests for the same missing rendition may both render it; the unique constraint on
(file, spec, focal key) lets one row win, and the loser deletes its own stored object and
returns the winner's row.
"""

from __future__ import annotations

import hashlib
import secrets
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from assets.errors import NotAnImage, RenditionSpecError
from assets.models import Asset, AssetVersion, Rendition, StoredFile
from assets.renditions.engine import Rendered, render
from assets.renditions.spec import RenditionSpec, parse_spec
from assets.storage import Storage
from pim.errors import FieldError, NotFound, PrismError

Target = str | StoredFile
Progress = Callable[[int, int], None]
SPOOL_IN_MEMORY = 16 * 1024 * 1024


def rendition_for(
    session: Session, storage: Storage, target: Target, spec: str, *,
    version: int | None = None, commit: bool = True,
) -> Rendition:
    """Return the rendition of an asset (by code; current or given version) or of a file."""
    return _rendition(session, storage, target, parse_spec(spec), version, commit)[0]


def _rendition(
    session: Session, storage: Storage, target: Target, spec: RenditionSpec,
    version: int | None, commit: bool,
) -> tuple[Rendition, bool]:
    if isinstance(target, str) and version is None and not spec.uses_focal_point:
        cached = _current_rendition(session, target, spec.text)  # one query when it exists
        if cached is not None:
            return cached, False
    stored, focal = resolve_target(session, target, version)
    if not stored.is_image:
        raise NotAnImage(f"{stored.media_type} files have no renditions (file {stored.sha256})")
    focal_key = focal_key_for(focal) if spec.uses_focal_point else ""
    found = find_rendition(session, stored.id, spec.text, focal_key)
    if found is not None:
        return found, False
    rendered = _render(storage, stored, spec, focal if spec.uses_focal_point else None)
    return _save(session, storage, stored, spec, focal_key, rendered, commit), True


def resolve_target(
    session: Session, target: Target, version: int | None = None
) -> tuple[StoredFile, tuple[float, float] | None]:
    """Return the stored file to render and the focal point to crop around."""
    if isinstance(target, StoredFile):
        return target, None
    asset = session.scalar(select(Asset).where(Asset.code == target))
    if asset is None:
        raise NotFound("Asset", target)
    if version is None or version == asset.current_version:
        return asset.file, asset.focal_point
    row = session.scalar(select(AssetVersion).where(
        AssetVersion.asset_id == asset.id, AssetVersion.number == version))
    if row is None:
        raise NotFound("Asset version", f"{target}@{version}")
    return row.file, asset.focal_point


def find_rendition(session: Session, file_id: int, spec: str, focal_key: str) -> Rendition | None:
    """Return the stored rendition of a file for a canonical spec, if there is one."""
    return session.scalar(select(Rendition).where(
        Rendition.file_id == file_id, Rendition.spec == spec, Rendition.focal_key == focal_key))


def _current_rendition(session: Session, code: str, spec: str) -> Rendition | None:
    return session.scalar(
        select(Rendition).join(Asset, Asset.file_id == Rendition.file_id)
        .where(Asset.code == code, Rendition.spec == spec, Rendition.focal_key == "")
    )


def focal_key_for(focal: tuple[float, float] | None) -> str:
    """The focal point as part of a rendition's key (`c` for the centre)."""
    if focal is None:
        return "c"
    return f"{focal[0]:.3f},{focal[1]:.3f}"


def _render(
    storage: Storage, stored: StoredFile, spec: RenditionSpec, focal: tuple[float, float] | None
) -> Rendered:
    with storage.open(stored.storage_key) as stream, tempfile.SpooledTemporaryFile(
        SPOOL_IN_MEMORY
    ) as local:  # Pillow needs to seek; S3 bodies cannot
        while chunk := stream.read(1024 * 1024):
            local.write(chunk)
        local.seek(0)
        try:
            return render(local, spec, focal)
        except (OSError, ValueError, SyntaxError) as exc:
            raise PrismError(f"Cannot render {spec.text!r} of file {stored.sha256}: {exc}") from exc


def _save(
    session: Session, storage: Storage, stored: StoredFile, spec: RenditionSpec,
    focal_key: str, rendered: Rendered, commit: bool,
) -> Rendition:
    key = rendition_key(stored, spec, focal_key, rendered.extension)
    storage.put(key, rendered.data, content_type=rendered.media_type)
    row = Rendition(
        file_id=stored.id, spec=spec.text, focal_key=focal_key, storage_key=key,
        width=rendered.width, height=rendered.height, size=len(rendered.data),
        media_type=rendered.media_type, sha256=hashlib.sha256(rendered.data).hexdigest(),
    )
    try:
        with session.begin_nested():
            session.add(row)
        if commit:
            session.commit()
    except (IntegrityError, OperationalError):
        storage.delete(key)  # another request stored this rendition first
        if commit:
            session.rollback()
        winner = find_rendition(session, stored.id, spec.text, focal_key)
        if winner is None:
            raise
        return winner
    except BaseException:
        storage.delete(key)
        raise
    return row


def rendition_key(stored: StoredFile, spec: RenditionSpec, focal_key: str, extension: str) -> str:
    """A fresh storage key for one generation of a rendition."""
    slug = spec.text.replace("|", "_")
    if focal_key:
        slug += "_at-" + focal_key.replace(",", "-")
    return (f"renditions/{stored.sha256[:2]}/{stored.sha256}/{slug}."
            f"{secrets.token_hex(4)}{extension}")


@dataclass
class PregenerateReport:
    """What a bulk pre-generation did."""

    generated: int = 0
    reused: int = 0
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str, str]] = field(default_factory=list)


def pregenerate(
    session: Session, storage: Storage, asset_codes: Iterable[str] | None,
    specs: Sequence[str], progress: Progress | None = None,
) -> PregenerateReport:
    """Generate the renditions of `specs` for these assets (all image assets if None)."""
    parsed = _parse_all(specs)
    codes = list(asset_codes) if asset_codes is not None else _image_asset_codes(session)
    report, total, done = PregenerateReport(), len(codes) * len(parsed), 0
    for code in codes:
        for spec in parsed:
            _pregenerate_one(session, storage, code, spec, report)
            done += 1
            if progress is not None:
                progress(done, total)
    return report


def _pregenerate_one(
    session: Session, storage: Storage, code: str, spec: RenditionSpec, report: PregenerateReport
) -> None:
    try:
        _, created = _rendition(session, storage, code, spec, None, True)
    except NotAnImage:
        if code not in report.skipped:
            report.skipped.append(code)
        return
    except PrismError as exc:
        report.failed.append((code, spec.text, exc.message))
        return
    if created:
        report.generated += 1
    else:
        report.reused += 1


def _parse_all(specs: Sequence[str]) -> list[RenditionSpec]:
    parsed, problems = [], []
    for text in specs:
        try:
            parsed.append(parse_spec(text))
        except RenditionSpecError as exc:
            problems += [FieldError(f"specs[{text}]", e.message, value=text) for e in exc.errors]
    if problems or not parsed:
        raise RenditionSpecError(problems or [FieldError("specs", "give at least one spec")])
    return parsed


def _image_asset_codes(session: Session) -> list[str]:
    return list(session.scalars(
        select(Asset.code).join(StoredFile, StoredFile.id == Asset.file_id)
        .where(StoredFile.width.is_not(None)).order_by(Asset.code)
    ))
