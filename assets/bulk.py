"""Bulk ingest of a zip archive or a folder: each good file becomes an asset, bad ones are listed.

A zip with an unsafe entry (`..`, absolute path, link, bomb) is refused whole before any
entry is read. Otherwise every entry goes through the same pipeline as a single upload,
each in its own savepoint, and a refused entry is reported without stopping the others.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.orm import Session

from assets.errors import AssetRejected
from assets.ingest import ingest_upload
from assets.policy import IngestPolicy
from assets.spool import spooled
from assets.storage import Storage
from assets.zips import check_archive

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BulkItem:
    """One file of a bulk ingest that became an asset."""

    name: str
    asset_code: str
    sha256: str


@dataclass(frozen=True)
class Refusal:
    """One file of a bulk ingest that was refused, and why."""

    name: str
    reason: str


@dataclass
class BulkReport:
    """What a bulk ingest did: the assets created and the files refused."""

    created: list[BulkItem] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)

    @property
    def names(self) -> list[tuple[str, str]]:
        """(asset code, file name) pairs, the input of link-rule planning."""
        return [(item.asset_code, item.name) for item in self.created]


def ingest_zip(
    session: Session, storage: Storage, stream: BinaryIO, filename: str, *,
    policy: IngestPolicy, author: str | None = None, tags: Sequence[str] = (),
    progress: Progress | None = None, commit: bool = True,
) -> BulkReport:
    """Create an asset from each file of an uploaded zip (refused whole if unsafe)."""
    with spooled(stream, filename, policy.max_bytes) as upload:
        try:
            archive = zipfile.ZipFile(upload.path)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise AssetRejected(filename, f"not a readable zip archive ({exc})") from None
        with archive:
            entries = check_archive(archive, filename, policy)
            openers = [(e.filename, _entry_opener(archive, e)) for e in entries]
            report = _ingest_all(session, storage, openers, policy, author, tags, progress)
    if commit:
        session.commit()
    return report


def ingest_folder(
    session: Session, storage: Storage, folder: Path, *, policy: IngestPolicy,
    author: str | None = None, tags: Sequence[str] = (), progress: Progress | None = None,
    commit: bool = True,
) -> BulkReport:
    """Create an asset from each file under `folder` (links are refused, not followed)."""
    root = Path(folder)
    if not root.is_dir():
        raise AssetRejected(str(folder), "is not a folder")
    paths = sorted(p for p in root.rglob("*") if not p.is_dir() or p.is_symlink())
    paths = [p for p in paths if not _hidden(p.relative_to(root))]
    openers = [(p.relative_to(root).as_posix(), _file_opener(p, root)) for p in paths]
    report = _ingest_all(session, storage, openers, policy, author, tags, progress)
    if commit:
        session.commit()
    return report


def _ingest_all(
    session: Session, storage: Storage, openers: list, policy: IngestPolicy,
    author: str | None, tags: Sequence[str], progress: Progress | None,
) -> BulkReport:
    report = BulkReport()
    for done, (name, opener) in enumerate(openers, start=1):
        try:
            with opener() as stream:
                asset = ingest_upload(session, storage, stream, name, policy=policy,
                                      tags=tags, author=author, commit=False)
            report.created.append(BulkItem(name, asset.code, asset.file.sha256))
        except AssetRejected as exc:
            report.refused.append(Refusal(name, exc.reason))
        except (zipfile.BadZipFile, EOFError) as exc:
            report.refused.append(Refusal(name, f"the zip entry is corrupt ({exc})"))
        if progress is not None:
            progress(done, len(openers))
    return report


def _entry_opener(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> Callable[[], BinaryIO]:
    return lambda: archive.open(entry)  # type: ignore[return-value]


def _file_opener(path: Path, root: Path) -> Callable[[], BinaryIO]:
    def open_file() -> BinaryIO:
        name = path.relative_to(root).as_posix()
        if path.is_symlink() or any(p.is_symlink() for p in path.parents if root in p.parents):
            raise AssetRejected(name, "is a symbolic link; links are not followed")
        try:
            return path.open("rb")
        except OSError as exc:
            raise AssetRejected(name, f"cannot be read ({exc.strerror})") from None

    return open_file


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)
