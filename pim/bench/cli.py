"""`prism bench`: generate benchmark catalogs and run every benchmark."""

from __future__ import annotations

import importlib
import pkgutil
import tempfile
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

import pim.bench
from pim.bench import BENCHMARKS, BenchContext, render_table, write_table


@click.group("bench")
def bench_group() -> None:
    """Benchmarks."""


@bench_group.command("generate")
@click.option("--products", default=1000, show_default=True, type=int)
@click.option("--seed", default=42, show_default=True, type=int)
@with_appcontext
def generate_command(products: int, seed: int) -> None:
    """Fill the (empty) configured database with a synthetic catalog."""
    from pim.bench.generator import generate
    from pim.db import check_migrated
    from pim.demo.loader import catalog_is_empty

    check_migrated(current_app.extensions["prism.engine"])
    with current_app.extensions["prism.sessions"]() as session:
        if not catalog_is_empty(session):
            raise click.ClickException("The database is not empty.")
        started = time.perf_counter()
        result = generate(session, products, seed)
    click.echo(f"Generated {result.products} products, {result.models} product models and "
               f"{result.families} families in {time.perf_counter() - started:.1f} s.")


def load_benchmarks() -> None:
    """Import every benchmark module so that they register."""
    for module in pkgutil.iter_modules(pim.bench.__path__):
        if module.name not in {"cli", "catalogs", "generator"}:
            importlib.import_module(f"pim.bench.{module.name}")


@bench_group.command("run")
@click.option("--only", multiple=True, help="Run only these benchmarks.")
@click.option("--products", default=100_000, show_default=True, type=int)
@click.option("--seed", default=42, show_default=True, type=int)
@click.option("--postgres", envvar="PRISM_BENCH_POSTGRES_URL", default=None,
              help="PostgreSQL server URL for the benchmarks that compare backends.")
@click.option("--workdir", type=click.Path(path_type=Path), default=None)
@click.option("--doc", type=click.Path(path_type=Path), default=Path("docs/benchmarks.md"))
def run_command(only: tuple[str, ...], products: int, seed: int, postgres: str | None,
                workdir: Path | None, doc: Path) -> None:
    """Run the benchmarks and rewrite the table in docs/benchmarks.md."""
    load_benchmarks()
    names = list(only) or sorted(BENCHMARKS)
    unknown = set(names) - set(BENCHMARKS)
    if unknown:
        raise click.ClickException(f"unknown benchmarks: {', '.join(sorted(unknown))} "
                                   f"(known: {', '.join(sorted(BENCHMARKS))})")
    root = workdir or Path(tempfile.mkdtemp(prefix="prism-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    figures = []
    for name in names:
        click.echo(f"running {name} ...")
        ctx = BenchContext(workdir=root, products=products, seed=seed, postgres_url=postgres)
        figures.extend(BENCHMARKS[name](ctx))
    click.echo(render_table(figures))
    write_table(doc, figures, only=set(only) if only else None)
    click.echo(f"Wrote {doc}")
