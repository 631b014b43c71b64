"""Jobs: inline and threaded runs, progress, failures, cancellation, staleness, the CLI."""

from __future__ import annotations

import datetime as dt
import io
import time

import pytest
from rich.console import Console
from sqlalchemy.orm import Session

from pim.db import make_engine, make_session_factory, utcnow
from pim.errors import NotFound, ValidationError
from pim.jobs import (
    CANCELLED,
    FAILED,
    QUEUED,
    RUNNING,
    SUCCEEDED,
    Job,
    JobContext,
    JobFinished,
    cancel_job,
    fail_stale_jobs,
    get_job,
    job_handler,
    list_jobs,
    run_job,
    stale_jobs,
    submit_job,
)
from pim.jobs.progress import follow_job
from pim.jobs.services import create_job
from tests.jobs import handlers  # noqa: F401  (registers the shared test handlers)


@job_handler("test.not_a_dict")
def not_a_dict(ctx: JobContext) -> dict:
    return ["not", "a", "dict"]  # type: ignore[return-value]


@job_handler("test.echo_user")
def echo_user(ctx: JobContext, greeting: str) -> dict:
    with ctx.session() as session:
        job = get_job(session, ctx.job_id)
    return {"greeting": greeting, "created_by": job.created_by, "kind": ctx.kind}


def wait_until_finished(sessions, job_id: str, timeout: float = 30.0) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sessions() as session:
            job = get_job(session, job_id)
        if job.is_finished:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish in {timeout}s: {job.status}")


# inline: the job runs inside submit_job, on the test's transaction

def test_inline_job_runs_to_success(app, session):
    job = submit_job(app, "test.count", {"n": 5, "label": "Łódź"}, created_by="julia")
    assert job.status == SUCCEEDED
    assert job.result == {"counted": 5, "label": "Łódź"}
    assert (job.done, job.total) == (5, 5)
    assert job.started is not None and job.finished is not None
    assert job.worker.endswith(" inline")
    stored = get_job(session, job.id)
    assert stored.status == SUCCEEDED and stored.created_by == "julia"
    assert stored.rows_per_second() > 0
    assert stored.eta_seconds() is None  # finished: nothing left


def test_handler_gets_its_params_and_sessions(app):
    job = submit_job(app, "test.echo_user", {"greeting": "Γειά σου"}, created_by="nikos")
    assert job.result == {"greeting": "Γειά σου", "created_by": "nikos", "kind": "test.echo_user"}


def test_failing_handler_is_recorded_with_its_cause(app, session):
    job = submit_job(app, "test.fail", {"row": 7})
    assert job.status == FAILED
    headline, _, trace = job.error.partition("\n\n")
    assert headline == "ValueError: row 7 has a price of 'douze €' (Zażółć gęślą jaźń)"
    assert "Traceback" in trace and "handlers.py" in trace
    assert (job.done, job.total) == (6, 14)  # the progress it made is kept
    assert get_job(session, job.id).finished is not None


def test_handler_must_return_a_dict(app):
    job = submit_job(app, "test.not_a_dict")
    assert job.status == FAILED
    assert job.error == "the test.not_a_dict handler returned list, not a dict"


def test_unknown_kind_is_refused_before_anything_is_written(app, session):
    with pytest.raises(NotFound, match="job kind 'no.such.kind'"):
        submit_job(app, "no.such.kind", {})
    assert list_jobs(session, kind="no.such.kind") == []


@pytest.mark.parametrize("params, message", [
    ({"when": dt.date(2024, 1, 1)}, "parameters must be plain JSON data"),
    ({"two words": 1}, "parameter names must be identifiers"),
])
def test_params_must_be_json_with_identifier_names(app, session, params, message):
    with pytest.raises(ValidationError, match=message):
        submit_job(app, "test.count", params)
    assert list_jobs(session, kind="test.count") == []


