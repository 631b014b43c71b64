"""`prism demo`: load the demo catalog."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from pim.db import check_migrated
from pim.demo.loader import catalog_is_empty, load_demo


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the catalog has data.")
@with_appcontext
def demo_command(if_empty: bool) -> None:
    """Load the demo catalog (products, variants, channels, images) into the database."""
    check_migrated(current_app.extensions["prism.engine"])
    with current_app.extensions["prism.sessions"]() as session:
        if not catalog_is_empty(session):
            if if_empty:
                click.echo("The catalog already has data; demo not loaded.")
                return
            raise click.ClickException("The catalog is not empty; the demo needs an empty one.")
        summary = load_demo(session, current_app.extensions["prism.storage"],
                            current_app.extensions["prism.ingest_policy"])
    click.echo(f"Demo catalog loaded: {summary.products} products, {summary.images} pictures.")
