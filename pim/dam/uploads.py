"""Uploads as the API and the UI take them: ingest, then link by the enabled rules.

A refused file leaves nothing behind (the ingest pipeline sees to it); links that cannot
be applied are reported with the upload, they never undo it.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy.orm import Session

from assets.bulk import BulkReport, ingest_folder, ingest_zip
from assets.errors import AssetRejected
from assets.ingest import ingest_upload, replace_file
from assets.links import list_link_rules, plan_links
from assets.models import Asset
from assets.policy import IngestPolicy
from assets.storage import Storage
from assets.zips import check_archive
from pim.dam.linking import LinkReport, apply_links
from pim.errors import PrismError

Progress = Callable[[int, int], None]
REFUSALS_SHOWN = 200


@dataclass
class Upload:
    """An uploaded asset and what linking it did."""

    asset: Asset
    links: LinkReport = field(default_factory=LinkReport)


def upload_asset(
    session: Session, storage: Storage, stream: BinaryIO, filename: str, *,
    policy: IngestPolicy, author: str, source: str, code: str | None = None,
    title: Mapping[str, str] | None = None, alt_text: Mapping[str, str] | None = None,
    tags: Sequence[str] = (), link: bool = True,
) -> Upload:
    """Create an asset from one upload, then link it to products by the enabled rules."""
    asset = ingest_upload(session, storage, stream, filename, policy=policy, code=code,
                          title=title, alt_text=alt_text, tags=tags, author=author)
    links = link_new_assets(session, [(asset.code, filename)], author=author, source=source,
                            enabled=link)
    return Upload(asset, links)


def replace_asset_file(
    session: Session, storage: Storage, code: str, stream: BinaryIO, filename: str, *,
    policy: IngestPolicy, author: str, source: str, link: bool = True,
) -> Upload:
    """Give an asset a new file (a new version), then link it by the enabled rules."""
    asset = replace_file(session, storage, code, stream, filename, policy=policy,
                         author=author)
    links = link_new_assets(session, [(asset.code, filename)], author=author, source=source,
                            enabled=link)
    return Upload(asset, links)


def link_new_assets(
    session: Session, names: Sequence[tuple[str, str]], *, author: str, source: str,
    enabled: bool = True,
) -> LinkReport:
    """Link (asset code, file name) pairs by the enabled rules."""
    if not enabled or not names:
        return LinkReport()
    rules = list_link_rules(session, enabled_only=True)
    return apply_links(session, plan_links(names, rules), author=author, source=source)


@dataclass
class BulkUpload:
    """A bulk ingest and the links made for its new assets."""

    ingest: BulkReport
    links: LinkReport

    def as_dict(self) -> dict[str, Any]:
        """A JSON summary: counts, refusals (the first few hundred) and links."""
        refused = self.ingest.refused
        return {"created": len(self.ingest.created), "refused": len(refused),
                "refusals": [{"name": r.name, "reason": r.reason}
                             for r in refused[:REFUSALS_SHOWN]],
                "assets": [item.asset_code for item in self.ingest.created[:REFUSALS_SHOWN]],
                "links": self.links.as_dict()}


def ingest_path(
    session: Session, storage: Storage, path: Path, *, policy: IngestPolicy, author: str,
    source: str, tags: Sequence[str] = (), link: bool = True,
    progress: Progress | None = None,
) -> BulkUpload:
    """Ingest a folder or a zip archive (each good file an asset), then link the new ones."""
    path = Path(path)
    if path.is_file():
        with path.open("rb") as stream:
            return ingest_archive(session, storage, stream, path.name, policy=policy,
                                  author=author, source=source, tags=tags, link=link,
                                  progress=progress)
    if not path.is_dir():
        raise PrismError(f"{path}: there is no file or folder there")
    report = ingest_folder(session, storage, path, policy=policy, author=author, tags=tags,
                           progress=_committing(session, progress))
    links = link_new_assets(session, report.names, author=author, source=source, enabled=link)
    return BulkUpload(report, links)


def ingest_archive(
    session: Session, storage: Storage, stream: BinaryIO, filename: str, *,
    policy: IngestPolicy, author: str, source: str, tags: Sequence[str] = (),
    link: bool = True, progress: Progress | None = None,
) -> BulkUpload:
    """Ingest each file of a zip archive (refused whole if unsafe), then link the new ones."""
    report = ingest_zip(session, storage, stream, filename, policy=policy, author=author,
                        tags=tags, progress=_committing(session, progress))
    links = link_new_assets(session, report.names, author=author, source=source, enabled=link)
    return BulkUpload(report, links)


def check_zip(path: Path, filename: str, policy: IngestPolicy) -> None:
    """Refuse a zip archive that cannot be read or holds an unsafe entry (AssetRejected)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise AssetRejected(filename, f"not a readable zip archive ({exc})") from None
    with archive:
        check_archive(archive, filename, policy)


def _committing(session: Session, progress: Progress | None) -> Progress:
    """Commit each file as it is done, so that stopping midway keeps what is stored."""

    def done(count: int, total: int) -> None:
        session.commit()
        if progress is not None:
            progress(count, total)

    return done