def test_a_kind_has_one_handler():
    with pytest.raises(ValueError, match="already handled by tests.jobs.handlers.count"):
        job_handler("test.count")(not_a_dict)
    assert job_handler("test.not_a_dict")(not_a_dict) is not_a_dict  # same one again: fine


def test_list_jobs_filters_by_kind_and_status(app, session):
    done = submit_job(app, "test.count", {"n": 1})
    failed = submit_job(app, "test.fail", {"row": 2})
    queued = create_job(session, "test.count", {"n": 3}, "anna")
    assert [j.id for j in list_jobs(session, kind="test.count")] == [queued.id, done.id]
    assert [j.id for j in list_jobs(session, status=FAILED)] == [failed.id]
    assert [j.id for j in list_jobs(session, kind="test.count", status=QUEUED)] == [queued.id]
    assert len(list_jobs(session, limit=2)) == 2
    with pytest.raises(ValidationError, match="unknown status 'done'"):
        list_jobs(session, status="done")


def test_cancelled_queued_job_never_runs(app, session):
    job = create_job(session, "test.count", {"n": 3}, None)
    cancelled = cancel_job(session, job.id)
    assert cancelled.status == CANCELLED and cancelled.finished is not None
    after = run_job(app, job.id, mode="inline")
    assert after.status == CANCELLED and after.started is None and after.done == 0
    with pytest.raises(JobFinished, match="has already cancelled"):
        cancel_job(session, job.id)


def test_a_kind_this_process_cannot_run_fails_the_job_saying_why(app, session):
    ghost = Job(kind="ghost.kind", status=QUEUED, params={})
    session.add(ghost)
    session.commit()
    job = run_job(app, ghost.id, mode="inline")
    assert job.status == FAILED
    assert job.error.startswith("PrismError: this process has no handler for job kind "
                                "'ghost.kind'; add the module that defines it to "
                                "PRISM_JOB_MODULES")


def test_get_job_of_unknown_id(session):
    with pytest.raises(NotFound, match="job 'nope'"):
        get_job(session, "nope")


def test_pace_and_eta_come_from_progress_and_timing():
    now = utcnow()
    job = Job(kind="x", status=RUNNING, done=50, total=200, started=now - dt.timedelta(seconds=10))
    assert job.rows_per_second(now) == pytest.approx(5.0)
    assert job.eta_seconds(now) == pytest.approx(30.0)
    assert Job(kind="x", status=RUNNING, done=0, total=10, started=now).eta_seconds(now) is None
    naive = Job(kind="x", status=RUNNING, done=1, started=(now - dt.timedelta(seconds=4))
                .replace(tzinfo=None))  # as SQLite hands it back
    assert naive.rows_per_second(now) == pytest.approx(0.25)


def test_stale_running_jobs_are_reported_and_failed(session):
    now = utcnow()
    lost = Job(kind="test.count", status=RUNNING, worker="node-7:4242 rq",
               started=now - dt.timedelta(minutes=5), heartbeat=now - dt.timedelta(minutes=2))
    alive = Job(kind="test.count", status=RUNNING, worker="node-8:99 rq",
                started=now - dt.timedelta(minutes=5), heartbeat=now)
    session.add_all([lost, alive])
    session.commit()
    assert [j.id for j in stale_jobs(session, 60)] == [lost.id]
    assert get_job(session, lost.id).as_dict(60)["stale"] is True
    [failed] = fail_stale_jobs(session, 60)
    assert failed.id == lost.id and failed.status == FAILED
    assert failed.error.startswith("the worker running it (node-7:4242 rq) stopped answering")
    assert get_job(session, alive.id).status == RUNNING


# threads: the default mode, on a database every thread shares

def test_thread_job_runs_in_the_background(shared_app_factory):
    app = shared_app_factory()
    job = submit_job(app, "test.count", {"n": 30, "pause": 0.01}, created_by="ewa")
    assert job.status == QUEUED
    finished = wait_until_finished(app.extensions["prism.sessions"], job.id)
    assert finished.status == SUCCEEDED and finished.result["counted"] == 30
    assert (finished.done, finished.total) == (30, 30)
    assert finished.worker.endswith(" thread")


