"""Jobs on RQ: queue a job id, and the task an RQ worker runs for it.

The worker needs nothing but Prism's settings in its environment (PRISM_DATABASE_URL,
PRISM_REDIS_URL, PRISM_JOB_QUEUE, PRISM_JOB_MODULES ...): the task builds the app itself.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

TASK = "pim.jobs.worker.run_queued_job"
RESULT_TTL = 24 * 3600


def _redis(app: Flask) -> Any:
    from redis import Redis

    return Redis.from_url(app.config["REDIS_URL"])


def enqueue(app: Flask, job_id: str, description: str = "") -> None:
    """Put the job on the app's RQ queue; an RQ worker will run it."""
    from rq import Queue

    redis = _redis(app)
    try:
        queue = Queue(app.config["JOB_QUEUE"], connection=redis)
        queue.enqueue_call(TASK, args=(job_id,), job_id=job_id, description=description,
                           timeout=int(app.config["JOB_TIMEOUT"]), result_ttl=RESULT_TTL,
                           failure_ttl=RESULT_TTL)
    finally:
        redis.close()


def run_queued_job(job_id: str) -> str:
    """Run one Prism job inside an RQ worker, with an app built from the environment."""
    from pim import create_app
    from pim.jobs.runner import run_job

    app = create_app()
    try:
        job = run_job(app, job_id, mode="rq")
        return job.status if job is not None else "missing"
    finally:
        app.extensions["prism.engine"].dispose()


def run_worker(app: Flask, burst: bool = False, name: str | None = None) -> None:
    """Work the app's RQ queue in this process (until it is empty, with `burst`)."""
    from rq import Queue, Worker

    redis = _redis(app)
    try:
        queue = Queue(app.config["JOB_QUEUE"], connection=redis)
        Worker([queue], connection=redis, name=name).work(burst=burst)
    finally:
        redis.close()
