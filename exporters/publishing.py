"""Publications: start one as a job, read their history and reports, roll back to one.

Two publications of one channel never run together: a queued or running publication
holds its channel's id in a unique column, so a second start is refused by the database
itself (`PublicationRunning`), even from another process or machine. A publication whose
job died is released when the next start finds it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from exporters.destinations import DeliveryOptions, channel_destinations
from exporters.errors import PublicationRunning
from exporters.models import (
    DELTA,
    FAILED,
    FULL,
    MODES,
    QUEUED,
    ROLLBACK,
    STATUSES,
    SUCCEEDED,
    Publication,
    PublicationProblem,
)
from exporters.registry import exporter_class
from exporters.runner import PublishContext
from pim.catalog.channels import get_channel
from pim.db import utcnow
from pim.errors import FieldError, NotFound, ValidationError

JOB_KIND = "publish"


def publish_context(app: Any) -> PublishContext:
    """What publications of this app need: sessions, storage, URLs, a work folder."""
    from exporters.images import media_path_for

    return PublishContext(
        sessions=app.extensions["prism.sessions"], storage=app.extensions["prism.storage"],
        public_url=app.config["PUBLIC_URL"],
        workdir=Path(app.config["INSTANCE_PATH"]) / "publications",
        delivery=DeliveryOptions(app.config.get("S3_ENDPOINT_URL"), app.config.get("S3_REGION")),
        media_path=media_path_for(app) if "media.asset_rendition" in app.view_functions
        else None)


def queue_publication(session: Session, channel_code: str, mode: str = FULL, *,
                      created_by: str | None = None, base_id: int | None = None,
                      stale_after: float | None = None) -> Publication:
    """Write a queued publication of a channel, refused while another one is under way."""
    if mode not in MODES:
        raise ValidationError([FieldError("mode", f"mode is one of {', '.join(MODES)}")])
    channel = get_channel(session, channel_code)
    kind = exporter_class(channel.exporter).kind
    # end the reading transaction: on SQLite a transaction that read before writing cannot
    # wait for a concurrent writer, it fails at once ("database is locked")
    session.commit()
    for attempt in range(2):
        publication = Publication(
            channel_id=channel.id, channel_code=channel.code, kind=kind, mode=mode,
            status=QUEUED, running_channel_id=channel.id, base_id=base_id,
            created_by=created_by, deliveries=[], details={})
        try:
            with session.begin_nested():
                session.add(publication)
            session.commit()
            return publication
        except IntegrityError:
            running = session.scalar(select(Publication).where(
                Publication.running_channel_id == channel.id))
            if running is None:
                continue
            if attempt == 0 and _abandoned(session, running, stale_after):
                continue
            raise PublicationRunning(channel.code, running.id) from None
    raise PublicationRunning(channel.code, -1)


def _abandoned(session: Session, running: Publication, stale_after: float | None) -> bool:
    """Release a publication whose job ended or stopped answering; tell whether it did."""
    from pim.jobs import get_job

    if running.job_id is None:
        return False
    try:
        job = get_job(session, running.job_id)
    except NotFound:
        job = None
    lost = job is None or job.is_finished or (
        stale_after is not None and job.is_stale(stale_after))
    if not lost:
        return False
    reason = "its job ended without finishing it" if job is None or job.is_finished else (
        "its job stopped answering")
    session.execute(update(Publication).where(Publication.id == running.id).values(
        status=FAILED, finished=utcnow(), running_channel_id=None,
        error=f"abandoned: {reason} (job {running.job_id})"))
    session.commit()
    return True


def start_publication(app: Any, channel_code: str, *, delta: bool = False,
                      created_by: str | None = None) -> Publication:
    """Queue a full or delta publication of a channel and hand it to the job runner."""
    return _submit(app, channel_code, DELTA if delta else FULL, created_by, None)


def start_rollback(app: Any, publication_id: int, *, created_by: str | None = None
                   ) -> Publication:
    """Put an earlier full publication's output back live, as a new publication."""
    with app.extensions["prism.sessions"]() as session:
        target = get_publication(session, publication_id)
        if target.status != SUCCEEDED or target.mode == DELTA or not target.archive_key:
            raise ValidationError([FieldError(
                "publication", f"publication {publication_id} is a {target.status} "
                               f"{target.mode} publication; only a succeeded full publication "
                               "(or rollback) can be put back")])
        channel = target.channel_code
    return _submit(app, channel, ROLLBACK, created_by, publication_id)


