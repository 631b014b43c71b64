"""The `prism` command line: a Flask CLI group."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from pim.db import upgrade_database


def _create_cli_app() -> Flask:
    from pim import create_app

    return create_app({"CHECK_MIGRATIONS": False})


@click.group(cls=FlaskGroup, create_app=_create_cli_app, add_default_commands=False)
def main() -> None:
    """Prism product content hub."""


def register(app: Flask) -> None:
    """Attach every command group to `app`."""
    from exporters.cli import register_commands as register_export_commands
    from pim.auth.cli import register_commands as register_auth_commands
    from pim.bench.cli import bench_group
    from pim.dam.cli import assets_group
    from pim.demo.cli import demo_command
    from pim.imports.cli import import_group
    from pim.jobs.cli import jobs_group
    from pim.search.cli import register_commands as register_search_commands

    app.cli.add_command(db_group)
    app.cli.add_command(jobs_group)
    app.cli.add_command(serve_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(bench_group)
    app.cli.add_command(assets_group)
    app.cli.add_command(import_group)
    register_auth_commands(app)
    register_search_commands(app)
    register_export_commands(app)


@click.group("db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Apply every pending migration."""
    upgrade_database(current_app.extensions["prism.engine"])
    click.echo("Database is up to date.")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def serve_command(host: str, port: int) -> None:
    """Serve the UI and the API (use gunicorn `wsgi:app` in production)."""
    from werkzeug.serving import run_simple

    from pim.db import check_migrated

    app = current_app._get_current_object()
    check_migrated(app.extensions["prism.engine"])
    click.echo(f"Prism is serving on http://{host}:{port}/ (API under /api/rest/v1)")
    run_simple(host, port, app, threaded=True, use_reloader=False)
