"""Web UI benchmark: the product grid's server time on the generated 100,000-product catalog.

Requests go through the whole Flask stack in process (routing, sign-in, CSRF-free GETs,
queries, templates), so the figure is the server's time without the network. The grid is
measured through the search index (how Prism runs) and through the database (search off).
"""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path
from typing import Any

from flask import Flask

from pim.bench import BenchContext, Figure, benchmark, median_ms, percentile_ms
from pim.bench.catalogs import generated_sqlite
from pim.bench.generator import ADJECTIVES, FAMILY_COUNT, NOUNS

COMMAND = "prism bench run --only web"
ROUNDS = 25
WARM_UP = 8


def _app(url: str, folder: Path, index: Path, search: bool) -> Flask:
    from pim import create_app

    return create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(folder),
                       "SECRET_KEY": "bench", "SEARCH_ENABLED": search,
                       "SEARCH_INDEX_PATH": str(index), "JOBS_INLINE": True})


def _index(app: Flask) -> float:
    """Build the app's search index unless it is already there; return the seconds taken."""
    from pim.search import rebuild_index, search_index

    if search_index(app).path.joinpath("built").exists():
        return 0.0
    seconds = rebuild_index(app).seconds
    search_index(app).path.joinpath("built").write_text("ok")
    return seconds


def _signed_in(app: Flask) -> Any:
    from pim.auth.users import create_user, get_user
    from pim.errors import NotFound

    with app.extensions["prism.sessions"]() as session:
        try:
            user = get_user(session, "bench")
        except NotFound:
            user = create_user(session, "bench", "bench-password", "editor")
        user_id = f"{user.id}:{user.credentials_version}"
    client = app.test_client()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = user_id
        flask_session["_fresh"] = True
    return client


def grid_urls(seed: int, products: int, search: bool) -> list[tuple[str, dict[str, str]]]:
    """A deterministic mix of grid requests: browsing, words, facets, sorts, deep pages."""
    rng = random.Random(seed)
    partial = {"HX-Request": "true", "HX-Target": "results"}
    urls: list[tuple[str, dict[str, str]]] = []
    for _ in range(ROUNDS):
        family = f"family_{rng.randrange(1, FAMILY_COUNT)}"
        urls += [
            ("/products", {}),
            (f"/products?family={family}&enabled=yes", partial),
            (f"/products?category=c{rng.randrange(10)}", partial),
            ("/products?channel=ecommerce&complete=no", partial),
            (f"/products?channel=mobile&locale=en_US&complete=yes&family={family}", partial),
        ]
        if search:
            noun, adjective = rng.choice(NOUNS["en_US"]), rng.choice(ADJECTIVES["en_US"])
            urls += [(f"/products?q={noun}", {}),
                     (f"/products?q={adjective}+{noun}&sort=-updated", partial),
                     (f"/products?sort=complete&page={rng.randrange(2, 40)}", partial)]
        else:
            urls.append((f"/products?q=SKU-{rng.randrange(products):07d}", partial))
    return urls


def _timed(client: Any, urls: list[tuple[str, dict[str, str]]]) -> list[float]:
    samples = []
    for url, headers in urls:
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        response.get_data()
        samples.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    return samples


def _measure(app: Flask, ctx: BenchContext, search: bool) -> list[float]:
    client = _signed_in(app)
    urls = grid_urls(ctx.seed, ctx.products, search)
    _timed(client, urls[:WARM_UP])
    return _timed(client, urls)


def _editor_samples(app: Flask) -> list[float]:
    client = _signed_in(app)
    urls = [(f"/products/SKU-{n:07d}?locale=en_US&compare=fr_FR&channel=ecommerce", {})
            for n in range(1, 400, 7)]
    _timed(client, urls[:3])
    return _timed(client, urls)


@benchmark("web")
def web_benchmarks(ctx: BenchContext) -> list[Figure]:
    """Measure the product grid (index and database paths) and the editor page."""
    from pim import search

    url = generated_sqlite(ctx)
    index = ctx.workdir / f"web-index-{ctx.products}-{ctx.seed}"
    indexed = _app(url, ctx.workdir / "web-instance", index, search=True)
    built = _index(indexed)
    on_index = _measure(indexed, ctx, search=True)
    editor = _editor_samples(indexed)
    search.shutdown(indexed)
    indexed.extensions["prism.engine"].dispose()
    plain = _app(url, ctx.workdir / "web-instance", index, search=False)
    on_database = _measure(plain, ctx, search=False)
    plain.extensions["prism.engine"].dispose()
    size = f"{ctx.products:,}"
    note = f"index built in {built:.0f} s" if built else "index reused"
    return [
        Figure(f"product grid page at {size} products, through the search index, median",
               f"{median_ms(on_index):.1f} ms", "<= 100 ms", COMMAND,
               note=f"p90 {percentile_ms(on_index, 90):.1f} ms, {len(on_index)} requests, "
                    f"{note}"),
        Figure(f"product grid page at {size} products, search off (database), median",
               f"{median_ms(on_database):.1f} ms", "-", COMMAND,
               note=f"p90 {percentile_ms(on_database, 90):.1f} ms, keyset pages"),
        Figure("product editor page, two locales side by side, median",
               f"{median_ms(editor):.1f} ms", "-", COMMAND,
               note=f"max {max(editor) * 1000:.1f} ms; "
                    f"mean {statistics.mean(editor) * 1000:.1f} ms"),
    ]