def _submit(app: Any, channel_code: str, mode: str, created_by: str | None,
            base_id: int | None) -> Publication:
    from pim.jobs import stale_after, submit_job

    sessions = app.extensions["prism.sessions"]
    with sessions() as session:
        if mode != ROLLBACK:
            check_channel(session, channel_code, publish_context(app))
        publication = queue_publication(session, channel_code, mode, created_by=created_by,
                                        base_id=base_id, stale_after=stale_after(app))
        publication_id = publication.id
    try:
        job = submit_job(app, JOB_KIND, {"publication_id": publication_id}, created_by)
    except Exception:
        with sessions() as session:
            session.execute(update(Publication).where(Publication.id == publication_id).values(
                status=FAILED, finished=utcnow(), running_channel_id=None,
                error="the publication job could not be started"))
            session.commit()
        raise
    with sessions() as session:
        session.execute(update(Publication).where(
            Publication.id == publication_id, Publication.job_id.is_(None)).values(job_id=job.id))
        session.commit()
        return get_publication(session, publication_id)


def check_channel(session: Session, channel_code: str, pc: PublishContext) -> None:
    """Refuse a channel whose exporter, mapping, filters or destinations are wrong."""
    from exporters.engine import prepare_export

    channel = get_channel(session, channel_code)
    prepare_export(session, channel, public_url=pc.public_url)
    channel_destinations(channel.settings or {}, pc.delivery)


def get_publication(session: Session, publication_id: int) -> Publication:
    """Return publication `publication_id` as it is now."""
    publication = session.get(Publication, publication_id, populate_existing=True)
    if publication is None:
        raise NotFound("publication", publication_id)
    return publication


def list_publications(session: Session, channel_code: str | None = None, *,
                      status: str | None = None, limit: int = 50, before: int | None = None
                      ) -> list[Publication]:
    """List publications newest first, optionally of one channel and one status."""
    if status is not None and status not in STATUSES:
        raise ValidationError([FieldError("status", f"status is one of {', '.join(STATUSES)}")])
    query = select(Publication).order_by(Publication.id.desc()).limit(max(1, min(limit, 500)))
    if channel_code is not None:
        query = query.where(Publication.channel_id == get_channel(session, channel_code).id)
    if status is not None:
        query = query.where(Publication.status == status)
    if before is not None:
        query = query.where(Publication.id < before)
    return list(session.scalars(query))


def publication_problems(session: Session, publication_id: int, *, limit: int = 100,
                         after: int = 0) -> list[PublicationProblem]:
    """The problems of the products a publication skipped, in order, page by page."""
    get_publication(session, publication_id)
    return list(session.scalars(
        select(PublicationProblem).where(PublicationProblem.publication_id == publication_id,
                                         PublicationProblem.id > after)
        .order_by(PublicationProblem.id).limit(max(1, min(limit, 1000)))))


def problems_by_rule(session: Session, publication_id: int) -> dict[str, int]:
    """How many problems of each rule a publication met."""
    rows = session.execute(
        select(PublicationProblem.rule, func.count()).where(
            PublicationProblem.publication_id == publication_id)
        .group_by(PublicationProblem.rule))
    return dict(rows.all())


def dump_publication(publication: Publication) -> dict[str, Any]:
    """A publication as the API and the CLI show it."""
    def when(value: Any) -> str | None:
        return value.isoformat(timespec="seconds") if value else None

    return {
        "id": publication.id, "channel": publication.channel_code, "kind": publication.kind,
        "mode": publication.mode, "status": publication.status, "job": publication.job_id,
        "created_by": publication.created_by, "created": when(publication.created),
        "started": when(publication.started), "finished": when(publication.finished),
        "base": publication.base_id,
        "counts": {name: getattr(publication, name) for name in (
            "considered", "exported", "unchanged", "skipped", "filtered", "removed")},
        "file": publication.file_name, "media_type": publication.media_type,
        "size": publication.size, "checksum": publication.checksum,
        "deliveries": publication.deliveries, "isolation": publication.isolation,
        "details": publication.details, "error": publication.error,
    }
