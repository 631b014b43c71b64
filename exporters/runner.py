"""Run one publication: export from one snapshot, archive, deliver, record; or roll back.

Nothing replaces a live output before everything is ready: the export is written to a temp
file, archived, staged at every destination, and only then do the staged files go live and
the publication, its records and the channel's listing get written in one transaction. Any
failure before that leaves every live output as it was and records the publication as
failed with its cause.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, literal, select, update
from sqlalchemy.orm import Session, sessionmaker

from assets.storage import Storage
from exporters.archive import archive_key, archive_output, restored_output
from exporters.destinations import (
    DeliveryOptions,
    Destination,
    Staged,
    channel_destinations,
)
from exporters.engine import ExportStats, prepare_export, run_export
from exporters.images import AssetImages, MediaPath
from exporters.live import ListingBaseline, apply_delta, replace_listings
from exporters.models import (
    DELTA,
    FAILED,
    QUEUED,
    ROLLBACK,
    RUNNING,
    SUCCEEDED,
    Publication,
    PublicationProblem,
    PublicationRecord,
)
from exporters.spool import Spool
from pim.catalog.models import Channel
from pim.catalog.reading import read_snapshot
from pim.db import utcnow
from pim.errors import PrismError

Progress = Callable[[int, int], None]


@dataclass
class PublishContext:
    """What running a publication takes from the app."""

    sessions: sessionmaker[Session]
    storage: Storage
    public_url: str
    workdir: Path
    delivery: DeliveryOptions
    media_path: MediaPath | None = None


@dataclass
class _Output:
    path: Path
    stats: ExportStats | None
    file_name: str
    media_type: str
    destinations: list[Destination]
    isolation: str = ""
    archived: int = 0


def run_publication(pc: PublishContext, publication_id: int, *, progress: Progress | None = None,
                    job_id: str | None = None) -> dict[str, Any]:
    """Run a queued publication to its end; raise (after recording the failure) if it fails."""
    pc.workdir.mkdir(parents=True, exist_ok=True)
    with pc.sessions() as session:
        publication = _start(session, publication_id, job_id)
        mode = publication.mode
    try:
        if mode == ROLLBACK:
            return _roll_back(pc, publication_id)
        return _publish(pc, publication_id, mode == DELTA, progress)
    except BaseException as exc:
        _fail(pc.sessions, publication_id, exc)
        raise


def _start(session: Session, publication_id: int, job_id: str | None) -> Publication:
    # write first: on SQLite a transaction that reads before it writes cannot wait for
    # another writer (a job heartbeat, an editor's save) and fails at once
    claimed = session.execute(
        update(Publication).where(Publication.id == publication_id,
                                  Publication.status == QUEUED)
        .values(status=RUNNING, started=utcnow(),
                job_id=func.coalesce(Publication.job_id, job_id))).rowcount
    session.commit()
    publication = session.get(Publication, publication_id)
    if not claimed or publication is None:
        raise PrismError(f"publication {publication_id} is not waiting to run")
    return publication


def _claim(session: Session, publication_id: int) -> Publication:
    """Take the write lock with the publication row, then read it."""
    session.execute(update(Publication).where(Publication.id == publication_id)
                    .values(finished=utcnow()))
    publication = session.get(Publication, publication_id, populate_existing=True)
    assert publication is not None
    return publication


def _publish(pc: PublishContext, publication_id: int, delta: bool, progress: Progress | None
             ) -> dict[str, Any]:
    spool = Spool(pc.workdir)
    with tempfile.NamedTemporaryFile(dir=pc.workdir, suffix=".out") as temp:
        try:
            output = _export(pc, publication_id, Path(temp.name), delta, spool, progress)
            stats = output.stats
            assert stats is not None
            if delta and stats.exported == 0 and stats.removals_written == 0:
                return _record(pc, publication_id, output, spool, None, [])
            key = archive_key(stats.channel, publication_id, output.file_name)
            output.archived = archive_output(pc.storage, key, output.path, pc.workdir)
            try:
                staged = _stage(output.destinations, output)
                return _record(pc, publication_id, output, spool, key, staged)
            except BaseException:
                pc.storage.delete(key)
                raise
        finally:
            spool.close()


def _export(pc: PublishContext, publication_id: int, path: Path, delta: bool, spool: Spool,
            progress: Progress | None) -> _Output:
    with pc.sessions() as reader, read_snapshot(reader) as snapshot:
        publication = reader.get(Publication, publication_id)
        assert publication is not None
        channel = reader.get(Channel, publication.channel_id)
        assert channel is not None
        images = AssetImages(reader, pc.public_url, pc.media_path) if pc.media_path else None
        export = prepare_export(reader, channel, public_url=pc.public_url, images=images)
        destinations = channel_destinations(channel.settings or {}, pc.delivery)
        baseline = ListingBaseline(reader, channel.id) if delta else None
        with path.open("wb") as out:
            stats = run_export(reader, export, out, delta=baseline, observer=spool,
                               progress=progress)
            out.flush()
        if stats.exported < export.exporter.min_records and not delta:
            raise PrismError(f"there is nothing to publish to {channel.code}: every product "
                             "was filtered out or skipped")
        isolation = snapshot.isolation
    return _Output(path, stats, export.file_name(delta), export.exporter.media_type,
                   destinations, isolation)


def _stage(destinations: list[Destination], output: _Output) -> list[Staged]:
    """Stage at two-phase destinations first, so a failing upload leaves them untouched."""
    staged: list[Staged] = []
    try:
        for destination in sorted(destinations, key=lambda d: not d.two_phase):
            staged.append(destination.stage(output.path, output.file_name, output.media_type))
    except BaseException:
        for item in staged:
            item.abort()
        raise
    return staged


def _record(pc: PublishContext, publication_id: int, output: _Output, spool: Spool,
            key: str | None, staged: list[Staged]) -> dict[str, Any]:
    stats = output.stats
    assert stats is not None
    with pc.sessions() as session:
        try:
            publication = _claim(session, publication_id)
            _write_rows(session, publication_id, spool)
            _describe(publication, stats, output, key, staged, spool.problem_count)
            moment = utcnow()
            if key is not None:
                if publication.mode == DELTA:
                    apply_delta(session, publication, moment)
                else:
                    replace_listings(session, publication, publication.id, moment)
            _succeed(publication, moment)
            session.flush()
            for item in staged:
                item.commit()
            session.commit()
        except BaseException:
            session.rollback()
            for item in staged:
                item.abort()
            raise
        return summary(publication)


def _write_rows(session: Session, publication_id: int, spool: Spool) -> None:
    for rows in spool.records():
        session.execute(insert(PublicationRecord),
                        [{"publication_id": publication_id, **row} for row in rows])
    for rows in spool.problems():
        session.execute(insert(PublicationProblem),
                        [{"publication_id": publication_id, **row} for row in rows])


def _describe(publication: Publication, stats: ExportStats, output: _Output, key: str | None,
              staged: list[Staged], problems: int) -> None:
    for name in ("considered", "exported", "unchanged", "skipped", "filtered", "removed"):
        setattr(publication, name, getattr(stats, name))
    publication.isolation = output.isolation
    publication.details = {"problems_by_rule": stats.problems_by_rule,
                           "removals_written": stats.removals_written,
                           "seconds": stats.seconds, "problems": problems,
                           "nothing_changed": key is None}
    if key is None:
        return
    publication.file_name, publication.media_type = output.file_name, output.media_type
    publication.size, publication.checksum = stats.size, stats.checksum
    publication.archive_key = key
    publication.details["archive_size"] = output.archived
    publication.deliveries = [{"where": item.where, "status": "delivered"} for item in staged]


def _succeed(publication: Publication, moment: Any) -> None:
    publication.status, publication.finished = SUCCEEDED, moment
    publication.running_channel_id = None


def _roll_back(pc: PublishContext, publication_id: int) -> dict[str, Any]:
    with pc.sessions() as session:
        publication = session.get(Publication, publication_id)
        assert publication is not None and publication.base_id is not None
        target = session.get(Publication, publication.base_id)
        channel = session.get(Channel, publication.channel_id)
        assert target is not None and target.archive_key and channel is not None
        destinations = channel_destinations(channel.settings or {}, pc.delivery)
        key, name, media = target.archive_key, target.file_name or "", target.media_type or ""
    with restored_output(pc.storage, key, pc.workdir) as path:
        staged = _stage(destinations, _Output(path, None, name, media, destinations))
        with pc.sessions() as session:
            try:
                _put_back(session, publication_id, staged)
                for item in staged:
                    item.commit()
                session.commit()
            except BaseException:
                session.rollback()
                for item in staged:
                    item.abort()
                raise
            return summary(session.get(Publication, publication_id))


def _put_back(session: Session, publication_id: int, staged: list[Staged]) -> None:
    publication = _claim(session, publication_id)
    target = session.get(Publication, publication.base_id)
    assert target is not None
    records = select(literal(publication_id), PublicationRecord.product_id,
                     PublicationRecord.identifier,
                     PublicationRecord.product_version, PublicationRecord.record_hash,
                     PublicationRecord.removed).where(
        PublicationRecord.publication_id == target.id)
    session.execute(insert(PublicationRecord).from_select(
        ["publication_id", "product_id", "identifier", "product_version", "record_hash",
         "removed"], records))
    for name in ("considered", "exported", "unchanged", "skipped", "filtered", "removed",
                 "file_name", "media_type", "size", "checksum", "archive_key"):
        setattr(publication, name, getattr(target, name))
    publication.deliveries = [{"where": item.where, "status": "delivered"} for item in staged]
    publication.details = {"rolled_back_to": target.id}
    moment = utcnow()
    replace_listings(session, publication, publication.id, moment)
    _succeed(publication, moment)
    session.flush()


def _fail(sessions: sessionmaker[Session], publication_id: int, exc: BaseException) -> None:
    from pim.jobs import describe_failure

    with sessions() as session:
        session.execute(delete(PublicationRecord).where(
            PublicationRecord.publication_id == publication_id))
        session.execute(update(Publication).where(Publication.id == publication_id).values(
            status=FAILED, finished=utcnow(), running_channel_id=None,
            error=describe_failure(exc)))
        session.commit()


def summary(publication: Publication) -> dict[str, Any]:
    """The job result of a publication: its id, status, counts and where it went."""
    return {"publication": publication.id, "channel": publication.channel_code,
            "mode": publication.mode, "status": publication.status,
            "exported": publication.exported, "skipped": publication.skipped,
            "unchanged": publication.unchanged, "removed": publication.removed,
            "checksum": publication.checksum, "file": publication.file_name,
            "deliveries": publication.deliveries}
