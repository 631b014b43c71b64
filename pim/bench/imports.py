"""Import benchmark: the generator's products as an Akeneo CSV, imported into its catalog.

The generated catalog (`pim.bench.generator`, 30 attributes, 3 locales) is written out as
an Akeneo product CSV; the products are then deleted, leaving the structure and product
models, and the CSV is imported back as `prism import` runs it (partial mode, batches of
1000, one changeset; a file this large is read and checked by a second process ahead of
the writes, `pim.imports.ahead`). Beside it, the same product rows are inserted with a
bare DBAPI `executemany` of the products table alone. Each import runs in a child
process, so its peak memory (VmHWM, its own high-water mark) is its own; the memory of
the importing process and of the one checking ahead is also sampled together.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from pim.bench import BenchContext, Figure, benchmark
from pim.bench.catalogs import generated_sqlite
from pim.bench.generator import CHANNELS, generate
from pim.catalog.models import Attribute, Category, Family, Product, ProductModel
from pim.catalog.models import product_categories as links
from pim.catalog.values import get_value
from pim.db import make_engine, make_session_factory, upgrade_database

COMMAND = "prism bench run --only imports"
TARGETS = {"SQLite": "<= 20 s", "PostgreSQL": "<= 40 s"}
MEMORY_TARGET = "< 400 MB"
CHUNK = 2000


@benchmark("imports")
def import_benchmarks(ctx: BenchContext) -> list[Figure]:
    """Import ctx.products generator products from CSV on SQLite (and PostgreSQL if given)."""
    source = generated_sqlite(ctx)
    csv_path = ctx.workdir / f"products-{ctx.products}-{ctx.seed}.csv"
    engine = make_engine(source)
    with Session(engine) as session:
        rows = write_products_csv(session, csv_path)
    engine.dispose()
    target = ctx.workdir / "imports-target.sqlite3"
    shutil.copyfile(source.removeprefix("sqlite:///"), target)
    figures = _measure(f"sqlite:///{target}", "SQLite", csv_path, rows, ctx)
    if ctx.postgres_url:
        figures += _measure(_postgres_catalog(ctx), "PostgreSQL", csv_path, rows, ctx)
    return figures


def _measure(url: str, backend: str, csv_path: Path, rows: int, ctx: BenchContext
             ) -> list[Figure]:
    engine = make_engine(url)
    bare = _bare_insert(engine, csv_path)
    _delete_products(engine)
    engine.dispose()
    outcome = _import_in_child(url, csv_path)
    created = outcome["counts"].get("product", {}).get("created", 0)
    if created != rows:
        raise RuntimeError(f"the import created {created} of {rows} products: {outcome}")
    pace = rows / outcome["seconds"]
    ahead = (f"with the second process that reads and checks ahead, together "
             f"{outcome['together_private_mb']:.0f} MB private, "
             f"{outcome['together_mb']:.0f} MB resident with the pages of the database file "
             "each maps (sampled every 100 ms)"
             if any("second process" in note for note in outcome["notes"])
             else "checked in the importing process alone")
    return [
        Figure(f"import {rows:,} generator products from an Akeneo CSV ({backend})",
               f"{outcome['seconds']:.1f} s", TARGETS[backend], COMMAND,
               note=f"{pace:,.0f} rows/s; 30 attributes, 3 locales"),
        Figure(f"peak memory of that import ({backend})", f"{outcome['peak_mb']:.0f} MB",
               MEMORY_TARGET, COMMAND,
               note=f"peak RSS (VmHWM) of the importing process; {ahead}"),
        Figure(f"bare executemany of the same {rows:,} product rows ({backend})",
               f"{bare:.1f} s", "-", COMMAND,
               note="products table only: no checks, versions or completeness"),
    ]


# ---- the CSV -----------------------------------------------------------------------------

def csv_columns(attributes: list[Attribute]) -> list[tuple[str, str, Any, Any, str]]:
    """Akeneo columns for the attributes: (column, code, locale, channel, part)."""
    columns = []
    for attribute in attributes:
        if attribute.type == "pim_catalog_identifier":
            continue
        for locale, scope in _slots(attribute):
            name = "-".join(p for p in (attribute.code, locale, scope) if p)
            if attribute.type == "pim_catalog_price_collection":
                columns += [(f"{name}-{c}", attribute.code, locale, scope, c)
                            for c in ("EUR", "USD")]
            elif attribute.type == "pim_catalog_metric":
                columns += [(name, attribute.code, locale, scope, "amount"),
                            (f"{name}-unit", attribute.code, locale, scope, "unit")]
            else:
                columns.append((name, attribute.code, locale, scope, "data"))
    return columns


def _slots(attribute: Attribute) -> list[tuple[str | None, str | None]]:
    locales = sorted({loc for locs, _ in CHANNELS.values() for loc in locs})
    if attribute.scopable:
        return [(loc if attribute.localizable else None, channel)
                for channel, (locs, _) in sorted(CHANNELS.items())
                for loc in (locs if attribute.localizable else [None])]
    return [(loc, None) for loc in locales] if attribute.localizable else [(None, None)]


def write_products_csv(session: Session, path: Path) -> int:
    """Write every product of the catalog (own values) as an Akeneo product CSV."""
    attributes = list(session.scalars(select(Attribute).order_by(Attribute.code)))
    ident = next(a.code for a in attributes if a.type == "pim_catalog_identifier")
    columns = csv_columns(attributes)
    families = dict(session.execute(select(Family.id, Family.code)).all())
    models = dict(session.execute(select(ProductModel.id, ProductModel.code)).all())
    categories = dict(session.execute(select(Category.id, Category.code)).all())
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow([ident, "family", "parent", "categories", "enabled",
                         *(c[0] for c in columns)])
        last = 0
        while batch := session.execute(
                select(Product.id, Product.identifier, Product.family_id, Product.parent_id,
                       Product.enabled, Product.values)
                .where(Product.id > last).order_by(Product.id).limit(CHUNK)).all():
            last = batch[-1].id
            owned = _categories(session, [p.id for p in batch], categories)
            for p in batch:
                writer.writerow([p.identifier, families.get(p.family_id, ""),
                                 models.get(p.parent_id, ""), ",".join(owned.get(p.id, [])),
                                 "1" if p.enabled else "0",
                                 *(_cell(p.values, c) for c in columns)])
                count += 1
    return count


def _categories(session: Session, ids: list[int], codes: dict[int, str]) -> dict[int, list]:
    found: dict[int, list[str]] = {}
    for product_id, category_id in session.execute(
            select(links.c.product_id, links.c.category_id).where(links.c.product_id.in_(ids))):
        found.setdefault(product_id, []).append(codes[category_id])
    return found


def _cell(values: dict[str, Any], column: tuple[str, str, Any, Any, str]) -> str:
    _, code, locale, scope, part = column
    data = get_value(values, code, locale, scope)
    if data is None:
        return ""
    if part in ("EUR", "USD"):
        return next((p["amount"] for p in data if p["currency"] == part), "")
    if part in ("amount", "unit"):
        return str(data[part])
    if isinstance(data, bool):
        return "1" if data else "0"
    if isinstance(data, list):
        return ",".join(data)
    return str(data)


# ---- the databases -----------------------------------------------------------------------

def _delete_products(engine: Engine) -> None:
    """Leave structure and product models; remove products and what hangs on them."""
    with engine.begin() as conn:
        for table in ("completeness", "unique_values", "product_categories"):
            conn.execute(text(f"DELETE FROM {table}"))
        conn.execute(text("DELETE FROM versions WHERE resource_type = 'product'"))
        conn.execute(text("DELETE FROM products"))


def _bare_insert(engine: Engine, csv_path: Path) -> float:
    """Time a plain executemany of the product rows, then take them out again."""
    _delete_products(engine)
    with engine.connect() as conn:
        rows = [(f"{json.dumps(p['values'])}", p["identifier"], f"bare-{n}")
                for n, p in enumerate(_product_rows(csv_path))]
        raw = conn.connection.driver_connection
        marker = "?" if engine.dialect.name == "sqlite" else "%s"
        started = time.perf_counter()
        cursor = raw.cursor()
        cursor.executemany(
            "INSERT INTO products (\"values\", identifier, uuid, enabled, status, version, "
            f"created, updated) VALUES ({marker}, {marker}, {marker}, true, 'draft', 1, "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", rows)
        raw.commit()
        seconds = time.perf_counter() - started
        cursor.close()
    return seconds


def _product_rows(csv_path: Path) -> list[dict[str, Any]]:
    with csv_path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        header = next(reader)
        return [{"identifier": cells[0],
                 "values": {column: [{"locale": None, "scope": None, "data": cell}]
                            for column, cell in zip(header[5:], cells[5:], strict=True)
                            if cell}} for cells in reader]


def _postgres_catalog(ctx: BenchContext) -> str:
    """A PostgreSQL database with the generated catalog of the same size and seed."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    name = "prism_bench_imports"
    admin = create_engine(ctx.postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(ctx.postgres_url).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade_database(engine)
    with make_session_factory(engine)() as session:
        generate(session, ctx.products, ctx.seed)
    engine.dispose()
    return url


# ---- the import, in a process of its own -------------------------------------------------

CHILD = """
import json, resource, sys, time


import os, threading


def descendants(pid):
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as children:
                found += [int(c) for c in children.read().split()]
    except OSError:
        return found
    return found + [d for child in found for d in descendants(child)]


def rss_kib(pid):
    # (resident in all, of it private): pages of the mapped database file are shared
    found = {}
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(("VmRSS:", "RssAnon:")):
                    found[line.split(":")[0]] = int(line.split()[1])
    except OSError:
        pass
    return found.get("VmRSS", 0), found.get("RssAnon", 0)


# the importing process and the one that checks ahead: their memory together, sampled
together = [0, 0]
done = threading.Event()


def sample():
    me = os.getpid()
    while not done.wait(0.1):
        sizes = [rss_kib(p) for p in [me, *descendants(me)]]
        together[0] = max(together[0], sum(size[0] for size in sizes))
        together[1] = max(together[1], sum(size[1] for size in sizes))


def peak_rss_mb():
    # VmHWM is this program's own high-water mark; ru_maxrss is not: on Linux it keeps
    # the size of the forked parent across exec, so a large parent shows up here
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


from pim.db import make_engine, make_session_factory
from pim.imports.runs import create_import, execute_import
from pim.imports.sources import ImportOptions
import pim.models
engine = make_engine(sys.argv[1])
sessions = make_session_factory(engine)
with sessions() as session:
    import_id = create_import(session, sys.argv[2], ImportOptions(format="akeneo")).id
sampler = threading.Thread(target=sample, daemon=True)
sampler.start()
started = time.perf_counter()
record = execute_import(sessions, import_id)
seconds = time.perf_counter() - started
done.set()
sampler.join()
peak = peak_rss_mb()
print(json.dumps({"seconds": seconds, "peak_mb": peak, "together_mb": together[0] / 1024,
                  "together_private_mb": together[1] / 1024,
                  "counts": record.counts, "status": record.status, "error": record.error,
                  "notes": record.notes}))
"""


def _import_in_child(url: str, csv_path: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", CHILD, url, str(csv_path)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the import process failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])

