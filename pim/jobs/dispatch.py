"""Hand a job to whoever runs it: inline, a thread of this process, or RQ workers."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from pim.db import utcnow
from pim.errors import PrismError
from pim.jobs.models import FAILED, Job
from pim.jobs.registry import load_job_modules
from pim.jobs.runner import run_job
from pim.jobs.services import create_job
from pim.jobs.store import read_job, write_job

log = logging.getLogger(__name__)

POOL_KEY = "prism.jobs.pool"
_pool_lock = threading.Lock()


class JobQueueUnavailable(PrismError):
    """The job could not be handed to the RQ queue."""

    code = "unavailable"


def init_app(app: Flask) -> None:
    """Import the modules that define job handlers, so this process can run them."""
    load_job_modules(app.config.get("JOB_MODULES") or ())


def job_mode(app: Flask) -> str:
    """Say how this app runs jobs: "inline", "rq" or "thread"."""
    if app.config.get("JOBS_INLINE"):
        return "inline"
    if app.config.get("REDIS_URL"):
        return "rq"
    return "thread"


def submit_job(
    app: Flask, kind: str, params: dict[str, Any] | None = None, created_by: str | None = None,
    *, link: Callable[[Session, Job], None] | None = None,
) -> Job:
    """Queue a job of `kind` and start it the way the app runs jobs; return its row.

    The job is written in its own transaction: commit your own work first. Inline, the
    returned row is the finished job; otherwise it is queued and `follow_job` or
    `get_job` show how it goes. `link` is `create_job`'s: it runs in the job's transaction.
    """
    sessions = app.extensions["prism.sessions"]
    with sessions() as session:
        job = create_job(session, kind, params, created_by, link=link)
    mode = job_mode(app)
    if mode == "inline":
        return run_job(app, job.id, mode="inline") or job
    if mode == "rq":
        _enqueue(app, job)
        return job
    future = _pool(app).submit(run_job, app, job.id, mode="thread")
    future.add_done_callback(_log_crash)
    return job


def _enqueue(app: Flask, job: Job) -> None:
    from pim.jobs.worker import enqueue

    try:
        enqueue(app, job.id, description=f"prism {job.kind} job {job.id}")
    except Exception as exc:
        error = f"could not queue the job on {app.config['REDIS_URL']}: {exc}"
        write_job(app.extensions["prism.sessions"], job.id, status=FAILED,
                  finished=utcnow(), error=error)
        raise JobQueueUnavailable(error) from exc


def _pool(app: Flask) -> ThreadPoolExecutor:
    with _pool_lock:
        pool = app.extensions.get(POOL_KEY)
        if pool is None:
            pool = ThreadPoolExecutor(max_workers=int(app.config["JOB_THREADS"]),
                                      thread_name_prefix="prism-job")
            app.extensions[POOL_KEY] = pool
        return pool


def _log_crash(future: Future) -> None:
    exc = future.exception()
    if exc is not None:
        log.error("job thread crashed", exc_info=exc)


def shutdown_jobs(app: Flask, wait: bool = True) -> None:
    """Stop this app's job threads, by default after the jobs they run have ended."""
    with _pool_lock:
        pool = app.extensions.pop(POOL_KEY, None)
    if pool is not None:
        pool.shutdown(wait=wait)


def reload_job(app: Flask, job_id: str) -> Job | None:
    """Return the job's row as it is now."""
    return read_job(app.extensions["prism.sessions"], job_id)
