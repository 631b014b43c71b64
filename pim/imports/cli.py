"""`prism import PATH`: run an import with a live progress bar; revert, report, failed rows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from rich.console import Console
from rich.table import Table

from pim.errors import PrismError, ValidationError
from pim.imports.engine import BATCH_SIZE
from pim.imports.jobs import start_import
from pim.imports.models import SUCCEEDED
from pim.imports.profiles import (
    delete_profile,
    get_profile,
    list_profiles,
    profile_as_dict,
    save_profile,
)
from pim.imports.report import (
    failed_files,
    failed_rows_csv,
    get_import,
    import_issues,
    list_imports,
    record_as_dict,
)
from pim.imports.runs import revert_import
from pim.imports.sources import ImportOptions
from pim.jobs import job_mode
from pim.jobs.progress import follow_job

FORMATS_HELP = "akeneo, xlsx, shopify or profile:NAME (found from the file when not given)"


class ImportGroup(click.Group):
    """`prism import PATH` runs an import; `prism import revert ID` and friends manage them."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@click.group("import", cls=ImportGroup)
def import_group() -> None:
    """Import Akeneo or Shopify CSV, XLSX, or any CSV through a mapping profile."""


def _sessions() -> Any:
    return current_app.extensions["prism.sessions"]()


def _console() -> Console:
    return Console(stderr=False)


@import_group.command("run")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "format_", default=None, help=FORMATS_HELP)
@click.option("--dry-run", is_flag=True, help="Check everything, write nothing.")
@click.option("--mode", type=click.Choice(["partial", "atomic"]), default="partial",
              show_default=True, help="partial: valid rows land; atomic: all or nothing.")
@click.option("--media", type=click.Path(exists=True, path_type=Path), default=None,
              help="Folder or zip holding the media files the rows name.")
@click.option("--ignore-unknown-columns", is_flag=True, help="Import the known columns only.")
@click.option("--create-missing-options", is_flag=True,
              help="Create the options that select cells name and that do not exist yet.")
@click.option("--batch-size", default=BATCH_SIZE, show_default=True, type=int)
@click.option("--currency", default=None, help="Shopify: currency of the prices.")
@click.option("--locale", default=None, help="Shopify: locale of the texts.")
@click.option("--author", default="cli", show_default=True, help="Who the versions name.")
@with_appcontext
def run_command(path: Path, format_: str | None, dry_run: bool, mode: str, media: Path | None,
                ignore_unknown_columns: bool, create_missing_options: bool, batch_size: int,
                currency: str | None, locale: str | None, author: str) -> None:
    """Import PATH: a file, or for Akeneo a folder of structure and product files."""
    options = ImportOptions(
        format=format_, mode=mode, dry_run=dry_run, media=str(media) if media else None,
        ignore_unknown_columns=ignore_unknown_columns,
        create_missing_options=create_missing_options, batch_size=batch_size,
        currency=currency, locale=locale)
    app = current_app._get_current_object()
    try:
        record = start_import(app, path.resolve(), options, created_by=author,
                              source_name=path.name)
    except PrismError as exc:
        raise click.ClickException(exc.message) from None
    console = _console()
    console.print(f"Import {record.id} (job {record.job_id}) of {path.name}")
    if job_mode(app) != "inline" and record.job_id:
        follow_job(app, record.job_id)
    with _sessions() as session:
        record = get_import(session, record.id)
        _summarize(console, record_as_dict(record))
    if record.status != SUCCEEDED:
        raise SystemExit(1)


def _summarize(console: Console, data: dict[str, Any]) -> None:
    table = Table("what", "created", "updated", "unchanged", "skipped", "failed")
    for kind, counts in sorted(data["counts"].items()):
        if kind == "side_effects":
            continue
        table.add_row(kind, *(f"{counts.get(k, 0):,}" for k in
                              ("created", "updated", "unchanged", "skipped", "failed")))
    console.print(table)
    for what, count in (data["counts"].get("side_effects") or {}).items():
        console.print(f"{what}: {count:,}")
    for note in data["notes"]:
        console.print(f"note: {note}")
    console.print(f"status: [bold]{data['status']}[/]; rows read {data['rows_read']:,}, "
                  f"refused {data['rows_failed']:,}, with warnings {data['rows_warned']:,}")
    if data["error"]:
        console.print(f"[red]{data['error']}[/]")
    if data["rows_failed"]:
        console.print(f"Failed rows: prism import failed-rows {data['id']} -o FILE")
    if data["changeset_id"]:
        console.print(f"Undo: prism import revert {data['id']}")


