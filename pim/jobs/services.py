"""Read and steer jobs: find them, list them, cancel them, notice the lost ones."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pim.db import utcnow
from pim.errors import FieldError, NotFound, PrismError, ValidationError
from pim.jobs.models import CANCELLED, FAILED, QUEUED, RUNNING, STATUSES, Job, as_utc
from pim.jobs.registry import get_handler


class JobFinished(PrismError):
    """The job has already ended: there is nothing left to cancel."""

    code = "conflict"


def create_job(
    session: Session, kind: str, params: dict[str, Any] | None, created_by: str | None,
    *, link: Callable[[Session, Job], None] | None = None,
) -> Job:
    """Write a queued job of a known kind with JSON parameters, and commit it.

    `link(session, job)` runs in the same transaction once the job has its id, for a
    record that names its job (an import): both are written together, before it starts.
    """
    get_handler(kind)
    params = dict(params or {})
    _check_params(params)
    job = Job(kind=kind, params=params, created_by=created_by, status=QUEUED)
    session.add(job)
    if link is not None:
        session.flush()
        link(session, job)
    session.commit()
    return job


def _check_params(params: dict[str, Any]) -> None:
    errors = [FieldError(f"params.{key}", "parameter names must be identifiers")
              for key in params if not (isinstance(key, str) and key.isidentifier())]
    try:
        json.dumps(params)
    except (TypeError, ValueError) as exc:
        errors.append(FieldError("params", f"parameters must be plain JSON data: {exc}"))
    if errors:
        raise ValidationError(errors)


def get_job(session: Session, job_id: str) -> Job:
    """Return the job `job_id` as it is now in the database."""
    job = session.get(Job, job_id, populate_existing=True)
    if job is None:
        raise NotFound("job", job_id)
    return job


def list_jobs(
    session: Session, kind: str | None = None, status: str | None = None, limit: int = 50
) -> list[Job]:
    """List jobs, newest first, optionally of one kind and one status."""
    if status is not None and status not in STATUSES:
        raise ValidationError([FieldError(
            "status", f"unknown status {status!r}; use one of {', '.join(STATUSES)}"
        )])
    query = select(Job).order_by(Job.created.desc(), Job.id).limit(max(1, limit))
    if kind is not None:
        query = query.where(Job.kind == kind)
    if status is not None:
        query = query.where(Job.status == status)
    return list(session.scalars(query))


def cancel_job(session: Session, job_id: str) -> Job:
    """Cancel a queued job at once, or ask a running job's handler to stop."""
    job = get_job(session, job_id)
    if job.is_finished:
        raise JobFinished(f"job {job_id} has already {job.status}; there is nothing to cancel")
    if job.status == QUEUED:
        job.status = CANCELLED
        job.finished = utcnow()
        job.error = "cancelled before it started"
    job.cancel_requested = True
    session.commit()
    return job


def stale_jobs(
    session: Session, stale_after: float, now: dt.datetime | None = None
) -> list[Job]:
    """List running jobs that have given no sign of life for `stale_after` seconds."""
    now = now or utcnow()
    running = session.scalars(select(Job).where(Job.status == RUNNING).order_by(Job.created))
    return [job for job in running if job.is_stale(stale_after, now)]


def fail_stale_jobs(session: Session, stale_after: float) -> list[Job]:
    """Mark stale running jobs as failed, saying where and when they were lost."""
    failed = []
    for job in stale_jobs(session, stale_after):
        last = as_utc(job.heartbeat) or as_utc(job.started)
        error = (f"the worker running it ({job.worker or 'unknown'}) stopped answering: "
                 f"no heartbeat since {last.isoformat() if last else 'it started'}")
        # only if it is still as silent as we saw it: a late heartbeat wins
        same_beat = (Job.heartbeat.is_(None) if job.heartbeat is None
                     else Job.heartbeat == job.heartbeat)
        changed = session.execute(
            update(Job).where(Job.id == job.id, Job.status == RUNNING, same_beat)
            .values(status=FAILED, finished=utcnow(), error=error)
        ).rowcount
        if changed:
            failed.append(job.id)
    session.commit()
    return [get_job(session, job_id) for job_id in failed]
