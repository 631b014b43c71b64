"""Search benchmarks on the generated catalog, Whoosh beside SQLite FTS5 in the same run.

Figures: a full rebuild, p50/p99 over 500 mixed queries with facets, and the delay from a
product save to the product being found. FTS5 gets the same documents (built by the same
code), the same queries (MATCH plus GROUP BY facet counts) and the same saves (its row is
rewritten in the save's own transaction).
"""

from __future__ import annotations

import random
import shutil
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pim.bench import BenchContext, Figure, benchmark, percentile_ms
from pim.bench.catalogs import generated_sqlite
from pim.bench.generator import ADJECTIVES, FAMILY_COUNT, NOUNS, OPTION_COUNTS
from pim.bench.search_fts import FtsCatalog
from pim.db import make_engine, make_session_factory

COMMAND = "prism bench run --only search"
QUERIES = 500
SAVES = 20


@dataclass(frozen=True)
class BenchQuery:
    """One query of the mix, in the terms both engines understand."""

    words: list[str] = field(default_factory=list)
    prefix: str | None = None
    identifier: str | None = None
    filters: dict[str, Any] = field(default_factory=dict)
    facets: tuple[str, ...] = ()
    sort: str = "relevance"

    def whoosh_text(self) -> str:
        parts = list(self.words)
        if self.prefix:
            parts.append(f"{self.prefix}*")
        if self.identifier:
            parts.append(f"identifier:{self.identifier}")
        return " ".join(parts)


def query_mix(seed: int, products: int, count: int = QUERIES) -> list[BenchQuery]:
    """Return a deterministic mix: words, two words, prefixes, SKUs, filters, browsing."""
    rng = random.Random(seed)
    locales = list(NOUNS)
    mix: list[BenchQuery] = []
    makers: list[Callable[[], BenchQuery]] = [
        lambda: BenchQuery([rng.choice(NOUNS[rng.choice(locales)])],
                           facets=("family", "category")),
        lambda: _two_words(rng, rng.choice(locales)),
        lambda: BenchQuery(prefix=rng.choice(NOUNS[rng.choice(locales)])[:4].lower(),
                           facets=("category",)),
        lambda: BenchQuery(identifier=f"SKU-{rng.randrange(products):07d}"),
        lambda: BenchQuery([rng.choice(NOUNS["en_US"])],
                           filters={"family": f"family_{rng.randrange(1, FAMILY_COUNT)}"},
                           facets=("category", "brand")),
        lambda: BenchQuery(filters={"category": f"c{rng.randrange(10)}",
                                    "complete_ecommerce_en_US": {"min": 50}},
                           facets=("family", "brand"), sort="-updated"),
        lambda: BenchQuery([rng.choice(NOUNS["de_DE"])], facets=("family",), sort="-updated"),
    ]
    weights = [30, 20, 15, 10, 10, 10, 5]
    for _ in range(count):
        mix.append(rng.choices(makers, weights)[0]())
    return mix


def _two_words(rng: random.Random, locale: str) -> BenchQuery:
    brand = f"brand_{rng.randrange(OPTION_COUNTS['brand'])}"
    return BenchQuery([rng.choice(ADJECTIVES[locale]), rng.choice(NOUNS[locale])],
                      facets=("family", "brand"), filters={} if rng.random() < 0.7 else {
                          "brand": brand})


@benchmark("search")
def search_benchmarks(ctx: BenchContext) -> list[Figure]:
    """Rebuild, query and save-to-found figures for Whoosh and SQLite FTS5."""
    from pim.search import SearchIndex, rebuild_index

    url = generated_sqlite(ctx)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    folder = ctx.workdir / "search-index"
    shutil.rmtree(folder, ignore_errors=True)
    index = SearchIndex(folder, sessions=sessions)
    procs = 2
    whoosh_build = rebuild_index(sessions, index=index, procs=procs).seconds
    fts = FtsCatalog(engine)
    fts_build = fts.build(sessions)
    warm_up, queries = query_mix(ctx.seed + 1, ctx.products), query_mix(ctx.seed, ctx.products)
    whoosh_cold = _time_whoosh(index, sessions, warm_up)
    whoosh_times = _time_whoosh(index, sessions, queries)
    fts_cold = [_timed(lambda q=q: fts.search(q)) for q in warm_up]
    fts_times = [_timed(lambda q=q: fts.search(q)) for q in queries]
    index.close()
    whoosh_saves = _whoosh_saves(url, folder, ctx.workdir)
    fts_saves = fts.saves(sessions, SAVES)
    engine.dispose()
    size = f"{ctx.products:,}"
    return [
        Figure(f"search: full rebuild of {size} products (Whoosh, {procs} writer processes)",
               f"{whoosh_build:.0f} s", "<= 60 s", COMMAND),
        Figure(f"search: full build of the same {size} documents (SQLite FTS5)",
               f"{fts_build:.0f} s", "-", COMMAND),
        Figure(f"search: {QUERIES} mixed queries with facets, p50 / p99 (Whoosh)",
               _p50_p99(whoosh_times), "p99 <= 50 ms", COMMAND,
               note=f"after {QUERIES} other queries; cold start {_p50_p99(whoosh_cold)}"),
        Figure(f"search: the same {QUERIES} queries with GROUP BY facets, p50 / p99 "
               "(SQLite FTS5)", _p50_p99(fts_times), "-", COMMAND,
               note=f"no stemming outside English; cold start {_p50_p99(fts_cold)}"),
        Figure("search: save to found, median / max (Whoosh, indexed after commit)",
               _p50_max(whoosh_saves), "-", COMMAND, note=f"{SAVES} saves"),
        Figure("search: save to found, median / max (SQLite FTS5, row written in the save)",
               _p50_max(fts_saves), "-", COMMAND, note=f"{SAVES} saves"),
    ]


def _timed(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _time_whoosh(index: Any, sessions: Any, queries: list[BenchQuery]) -> list[float]:
    from pim.search import search_products

    times = []
    with sessions() as session:
        for q in queries:
            times.append(_timed(lambda q=q: search_products(
                index, q.whoosh_text(), filters=q.filters, facets=q.facets, sort=q.sort,
                per_page=20, session=session)))
    return times


def _whoosh_saves(url: str, folder: Path, workdir: Path) -> list[float]:
    """Save products through the app and poll the search until each is found."""
    from pim import create_app
    from pim.catalog import services as s
    from pim.search import search_index, search_products, shutdown

    app = create_app({"DATABASE_URL": url, "SEARCH_ENABLED": True, "CHECK_MIGRATIONS": False,
                      "SEARCH_INDEX_PATH": str(folder), "SECRET_KEY": "bench",
                      "INSTANCE_PATH": str(workdir / "search-instance")})
    index = search_index(app)
    delays = []
    with app.extensions["prism.sessions"]() as session:
        for n in range(SAVES):
            word = f"benchword{n}x"
            started = time.perf_counter()
            s.update_product(session, f"SKU-{n * 5 + 1:07d}", {"values": {"name": [
                {"locale": "en_US", "scope": None, "data": f"Saved {word}"}]}}, author="bench")
            while search_products(index, word, session=session).total == 0:
                time.sleep(0.001)
            delays.append(time.perf_counter() - started)
    shutdown(app)
    app.extensions["prism.engine"].dispose()
    return delays


def _p50_p99(samples: list[float]) -> str:
    return f"{percentile_ms(samples, 50):.1f} ms / {percentile_ms(samples, 99):.1f} ms"


def _p50_max(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.0f} ms / {max(samples) * 1000:.0f} ms"