@import_group.command("revert")
@click.argument("import_id")
@click.option("--author", default="cli", show_default=True)
@with_appcontext
def revert_command(import_id: str, author: str) -> None:
    """Undo everything one import wrote."""
    with _sessions() as session:
        try:
            report = revert_import(session, import_id, author=author)
        except PrismError as exc:
            raise click.ClickException(exc.message) from None
    click.echo(f"Reverted import {import_id}: {len(report['reverted'])} restored, "
               f"{len(report['removed'])} removed to the trash, "
               f"{len(report['conflicts'])} left alone (changed since).")
    for conflict in report["conflicts"]:
        click.echo(f"  {conflict['resource']} {conflict['code']}: {conflict['reason']}")


@import_group.command("list")
@click.option("--limit", default=20, show_default=True)
@with_appcontext
def list_command(limit: int) -> None:
    """List recent imports."""
    with _sessions() as session:
        records = [record_as_dict(r) for r in list_imports(session, limit)]
    table = Table("id", "source", "format", "status", "rows", "refused", "created")
    for data in records:
        table.add_row(data["id"], data["source"], data["format"], data["status"],
                      f"{data['rows_read']:,}", f"{data['rows_failed']:,}",
                      (data["created"] or "")[:19])
    _console().print(table if records else "No imports.")


@import_group.command("report")
@click.argument("import_id")
@click.option("--limit", default=50, show_default=True, help="How many issues to show.")
@with_appcontext
def report_command(import_id: str, limit: int) -> None:
    """Show an import's outcome and its issues, per row and column."""
    with _sessions() as session:
        try:
            data = record_as_dict(get_import(session, import_id))
            issues = import_issues(session, import_id, limit=limit)
        except PrismError as exc:
            raise click.ClickException(exc.message) from None
        console = _console()
        _summarize(console, data)
        for issue in issues:
            for problem in issue.problems:
                column = f" {problem['column']}" if problem.get("column") else ""
                value = f" ({problem['value']!r})" if problem.get("value") not in (None, "") \
                    else ""
                console.print(f"{issue.severity} {issue.file} row {issue.row}{column}: "
                              f"{problem['message']}{value}", markup=False)


@import_group.command("failed-rows")
@click.argument("import_id")
@click.option("--file", "file_", default=None, help="Which file (when several had failures).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Where to write the CSV (default: its name in the current folder).")
@with_appcontext
def failed_rows_command(import_id: str, file_: str | None, output: Path | None) -> None:
    """Write the refused rows as a CSV with an error column, to fix and import again."""
    with _sessions() as session:
        try:
            names = [file_] if file_ else failed_files(session, import_id)
            if not names:
                raise click.ClickException(f"import {import_id} refused no row")
            for name in names:
                filename, lines = failed_rows_csv(session, import_id, name)
                target = output if output and len(names) == 1 else Path(filename)
                with target.open("w", encoding="utf-8", newline="") as handle:
                    handle.writelines(lines)
                click.echo(f"Wrote {target}")
        except PrismError as exc:
            raise click.ClickException(exc.message) from None


@import_group.group("profiles")
def profiles_group() -> None:
    """Mapping profiles: how to read any CSV (`--format profile:NAME`)."""


@profiles_group.command("list")
@with_appcontext
def profiles_list_command() -> None:
    """List the saved mapping profiles."""
    with _sessions() as session:
        found = [profile_as_dict(p) for p in list_profiles(session)]
    for data in found:
        click.echo(f"{data['name']}: {len(data['settings'].get('columns', {}))} column(s)"
                   f"{' - ' + data['description'] if data['description'] else ''}")
    if not found:
        click.echo("No mapping profiles.")


@profiles_group.command("show")
@click.argument("name")
@with_appcontext
def profiles_show_command(name: str) -> None:
    """Print a mapping profile as JSON."""
    with _sessions() as session:
        try:
            data = profile_as_dict(get_profile(session, name))
        except PrismError as exc:
            raise click.ClickException(exc.message) from None
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@profiles_group.command("save")
@click.argument("name")
@click.argument("settings", type=click.File("r", encoding="utf-8"))
@click.option("--description", default=None)
@click.option("--author", default="cli", show_default=True)
@with_appcontext
def profiles_save_command(name: str, settings: Any, description: str | None,
                          author: str) -> None:
    """Save (or replace) profile NAME from a JSON file of settings."""
    try:
        data = json.load(settings)
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"the settings are not JSON: {exc}") from None
    with _sessions() as session:
        try:
            save_profile(session, name, data, author=author, description=description)
        except ValidationError as exc:
            raise click.ClickException("; ".join(f"{e.field}: {e.message}"
                                                 for e in exc.errors)) from None
    click.echo(f"Saved mapping profile {name!r}.")


@profiles_group.command("delete")
@click.argument("name")
@with_appcontext
def profiles_delete_command(name: str) -> None:
    """Delete a mapping profile."""
    with _sessions() as session:
        try:
            delete_profile(session, name)
        except PrismError as exc:
            raise click.ClickException(exc.message) from None
    click.echo(f"Deleted mapping profile {name!r}.")
