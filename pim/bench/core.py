"""Catalog core benchmarks: product save latency and storage added by one edit."""

from __future__ import annotations

import statistics
import time
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from pim.bench import BenchContext, Figure, benchmark, median_ms
from pim.bench.catalogs import fresh_sqlite
from pim.bench.generator import LOCALES, generate
from pim.catalog import services as s
from pim.db import make_engine, make_session_factory

COMMAND = "prism bench run --only core"
SAVES = 300
EDITS = 3000


def forty_values(n: int) -> dict[str, Any]:
    """Values of one product of family_0: 40 values over 3 locales."""
    def plain(data: Any) -> list[dict[str, Any]]:
        return [{"locale": None, "scope": None, "data": data}]

    def localized(words: str, scope: str | None = None) -> list[dict[str, Any]]:
        return [{"locale": loc, "scope": scope, "data": f"{words} {loc} {n}"} for loc in LOCALES]

    return {
        "name": localized("Trail shoe"),
        "description": localized("<p>Light</p>", "ecommerce") + [
            {"locale": "en_US", "scope": "mobile", "data": "<p>Light</p>"},
            {"locale": "de_DE", "scope": "print", "data": "<p>Leicht</p>"}],
        "short_description": localized("Short"), "keywords": localized("shoe run"),
        "care": localized("Wash cold"),
        "price": plain([{"amount": "89.00", "currency": "EUR"},
                        {"amount": "99.00", "currency": "USD"}]),
        "brand": plain("brand_1"), "color": plain("color_2"), "size": plain("size_3"),
        "origin": plain("origin_4"), "season": plain("season_1"),
        "material": plain(["material_1", "material_2"]),
        "weight": plain({"amount": "0.35", "unit": "KILOGRAM"}),
        "length": plain({"amount": "30", "unit": "CENTIMETER"}),
        "width": plain({"amount": "12", "unit": "CENTIMETER"}),
        "height": plain({"amount": "10", "unit": "CENTIMETER"}),
        "power": plain({"amount": "0", "unit": "WATT"}),
        "ean": plain(f"{n:013d}"), "mpn": plain(f"MPN-{n}"), "release_date": plain("2026-01-15"),
        "warranty": plain(2), "rating": plain("4.5"), "stock": plain(12), "in_stock": plain(True),
        "eco": plain(False), "images": plain([f"img_{n}"]), "manual": plain("m/manual.pdf"),
        "url": plain(f"https://example.com/p/{n}"),
    }


def count_values(values: dict[str, Any]) -> int:
    return sum(len(entries) for entries in values.values())


@benchmark("core")
def core_benchmarks(ctx: BenchContext) -> list[Figure]:
    """Measure product saves and version storage on SQLite (and PostgreSQL if given)."""
    figures = _run(fresh_sqlite(ctx.workdir / "core.sqlite3"), "SQLite")
    if ctx.postgres_url:
        figures += _run(_fresh_postgres(ctx.postgres_url), "PostgreSQL")
    return figures


def _fresh_postgres(server: str) -> str:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from pim.db import upgrade_database

    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text('DROP DATABASE IF EXISTS "prism_bench_core" WITH (FORCE)'))
        conn.execute(text('CREATE DATABASE "prism_bench_core"'))
    admin.dispose()
    url = make_url(server).set(database="prism_bench_core").render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade_database(engine)
    engine.dispose()
    return url


def _run(url: str, backend: str) -> list[Figure]:
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with factory() as session:
        generate(session, 1000, 42)
    with factory() as session:
        create_times, update_times = _save_latency(session)
    with factory() as session:
        per_edit = _bytes_per_edit(session, engine)
    engine.dispose()
    values = count_values(forty_values(0))
    return [
        Figure(f"create a product with {values} values ({backend}), median",
               f"{median_ms(create_times):.1f} ms", "<= 15 ms" if backend == "SQLite" else "-",
               COMMAND),
        Figure(f"save a {values}-value product after a one-value edit ({backend}), median",
               f"{median_ms(update_times):.1f} ms", "<= 15 ms" if backend == "SQLite" else "-",
               COMMAND, note=f"p90 {statistics.quantiles(update_times, n=10)[-1] * 1000:.1f} ms"),
        Figure(f"database growth per one-attribute edit ({backend})", f"{per_edit:.0f} bytes",
               "<= 2048 bytes", COMMAND, note=f"mean over {EDITS} edits"),
    ]


def _save_latency(session: Session) -> tuple[list[float], list[float]]:
    creates, updates = [], []
    for n in range(SAVES):
        data = {"identifier": f"BENCH-{n}", "family": "family_0", "categories": ["c1_1"],
                "values": forty_values(n)}
        started = time.perf_counter()
        s.create_product(session, data, author="bench")
        creates.append(time.perf_counter() - started)
    for n in range(SAVES):
        change = {"values": {"name": [{"locale": "en_US", "scope": None,
                                       "data": f"Renamed {n}"}]}}
        started = time.perf_counter()
        s.update_product(session, f"BENCH-{n}", change, author="bench")
        updates.append(time.perf_counter() - started)
    return creates, updates


def _database_bytes(session: Session) -> int:
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        pages = session.execute(text("PRAGMA page_count")).scalar()
        free = session.execute(text("PRAGMA freelist_count")).scalar()
        size = session.execute(text("PRAGMA page_size")).scalar()
        return (pages - free) * size
    return session.execute(text("SELECT pg_database_size(current_database())")).scalar()


def _bytes_per_edit(session: Session, engine: object) -> float:
    identifiers = [f"BENCH-{n}" for n in range(SAVES)]
    for n in range(200):  # warm the pages up so growth measures the steady state
        s.update_product(session, identifiers[n % SAVES], {"values": {"stock": [
            {"locale": None, "scope": None, "data": 1000 + n}]}}, author="bench")
    session.commit()
    before = _database_bytes(session)
    for n in range(EDITS):
        s.update_product(session, identifiers[n % SAVES], {"values": {"stock": [
            {"locale": None, "scope": None, "data": n}]}}, author="bench")
    session.commit()
    return (_database_bytes(session) - before) / EDITS
