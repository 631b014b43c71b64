"""`prism export` writes a channel's output to a file; `prism publish` publishes it as a job."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

import click
from flask import current_app
from flask.cli import with_appcontext
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from exporters.engine import ExportStats, prepare_export, run_export
from exporters.feeds import feed_url, rotate_feed_secret
from exporters.images import AssetImages
from exporters.live import ListingBaseline, live_outputs
from exporters.publishing import (
    dump_publication,
    list_publications,
    publish_context,
    start_publication,
    start_rollback,
)
from exporters.runner import PublishContext
from exporters.spool import Spool
from pim.catalog.channels import get_channel
from pim.catalog.reading import read_snapshot
from pim.errors import PrismError, ValidationError

SHOWN_PROBLEMS = 20


def register_commands(app: Any) -> None:
    """Attach `prism export` and `prism publish`."""
    app.cli.add_command(export_command)
    app.cli.add_command(publish_command)


def _refuse(exc: PrismError) -> click.ClickException:
    if isinstance(exc, ValidationError):
        lines = [f"  {e.field}: {e.message}" for e in exc.errors]
        return click.ClickException("\n".join(["the channel cannot be exported:", *lines]))
    return click.ClickException(exc.message)


@click.command("export")
@click.argument("channel")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (replaced atomically).")
@click.option("--delta", is_flag=True, help="Only what changed since the live publication.")
@with_appcontext
def export_command(channel: str, out: Path, delta: bool) -> None:
    """Write CHANNEL's output to a file, without publishing it."""
    pc = publish_context(current_app)
    console = Console(stderr=True)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    spool = Spool(out.parent)
    try:
        stats = _write_atomically(out, lambda stream: _export(pc, channel, stream, delta,
                                                              spool, console))
        _report(console, stats, spool, out)
    except PrismError as exc:
        raise _refuse(exc) from None
    finally:
        spool.close()


def _write_atomically(out: Path, write: Any) -> ExportStats:
    descriptor, temp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stats = write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, out)
        return stats
    finally:
        Path(temp).unlink(missing_ok=True)


def _export(pc: PublishContext, channel: str, stream: BinaryIO, delta: bool, spool: Spool,
            console: Console) -> ExportStats:
    with pc.sessions() as session, read_snapshot(session):
        found = get_channel(session, channel)
        images = AssetImages(session, pc.public_url, pc.media_path) if pc.media_path else None
        export = prepare_export(session, found, public_url=pc.public_url, images=images)
        baseline = ListingBaseline(session, found.id) if delta else None
        with Progress("[bold]{task.description}", BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console) as bar:
            task = bar.add_task(f"export {channel}", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            return run_export(session, export, stream, delta=baseline, observer=spool,
                              progress=progress)


def _report(console: Console, stats: ExportStats, spool: Spool, out: Path) -> None:
    console.print(f"Wrote {stats.exported:,} records to {out} ({stats.size:,} bytes, sha256 "
                  f"{stats.checksum}) in {stats.seconds:.1f} s; skipped {stats.skipped:,}, "
                  f"filtered out {stats.filtered:,}, unchanged {stats.unchanged:,}, "
                  f"removed {stats.removed:,}.", highlight=False)
    _problems(console, spool)


def _problems(console: Console, spool: Spool) -> None:
    shown = 0
    for rows in spool.problems():
        for row in rows:
            if shown == SHOWN_PROBLEMS:
                console.print(f"... and {spool.problem_count - shown:,} more problems")
                return
            console.print(f"  {row['identifier']}: {row['field']} ({row['rule']}): "
                          f"{row['message']}", markup=False, highlight=False)
            shown += 1


@click.command("publish")
@click.argument("channel")
@click.option("--delta", is_flag=True, help="Publish only what changed since the live one.")
@click.option("--rollback", "rollback", type=int, metavar="ID",
              help="Put publication ID's output back live instead.")
@click.option("--history", is_flag=True, help="List the channel's publications.")
@click.option("--new-feed-secret", is_flag=True,
              help="Give the channel a new feed URL secret and print its feed URLs.")
@with_appcontext
def publish_command(channel: str, delta: bool, rollback: int | None, history: bool,
                    new_feed_secret: bool) -> None:
    """Publish CHANNEL as a job and follow it (or roll back, list, rotate the feed secret)."""
    from pim.jobs.progress import follow_job

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        if history:
            return _history(app, channel)
        if new_feed_secret:
            return _new_secret(app, channel)
        publication = (start_rollback(app, rollback, created_by="cli") if rollback is not None
                       else start_publication(app, channel, delta=delta, created_by="cli"))
    except PrismError as exc:
        raise _refuse(exc) from None
    job = follow_job(app, publication.job_id) if publication.job_id else None
    with app.extensions["prism.sessions"]() as session:
        from exporters.publishing import get_publication

        data = dump_publication(get_publication(session, publication.id))
    _summary(data)
    if data["status"] != "succeeded" or (job is not None and job.status != "succeeded"):
        raise SystemExit(1)


def _summary(data: dict[str, Any]) -> None:
    counts = data["counts"]
    click.echo(f"Publication {data['id']} of {data['channel']} ({data['mode']}): "
               f"{data['status']}; {counts['exported']:,} written, {counts['skipped']:,} "
               f"skipped, {counts['unchanged']:,} unchanged, {counts['removed']:,} removed.")
    if data["checksum"]:
        click.echo(f"  {data['file']}: {data['size']:,} bytes, sha256 {data['checksum']}")
    for delivery in data["deliveries"]:
        click.echo(f"  delivered to {delivery['where']}")
    if data["error"]:
        click.echo(f"  error: {data['error'].splitlines()[0]}")


def _history(app: Any, channel: str) -> None:
    with app.extensions["prism.sessions"]() as session:
        rows = [dump_publication(p) for p in list_publications(session, channel, limit=30)]
    for data in rows:
        counts = data["counts"]
        click.echo(f"{data['id']:>6}  {data['created']}  {data['mode']:<8} {data['status']:<9} "
                   f"{counts['exported']:>8,} written {counts['skipped']:>6,} skipped  "
                   f"{data['checksum'] or ''}")
    if not rows:
        click.echo(f"No publication of {channel} yet.")


def _new_secret(app: Any, channel: str) -> None:
    with app.extensions["prism.sessions"]() as session:
        secret = rotate_feed_secret(session, channel)
        names = list(live_outputs(session, get_channel(session, channel).id).by_file())
    public = app.config["PUBLIC_URL"]
    click.echo(f"New feed secret for {channel}; the old feed URLs no longer work.")
    for name in names or ["<file, once published>"]:
        click.echo(f"  {feed_url(public, channel, secret, name)}")
