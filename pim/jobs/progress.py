"""Follow a job in the terminal: a live progress bar until it ends."""

from __future__ import annotations

import time

from flask import Flask
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from pim.jobs.models import SUCCEEDED, Job
from pim.jobs.runner import stale_after
from pim.jobs.services import JobFinished, cancel_job, get_job


def format_duration(seconds: float | None) -> str:
    """Write a duration the way people read it: 42s, 3m05s, 1h02m."""
    if seconds is None:
        return "-"
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


def format_rate(rate: float | None) -> str:
    """Write a pace in rows per second."""
    return "-" if rate is None else f"{rate:,.0f} rows/s" if rate >= 10 else f"{rate:.1f} rows/s"


def follow_job(
    app: Flask, job_id: str, *, console: Console | None = None, poll: float = 0.25
) -> Job:
    """Show a live bar (done/total, rows/s, ETA) until the job ends; return its last row.

    Ctrl-C asks the job to cancel and keeps following it; a second Ctrl-C stops following.
    """
    console = console or Console(stderr=True)
    sessions = app.extensions["prism.sessions"]
    silent_after = stale_after(app)
    interrupted = False
    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(),
        TextColumn("{task.fields[count]}"), TextColumn("{task.fields[rate]}"),
        TextColumn("ETA {task.fields[eta]}"), TimeElapsedColumn(),
        console=console,
    ) as bar:
        task = bar.add_task("", total=None, count="", rate="", eta="-")
        while True:
            with sessions() as session:
                job = get_job(session, job_id)
            _show(bar, task, job)
            if job.is_finished or job.is_stale(silent_after):
                break
            try:
                time.sleep(poll)
            except KeyboardInterrupt:
                if interrupted:
                    raise
                interrupted = True
                _cancel(app, job_id, console)
    _summarize(console, job, silent_after)
    return job


def _show(bar: Progress, task: int, job: Job) -> None:
    total = f"{job.total:,}" if job.total is not None else "?"
    bar.update(task, description=f"{job.kind} {job.status}", completed=job.done,
               total=job.total, count=f"{job.done:,}/{total}",
               rate=format_rate(job.rows_per_second()), eta=format_duration(job.eta_seconds()))


def _cancel(app: Flask, job_id: str, console: Console) -> None:
    console.print("Cancelling the job; Ctrl-C again to stop following it.")
    with app.extensions["prism.sessions"]() as session:
        try:
            cancel_job(session, job_id)
        except JobFinished:
            pass


def _summarize(console: Console, job: Job, silent_after: float) -> None:
    took = format_duration(job.elapsed_seconds())
    if job.status == SUCCEEDED:
        console.print(f"[green]Job {job.id} succeeded[/] in {took} "
                      f"({job.done:,} done, {format_rate(job.rows_per_second())}).")
    elif job.is_stale(silent_after):
        console.print(f"[red]Job {job.id} looks lost[/]: its worker ({job.worker}) has not "
                      f"answered for over {format_duration(silent_after)}.")
    else:
        headline = (job.error or "").split("\n", 1)[0]
        console.print(f"[red]Job {job.id} {job.status}[/] after {took}: {headline}")
