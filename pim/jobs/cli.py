"""`prism jobs`: list, show, follow and cancel jobs; run an RQ worker."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import current_app
from flask.cli import with_appcontext
from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlalchemy.orm import Session

from pim.errors import PrismError
from pim.jobs.models import STATUSES, Job
from pim.jobs.progress import follow_job, format_duration, format_rate
from pim.jobs.runner import stale_after
from pim.jobs.services import cancel_job, fail_stale_jobs, get_job, list_jobs


@click.group("jobs")
def jobs_group() -> None:
    """Long-running work: imports, publications, reindexing."""


@contextmanager
def _sessions() -> Iterator[Session]:
    """A session whose domain errors reach the terminal as one plain line."""
    with current_app.extensions["prism.sessions"]() as session:
        try:
            yield session
        except PrismError as exc:
            raise click.ClickException(exc.message) from None


@jobs_group.command("list")
@click.option("--kind", help="Only jobs of this kind.")
@click.option("--status", type=click.Choice(STATUSES), help="Only jobs in this status.")
@click.option("--limit", default=20, show_default=True, help="How many, newest first.")
@with_appcontext
def list_command(kind: str | None, status: str | None, limit: int) -> None:
    """List recent jobs."""
    with _sessions() as session:
        jobs = list_jobs(session, kind=kind, status=status, limit=limit)
    silent_after = stale_after(current_app)
    table = Table("kind", "status", "progress", "pace", "created", "by")
    table.add_column("id", no_wrap=True)
    for job in jobs:
        status_text = f"{job.status} (stale)" if job.is_stale(silent_after) else job.status
        table.add_row(job.kind, status_text, _progress(job), format_rate(job.rows_per_second()),
                      _when(job), job.created_by or "-", job.id)
    _console().print(table if jobs else "No jobs.")


@jobs_group.command("show")
@click.argument("job_id")
@with_appcontext
def show_command(job_id: str) -> None:
    """Show one job: status, progress, timings, result or error."""
    with _sessions() as session:
        job = get_job(session, job_id)
    data = job.as_dict(stale_after(current_app))
    console = _console()
    for key in ("id", "kind", "status", "created_by", "worker", "changeset_id",
                "created", "started", "finished"):
        console.print(f"[bold]{key}[/]: {data[key] if data[key] is not None else '-'}")
    console.print(f"[bold]progress[/]: {_progress(job)}, {format_rate(job.rows_per_second())}, "
                  f"elapsed {format_duration(job.elapsed_seconds())}, "
                  f"ETA {format_duration(job.eta_seconds())}")
    if data["stale"]:
        console.print("[red]stale[/]: its worker has stopped sending heartbeats")
    console.print(f"[bold]params[/]: {json.dumps(job.params, ensure_ascii=False)}")
    if job.result is not None:
        console.print_json(data=job.result)
    if job.error:
        console.print("[bold red]error[/]:", Text(job.error))


@jobs_group.command("follow")
@click.argument("job_id")
@with_appcontext
def follow_command(job_id: str) -> None:
    """Follow a job with a live progress bar until it ends."""
    with _sessions() as session:
        get_job(session, job_id)
    job = follow_job(current_app, job_id)
    if job.status != "succeeded":
        raise SystemExit(1)


@jobs_group.command("cancel")
@click.argument("job_id")
@with_appcontext
def cancel_command(job_id: str) -> None:
    """Cancel a queued job, or ask a running one to stop."""
    with _sessions() as session:
        job = cancel_job(session, job_id)
    click.echo(f"Job {job.id}: {'cancelled' if job.is_finished else 'asked to stop'}.")


@jobs_group.command("fail-stale")
@with_appcontext
def fail_stale_command() -> None:
    """Mark running jobs whose worker stopped answering as failed."""
    with _sessions() as session:
        jobs = fail_stale_jobs(session, stale_after(current_app))
    for job in jobs:
        click.echo(f"Job {job.id} ({job.kind}) failed: {job.error}")
    click.echo(f"{len(jobs)} stale job(s) marked failed.")


@jobs_group.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
@click.option("--name", help="Worker name shown by RQ.")
@with_appcontext
def worker_command(burst: bool, name: str | None) -> None:
    """Run an RQ worker on Prism's job queue (needs PRISM_REDIS_URL)."""
    from pim.jobs.worker import run_worker

    if not current_app.config.get("REDIS_URL"):
        raise click.UsageError("PRISM_REDIS_URL is not set: jobs run inside the app")
    run_worker(current_app, burst=burst, name=name)


def _console() -> Console:
    console = Console()
    if not console.is_terminal:  # piped: keep each job on one line
        console.width = 200
    return console


def _progress(job: Job) -> str:
    total = f"{job.total:,}" if job.total is not None else "?"
    return f"{job.done:,}/{total}"


def _when(job: Job) -> str:
    return job.created.strftime("%Y-%m-%d %H:%M:%S") if job.created else "-"
