"""What a job handler is given: sessions, progress, cancellation and a logger."""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from pim.db import utcnow
from pim.errors import PrismError
from pim.jobs.models import Job
from pim.jobs.store import read_job, write_job

PROGRESS_INTERVAL = 0.5


class JobCancelled(PrismError):
    """Raised inside a handler to stop a job whose cancellation was asked for."""

    code = "cancelled"


class JobContext:
    """The handler's view of its job: open sessions, report progress, notice a cancel."""

    def __init__(self, app: Flask, job: Job, *, interval: float = PROGRESS_INTERVAL) -> None:
        self.app = app
        self.job_id = job.id
        self.kind = job.kind
        self.created_by = job.created_by
        self.sessions: sessionmaker[Session] = app.extensions["prism.sessions"]
        self.logger = logging.LoggerAdapter(
            logging.getLogger(f"pim.jobs.{job.kind}"), {"job_id": job.id}
        )
        self.done = job.done
        self.total = job.total
        self._interval = interval
        self._written = 0.0
        self._checked = 0.0
        self._cancelled = False

    def session(self) -> Session:
        """Open a new session for the handler's own work (close it, e.g. with `with`)."""
        return self.sessions()

    def progress(self, done: int, total: int | None = None) -> None:
        """Record progress; it reaches the database at most every half second."""
        self.done = done
        if total is not None:
            self.total = total
        now = time.monotonic()
        if now - self._written >= self._interval:
            self._written = now
            self.save_progress()

    def save_progress(self) -> bool:
        """Write the current progress now; False when the database was busy."""
        values: dict[str, Any] = {"done": self.done, "total": self.total, "heartbeat": utcnow()}
        return write_job(self.sessions, self.job_id, patient=False, **values)

    def set_changeset(self, changeset_id: str) -> None:
        """Note on the job the changeset its writes are stamped with."""
        write_job(self.sessions, self.job_id, changeset_id=changeset_id)

    def is_cancelled(self) -> bool:
        """Tell whether someone asked to cancel this job (checked at most twice a second)."""
        now = time.monotonic()
        if not self._cancelled and now - self._checked >= self._interval:
            self._checked = now
            job = read_job(self.sessions, self.job_id)
            self._cancelled = job is None or job.cancel_requested
        return self._cancelled

    def raise_if_cancelled(self) -> None:
        """Stop the handler with JobCancelled when a cancel was asked for."""
        if self.is_cancelled():
            raise JobCancelled(f"job {self.job_id} was cancelled")
