"""`prism assets`: ingest files, folders and zips, link them to products, pre-generate
renditions, and set a channel's image presets."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from pim.errors import PrismError
from pim.jobs import Job
from pim.jobs.progress import follow_job

AUTHOR = click.option("--author", default="cli", show_default=True,
                      help="Who the new assets and versions name.")


@click.group("assets")
def assets_group() -> None:
    """Digital assets: ingest, link to products, renditions, channel presets."""


@contextmanager
def _sessions() -> Iterator[Session]:
    """A session whose domain errors reach the terminal as one plain line."""
    with current_app.extensions["prism.sessions"]() as session:
        with _plain_errors():
            yield session


@contextmanager
def _plain_errors() -> Iterator[None]:
    try:
        yield
    except PrismError as exc:
        raise click.ClickException(exc.message) from None


def _tags(raw: str) -> list[str]:
    return [tag.strip() for tag in raw.split(",") if tag.strip()]


@assets_group.command("ingest")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--tags", default="", help="Comma-separated tags for every new asset.")
@click.option("--code", default=None, help="The asset's code (one file only).")
@click.option("--no-link", is_flag=True, help="Do not apply the link rules.")
@AUTHOR
@with_appcontext
def ingest_command(path: Path, tags: str, code: str | None, no_link: bool, author: str) -> None:
    """Ingest a file, or every file of a folder or zip archive (as a job, with progress)."""
    if path.is_dir() or path.suffix.lower() == ".zip":
        if code:
            raise click.UsageError("--code names one asset: give a single file")
        from pim.dam.jobs import start_ingest

        with _plain_errors():
            job = start_ingest(current_app, path, tags=_tags(tags), link=not no_link,
                               created_by=author)
        _finish(current_app, job)
        return
    _ingest_one(path, _tags(tags), code, not no_link, author)


def _ingest_one(path: Path, tags: list[str], code: str | None, link: bool, author: str) -> None:
    from pim.dam.uploads import upload_asset

    app = current_app
    with _sessions() as session, path.open("rb") as stream:
        done = upload_asset(session, app.extensions["prism.storage"], stream, path.name,
                            policy=app.extensions["prism.ingest_policy"], author=author,
                            source="cli", code=code, tags=tags, link=link)
        stored = done.asset.file
        size = f", {stored.width}x{stored.height}" if stored.is_image else ""
        click.echo(f"Asset {done.asset.code}: {stored.media_type}{size}, {stored.size:,} bytes")
        _echo_links(done.links.as_dict())


@assets_group.command("link")
@click.option("--rule", "rules", multiple=True, help="Apply this rule (repeatable); "
              "default: every enabled rule.")
@click.option("--asset", "asset_codes", multiple=True, help="Only this asset (repeatable).")
@AUTHOR
@with_appcontext
def link_command(rules: tuple[str, ...], asset_codes: tuple[str, ...], author: str) -> None:
    """Link stored assets to products by the link rules (as a job)."""
    from pim.dam.jobs import start_linking

    with _plain_errors():
        job = start_linking(current_app, asset_codes=list(asset_codes) or None,
                            rule_codes=list(rules), created_by=author)
    _finish(current_app, job)


@assets_group.command("pregenerate")
@click.option("--channel", default=None, help="The channel whose presets and assets to use.")
@click.option("--spec", "specs", multiple=True,
              help="A rendition spec (repeatable); default: the channel's presets.")
@AUTHOR
@with_appcontext
def pregenerate_command(channel: str | None, specs: tuple[str, ...], author: str) -> None:
    """Generate renditions ahead of time (as a job): a channel's, or specs for all images."""
    from pim.dam.jobs import start_pregenerate

    if channel is None and not specs:
        raise click.UsageError("give --channel, or --spec for every image asset")
    with _plain_errors():
        job = start_pregenerate(current_app, channel=channel, specs=list(specs) or None,
                                created_by=author)
    _finish(current_app, job)


@assets_group.command("presets")
@click.argument("channel")
@click.option("--set", "assignments", multiple=True, metavar="FIELD=SPEC",
              help="Set a field's preset (repeatable); the others are kept.")
@click.option("--recommended", is_flag=True,
              help="Start from presets meeting the channel's published image rules.")
@AUTHOR
@with_appcontext
def presets_command(channel: str, assignments: tuple[str, ...], recommended: bool,
                    author: str) -> None:
    """Show a channel's image presets, or change them (checked before saving)."""
    from pim.catalog import services as s
    from pim.dam.presets import channel_presets, recommended_presets, save_image_presets

    with _sessions() as session:
        current = channel_presets(session, channel)
        if assignments or recommended:
            own = dict((s.get_channel(session, channel).settings or {}).get("image_presets")
                       or {})
            if recommended:
                own.update(recommended_presets(s.get_channel(session, channel).exporter))
            own.update(_assignments(assignments))
            current = save_image_presets(session, channel, own, author=author, source="cli")
        for name, spec in sorted(current.items()):
            click.echo(f"{name}: {spec}")


def _assignments(items: tuple[str, ...]) -> dict[str, str]:
    found = {}
    for item in items:
        name, equals, spec = item.partition("=")
        if not equals or not name.strip():
            raise click.BadParameter(f"{item!r}: expected FIELD=SPEC", param_hint="--set")
        found[name.strip()] = spec.strip()
    return found


def _finish(app: Flask, job: Job) -> None:
    job = follow_job(app, job.id)
    if job.result:
        _echo_result(job.result)
    if job.status != "succeeded":
        raise SystemExit(1)


def _echo_result(result: dict[str, Any]) -> None:
    if "created" in result:
        click.echo(f"{result['created']} asset(s) created, {result['refused']} file(s) refused")
        for refusal in result["refusals"]:
            click.echo(f"  refused {refusal['name']}: {refusal['reason']}")
    if "generated" in result:
        click.echo(f"{result['generated']} rendition(s) generated, {result['reused']} reused, "
                   f"{len(result['skipped'])} asset(s) without renditions, "
                   f"{len(result['failed'])} failure(s)")
        for failure in result["failed"]:
            click.echo(f"  {failure['asset']} {failure['spec']}: {failure['message']}")
    links = result.get("links", result if "linked" in result else None)
    if links is not None:
        _echo_links(links)


def _echo_links(links: dict[str, Any]) -> None:
    click.echo(f"{links['linked']} link(s) made, {links['unchanged']} already there, "
               f"{links['failed']} not made")
    for outcome in links["outcomes"]:
        if outcome["status"] == "failed":
            click.echo(f"  {outcome['filename']} -> {outcome['identifier']} "
                       f"{outcome['attribute']}: {outcome['message']}")
    if links.get("changeset_id"):
        click.echo(f"The versions written are in changeset {links['changeset_id']}.")
