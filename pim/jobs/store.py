"""Short transactions on the job row, apart from whatever the handler holds open.

Progress and heartbeats must not wait behind the handler's own work: on SQLite, where
one writer holds the whole database, they give up after a moment and try again later.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from pim.jobs.models import Job

# how long a progress or heartbeat write may wait for SQLite's write lock, milliseconds
IMPATIENT_MS = 50


def write_job(
    sessions: sessionmaker[Session], job_id: str, *, patient: bool = True, **values: Any
) -> bool:
    """Update the job row in its own transaction; False when an impatient write was blocked."""
    with sessions() as session:
        connection = session.connection()
        # the raw driver connection: the PRAGMA is not transactional, and the timeout is
        # put back before a rollback hands the connection back to the pool
        raw = (connection.connection.driver_connection
               if connection.dialect.name == "sqlite" and not patient else None)
        previous = _busy_timeout(raw, IMPATIENT_MS) if raw is not None else None
        try:
            try:
                session.execute(update(Job).where(Job.id == job_id).values(**values))
            finally:
                if previous is not None:
                    _busy_timeout(raw, previous)
        except OperationalError:
            session.rollback()
            if patient:
                raise
            return False
        session.commit()
        return True


def claim_job(sessions: sessionmaker[Session], job_id: str, **values: Any) -> bool:
    """Move a queued job to running; False when it is not queued (taken or cancelled)."""
    with sessions() as session:
        outcome = session.execute(
            update(Job).where(Job.id == job_id, Job.status == "queued").values(**values)
        )
        session.commit()
        return outcome.rowcount == 1


def read_job(sessions: sessionmaker[Session], job_id: str) -> Job | None:
    """Return a fresh, detached copy of the job row."""
    with sessions() as session:
        return session.get(Job, job_id, populate_existing=True)


def _busy_timeout(raw: Any, milliseconds: int) -> int:
    """Set SQLite's busy timeout on a driver connection; return the one it had."""
    previous = raw.execute("PRAGMA busy_timeout").fetchone()[0]
    raw.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")
    return int(previous)
