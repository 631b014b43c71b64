"""Run one job: claim it, call its handler, record the outcome whatever happens."""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import traceback
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from pim.db import utcnow
from pim.errors import PrismError
from pim.jobs.context import JobCancelled, JobContext
from pim.jobs.models import CANCELLED, FAILED, RUNNING, SUCCEEDED, Job
from pim.jobs.registry import run_handler
from pim.jobs.store import claim_job, read_job, write_job

log = logging.getLogger(__name__)

MAX_ERROR_CHARS = 20_000
TRACEBACK_FRAMES = 8
# a running job silent for this many heartbeats is reported as stale
STALE_HEARTBEATS = 6


def stale_after(app: Flask) -> float:
    """Return after how many silent seconds a running job counts as stale."""
    return float(app.config["JOB_HEARTBEAT"]) * STALE_HEARTBEATS


def worker_label(mode: str) -> str:
    """Name the process running a job: host, pid and how it runs jobs."""
    return f"{socket.gethostname()}:{os.getpid()} {mode}"


def run_job(app: Flask, job_id: str, *, mode: str) -> Job | None:
    """Run the queued job `job_id` to its end and return its final row."""
    sessions: sessionmaker[Session] = app.extensions["prism.sessions"]
    now = utcnow()
    claimed = claim_job(sessions, job_id, status=RUNNING, started=now, heartbeat=now,
                        worker=worker_label(mode))
    job = read_job(sessions, job_id)
    if not claimed or job is None:
        log.info("job %s is not queued any more; left alone", job_id)
        return job
    ctx = JobContext(app, job)
    # inline jobs share the caller's thread (and, in tests, its connection): their
    # progress writes are their heartbeat
    interval = None if mode == "inline" else float(app.config["JOB_HEARTBEAT"])
    with _Heartbeat(sessions, job_id, interval):
        outcome = _perform(app, ctx, job)
    _finish(sessions, ctx, outcome)
    return read_job(sessions, job_id)


def _perform(app: Flask, ctx: JobContext, job: Job) -> dict[str, Any]:
    try:
        with app.app_context():
            result = run_handler(job.kind, ctx, dict(job.params or {}))
    except JobCancelled as exc:
        return {"status": CANCELLED, "error": exc.message}
    except Exception as exc:
        log.exception("job %s (%s) failed", job.id, job.kind)
        return {"status": FAILED, "error": describe_failure(exc)}
    except BaseException as exc:
        # interrupted (Ctrl-C, shutdown): say so before letting it through
        write_job(ctx.sessions, job.id, status=FAILED, finished=utcnow(),
                  error=describe_failure(exc), done=ctx.done, total=ctx.total)
        raise
    problem = _unstorable(result)
    if problem:
        return {"status": FAILED, "error": f"the {job.kind} handler {problem}"}
    return {"status": SUCCEEDED, "result": result}


def _unstorable(result: object) -> str | None:
    if not isinstance(result, dict):
        return f"returned {type(result).__name__}, not a dict"
    try:
        json.dumps(result)
    except (TypeError, ValueError) as exc:
        return f"returned a result that is not JSON: {exc}"
    return None


def describe_failure(exc: BaseException) -> str:
    """Say what went wrong: the error, then where (the last frames of the traceback)."""
    message = exc.message if isinstance(exc, PrismError) else str(exc)
    headline = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    frames = traceback.format_exception(type(exc), exc, exc.__traceback__,
                                        limit=-TRACEBACK_FRAMES)
    text = f"{headline}\n\n{''.join(frames)}"
    return text[:MAX_ERROR_CHARS]


def _finish(sessions: sessionmaker[Session], ctx: JobContext, outcome: dict[str, Any]) -> None:
    values = {"done": ctx.done, "total": ctx.total, "finished": utcnow(), **outcome}
    values["heartbeat"] = values["finished"]
    try:
        write_job(sessions, ctx.job_id, **values)
    except Exception:
        # the row stays "running"; its heartbeat stops, so it shows up as stale
        log.exception("could not record the end of job %s", ctx.job_id)


class _Heartbeat:
    """A thread that stamps the job row while it runs, so a lost worker is noticed."""

    def __init__(
        self, sessions: sessionmaker[Session], job_id: str, interval: float | None
    ) -> None:
        self._sessions = sessions
        self._job_id = job_id
        self._interval = interval or 0.0
        self._stop = threading.Event()
        self._thread = None if interval is None else threading.Thread(
            target=self._beat, name=f"job-heartbeat-{job_id[:8]}", daemon=True
        )

    def __enter__(self) -> _Heartbeat:
        if self._thread is not None:
            self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _beat(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                write_job(self._sessions, self._job_id, patient=False, heartbeat=utcnow())
            except Exception:
                log.warning("heartbeat of job %s failed", self._job_id, exc_info=True)
