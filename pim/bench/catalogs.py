"""Benchmark databases: a generated catalog per size and seed, built once and reused."""

from __future__ import annotations

import shutil
from pathlib import Path

from pim.bench import BenchContext
from pim.bench.generator import generate
from pim.db import make_engine, make_session_factory, upgrade_database


def fresh_sqlite(path: Path) -> str:
    """Create a migrated, empty SQLite database at `path` and return its URL."""
    if path.exists():
        path.unlink()
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade_database(engine)
    engine.dispose()
    return url


def generated_sqlite(ctx: BenchContext, products: int | None = None) -> str:
    """Return the URL of a private copy of the generated catalog of `products` products."""
    count = products or ctx.products
    cached = ctx.workdir / f"catalog-{count}-{ctx.seed}.sqlite3"
    if not cached.exists():
        url = fresh_sqlite(cached.with_suffix(".tmp"))
        engine = make_engine(url)
        with make_session_factory(engine)() as session:
            generate(session, count, ctx.seed)
        engine.dispose()
        cached.with_suffix(".tmp").rename(cached)
    else:  # a catalog cached by an earlier release is brought to the current schema
        engine = make_engine(f"sqlite:///{cached}")
        upgrade_database(engine)
        engine.dispose()
    copy = ctx.workdir / f"work-{count}-{ctx.seed}.sqlite3"
    shutil.copyfile(cached, copy)
    return f"sqlite:///{copy}"
