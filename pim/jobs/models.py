"""The job table: one row per piece of long work, its progress and its outcome."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pim.db import Base, utcnow

QUEUED = "queued"
RUNNING = "running"
SUCCEEDED = "succeeded"
FAILED = "failed"
CANCELLED = "cancelled"
STATUSES = (QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED)
FINISHED = frozenset({SUCCEEDED, FAILED, CANCELLED})


def new_job_id() -> str:
    """Return a fresh job id."""
    return str(uuid.uuid4())


def as_utc(moment: dt.datetime | None) -> dt.datetime | None:
    """Return `moment` timezone-aware; SQLite hands back naive UTC timestamps."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)


class Job(Base):
    """Long work (an import, a publication, a reindex) with its progress and report."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_status_created", "status", "created"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_job_id)
    kind: Mapped[str] = mapped_column(String(50), index=True)
    status: Mapped[str] = mapped_column(String(20), default=QUEUED)
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int | None] = mapped_column()
    result: Mapped[dict[str, Any] | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(255))
    # the changeset the job's writes are stamped with (no foreign key: the job row is
    # written in its own short transactions, the changeset in the handler's)
    changeset_id: Mapped[str | None] = mapped_column(String(36), index=True)
    # host:pid and mode of whoever runs it, so a stale job says where it was lost
    worker: Mapped[str | None] = mapped_column(String(255))
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    created: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started: Mapped[dt.datetime | None] = mapped_column()
    finished: Mapped[dt.datetime | None] = mapped_column()
    heartbeat: Mapped[dt.datetime | None] = mapped_column()

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    def elapsed_seconds(self, now: dt.datetime | None = None) -> float | None:
        """Return how long the job has run (until now, or until it finished)."""
        started = as_utc(self.started)
        if started is None:
            return None
        end = as_utc(self.finished) or now or utcnow()
        return max(0.0, (end - started).total_seconds())

    def rows_per_second(self, now: dt.datetime | None = None) -> float | None:
        """Return the average pace so far, in units of progress per second."""
        elapsed = self.elapsed_seconds(now)
        if not elapsed or not self.done:
            return None
        return self.done / elapsed

    def eta_seconds(self, now: dt.datetime | None = None) -> float | None:
        """Return the seconds left at the average pace, for a running job with a total."""
        rate = self.rows_per_second(now)
        if self.status != RUNNING or not rate or self.total is None:
            return None
        return max(0, self.total - self.done) / rate

    def is_stale(self, stale_after: float, now: dt.datetime | None = None) -> bool:
        """Tell whether a running job has given no sign of life for `stale_after` seconds."""
        last = as_utc(self.heartbeat) or as_utc(self.started)
        if self.status != RUNNING or last is None:
            return False
        return ((now or utcnow()) - last).total_seconds() > stale_after

    def as_dict(self, stale_after: float | None = None) -> dict[str, Any]:
        """Return the job as plain data, with its pace and ETA worked out now."""
        now = utcnow()
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "progress": {"done": self.done, "total": self.total},
            "rows_per_second": _rounded(self.rows_per_second(now)),
            "eta_seconds": _rounded(self.eta_seconds(now)),
            "elapsed_seconds": _rounded(self.elapsed_seconds(now)),
            "stale": self.is_stale(stale_after, now) if stale_after is not None else False,
            "params": self.params,
            "result": self.result,
            "error": self.error,
            "created_by": self.created_by,
            "changeset_id": self.changeset_id,
            "worker": self.worker,
            "cancel_requested": self.cancel_requested,
            "created": _iso(self.created),
            "started": _iso(self.started),
            "finished": _iso(self.finished),
            "heartbeat": _iso(self.heartbeat),
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _iso(moment: dt.datetime | None) -> str | None:
    moment = as_utc(moment)
    return None if moment is None else moment.isoformat()