def test_progress_is_visible_from_another_connection_and_cancel_stops_it(
    shared_app_factory, shared_database_url
):
    app = shared_app_factory()
    job = submit_job(app, "test.until_cancelled", {"limit": 30})
    watcher = make_engine(shared_database_url)
    try:
        sessions = make_session_factory(watcher)
        deadline = time.monotonic() + 20
        with sessions() as session:
            seen = get_job(session, job.id)
        while not (seen.status == RUNNING and seen.done >= 2) and time.monotonic() < deadline:
            time.sleep(0.05)
            with sessions() as session:
                seen = get_job(session, job.id)
        assert seen.status == RUNNING and seen.done >= 2
        with sessions() as session:
            asked = cancel_job(session, job.id)
        assert asked.status == RUNNING and asked.cancel_requested
        finished = wait_until_finished(sessions, job.id)
    finally:
        watcher.dispose()
    assert finished.status == CANCELLED
    assert finished.error == f"job {job.id} was cancelled"
    assert finished.done >= seen.done


def test_thread_failure_is_recorded(shared_app_factory):
    app = shared_app_factory()
    job = submit_job(app, "test.fail", {"row": 3})
    finished = wait_until_finished(app.extensions["prism.sessions"], job.id)
    assert finished.status == FAILED
    assert finished.error.startswith("ValueError: row 3 has a price")


def test_follow_job_shows_progress_until_the_end(shared_app_factory):
    app = shared_app_factory()
    job = submit_job(app, "test.count", {"n": 20, "pause": 0.02})
    out = io.StringIO()
    finished = follow_job(app, job.id, console=Console(file=out, width=120), poll=0.05)
    assert finished.status == SUCCEEDED
    text = out.getvalue()
    assert "20/20" in text and f"Job {job.id} succeeded" in text


def test_follow_job_reports_failure(shared_app_factory):
    app = shared_app_factory()
    job = submit_job(app, "test.fail", {"row": 4})
    out = io.StringIO()
    finished = follow_job(app, job.id, console=Console(file=out, width=200), poll=0.05)
    assert finished.status == FAILED
    assert f"Job {job.id} failed" in out.getvalue()
    assert "ValueError: row 4 has a price" in out.getvalue()


# the CLI

def test_cli_lists_shows_and_cancels_jobs(app, session: Session):
    ok = submit_job(app, "test.count", {"n": 2}, created_by="zofia")
    waiting = create_job(session, "test.count", {"n": 9}, "zofia")
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["jobs", "list", "--kind", "test.count"])
    assert listed.exit_code == 0, listed.output
    assert ok.id in listed.output and waiting.id in listed.output
    shown = runner.invoke(args=["jobs", "show", ok.id])
    assert shown.exit_code == 0, shown.output
    assert "succeeded" in shown.output and '"counted": 2' in shown.output
    cancelled = runner.invoke(args=["jobs", "cancel", waiting.id])
    assert cancelled.exit_code == 0 and "cancelled" in cancelled.output
    assert get_job(session, waiting.id).status == CANCELLED
    missing = runner.invoke(args=["jobs", "show", "nope"])
    assert missing.exit_code == 1 and "Error: job 'nope' does not exist" in missing.output


def test_cli_fails_stale_jobs(app, session):
    lost = Job(kind="test.count", status=RUNNING, worker="node-3:77 thread",
               started=utcnow() - dt.timedelta(hours=1), heartbeat=utcnow() - dt.timedelta(hours=1))
    session.add(lost)
    session.commit()
    result = app.test_cli_runner().invoke(args=["jobs", "fail-stale"])
    assert result.exit_code == 0, result.output
    assert f"Job {lost.id} (test.count) failed: the worker running it (node-3:77 thread)" in (
        result.output)
    assert get_job(session, lost.id).status == FAILED
