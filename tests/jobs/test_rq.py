"""Jobs on real RQ workers: separate processes sharing the database and the local Redis."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from pim.jobs import (
    CANCELLED,
    FAILED,
    QUEUED,
    RUNNING,
    SUCCEEDED,
    Job,
    cancel_job,
    fail_stale_jobs,
    get_job,
    stale_after,
    stale_jobs,
    submit_job,
)
from tests.jobs.conftest import REDIS_URL
from tests.jobs.handlers import MODULE

pytestmark = pytest.mark.redis

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@pytest.fixture()
def redis_queue() -> str:
    """A queue name of this test alone on the local Redis; its keys go afterwards."""
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        client.close()
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {exc}")
    queue = f"prism-test-{uuid.uuid4().hex[:10]}"
    yield queue
    forget_queue(client, queue)
    client.close()


def forget_queue(client, queue: str) -> None:
    """Delete every key RQ wrote for the queue: jobs, results, registries, dead workers."""
    names = [k.decode() for k in client.scan_iter("rq:job:*")
             if client.hget(k, "origin") == queue.encode()]
    for name in names:
        job_id = name.removeprefix("rq:job:")
        for key in client.scan_iter(f"rq:*{job_id}*"):
            client.delete(key)
    for key in client.scan_iter("rq:worker:*"):
        if client.type(key) == b"hash" and client.hget(key, "queues") == queue.encode():
            client.srem("rq:workers", key)
            client.delete(key, key + b":executions")
    for key in client.scan_iter(f"*{queue}*"):
        client.delete(key)
    client.srem("rq:queues", f"rq:queue:{queue}")


@pytest.fixture()
def worker_env(shared_database_url: str, redis_queue: str, tmp_path: Path) -> dict[str, str]:
    """The environment of a worker process: Prism settings only, nothing inherited."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRISM_")}
    env.update({
        "PRISM_DATABASE_URL": shared_database_url,
        "PRISM_REDIS_URL": REDIS_URL,
        "PRISM_JOB_QUEUE": redis_queue,
        "PRISM_JOB_MODULES": MODULE,
        "PRISM_INSTANCE_PATH": str(tmp_path / "worker-instance"),
        "PRISM_SEARCH_ENABLED": "0",
        "PYTHONPATH": str(ROOT),
    })
    return env


@pytest.fixture()
def start_worker(worker_env: dict[str, str], tmp_path: Path):
    """Start worker processes; whatever still runs at the end is killed, horses included."""
    started: list[subprocess.Popen] = []
    logs = []

    def start(command: list[str], **env: str) -> subprocess.Popen:
        log = open(tmp_path / f"worker-{len(started)}.log", "wb")  # noqa: SIM115
        logs.append(log)
        process = subprocess.Popen(command, env={**worker_env, **env}, cwd=tmp_path,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    for log in logs:
        log.close()


def rq_worker(queue: str, *extra: str) -> list[str]:
    return [str(BIN / "rq"), "worker", "--url", REDIS_URL, "--burst", *extra, queue]


def wait_for(read: Callable[[], Job], done: Callable[[Job], bool], timeout: float = 60) -> Job:
    deadline = time.monotonic() + timeout
    job = read()
    while not done(job) and time.monotonic() < deadline:
        time.sleep(0.1)
        job = read()
    return job


def reader(app, job_id: str) -> Callable[[], Job]:
    def read() -> Job:
        with app.extensions["prism.sessions"]() as session:
            return get_job(session, job_id)

    return read


def worker_log(tmp_path: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in sorted(tmp_path.glob("worker-*.log")))


def test_rq_worker_runs_jobs_and_records_failures(
    shared_app_factory, redis_queue, start_worker, tmp_path
):
    app = shared_app_factory(REDIS_URL=REDIS_URL, JOB_QUEUE=redis_queue)
    counted = submit_job(app, "test.count", {"n": 25, "label": "Ελλάδα"}, created_by="olga")
    broken = submit_job(app, "test.fail", {"row": 5})
    assert (counted.status, broken.status) == (QUEUED, QUEUED)

    worker = start_worker(rq_worker(redis_queue))
    assert worker.wait(timeout=120) == 0, worker_log(tmp_path)

    done = reader(app, counted.id)()
    assert done.status == SUCCEEDED, (done.error, worker_log(tmp_path))
    assert done.result == {"counted": 25, "label": "Ελλάδα"}
    assert (done.done, done.total) == (25, 25)
    assert done.worker.endswith(" rq") and done.created_by == "olga"
    failed = reader(app, broken.id)()
    assert failed.status == FAILED
    assert failed.error.startswith("ValueError: row 5 has a price of 'douze €'")
    assert "tests/jobs/handlers.py" in failed.error


def test_cancel_reaches_a_job_on_a_prism_worker(
    shared_app_factory, redis_queue, start_worker, tmp_path
):
    app = shared_app_factory(REDIS_URL=REDIS_URL, JOB_QUEUE=redis_queue)
    job = submit_job(app, "test.until_cancelled", {"limit": 60})
    worker = start_worker([str(BIN / "prism"), "jobs", "worker", "--burst"])
    read = reader(app, job.id)
    running = wait_for(read, lambda j: j.status == RUNNING and j.done >= 2)
    assert running.status == RUNNING, worker_log(tmp_path)

    with app.extensions["prism.sessions"]() as session:
        cancel_job(session, job.id)
    finished = wait_for(read, lambda j: j.is_finished)
    assert finished.status == CANCELLED, worker_log(tmp_path)
    assert worker.wait(timeout=60) == 0


def test_a_killed_worker_leaves_a_stale_job_that_is_reported(
    shared_app_factory, redis_queue, start_worker, tmp_path
):
    app = shared_app_factory(REDIS_URL=REDIS_URL, JOB_QUEUE=redis_queue, JOB_HEARTBEAT=0.2)
    job = submit_job(app, "test.until_cancelled", {"limit": 60})
    worker = start_worker(rq_worker(redis_queue), PRISM_JOB_HEARTBEAT="0.2")
    read = reader(app, job.id)
    running = wait_for(read, lambda j: j.status == RUNNING and j.done >= 1)
    assert running.status == RUNNING, worker_log(tmp_path)
    with app.extensions["prism.sessions"]() as session:
        assert stale_jobs(session, stale_after(app)) == []

    horse = int(running.worker.split(":")[1].split()[0])
    os.killpg(worker.pid, signal.SIGKILL)  # the worker and, in its own group, its horse
    os.killpg(horse, signal.SIGKILL)
    worker.wait(timeout=30)

    time.sleep(stale_after(app) + 0.5)
    with app.extensions["prism.sessions"]() as session:
        assert [j.id for j in stale_jobs(session, stale_after(app))] == [job.id]
        [failed] = fail_stale_jobs(session, stale_after(app))
    assert failed.status == FAILED
    assert failed.error.startswith(f"the worker running it ({running.worker}) stopped answering")
