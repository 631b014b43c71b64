"""Exporter benchmarks: a Google XML feed of the generated catalog, time and peak memory,
beside the floor: the same rows written with a bare SELECT and csv.writer, in the same run.

Each measurement runs in a child process of its own, so its peak resident memory is its
own and not the generator's. `python -m pim.bench.exporters feed|floor URL OUT` is that
child.
"""

from __future__ import annotations

import csv
import json
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from pim.bench import BenchContext, Figure, benchmark
from pim.bench.catalogs import generated_sqlite

COMMAND = "prism bench run --only exporters"
PUBLIC = "https://shop.example.com"
# the generated catalog has no image assets and no valid GTINs; variants carry no
# description of their own: the channel maps what the data has
MAPPING = {
    "image_link": {"template": "https://cdn.example.com/img/{identifier}.jpg"},
    "description": {"attribute": "description", "transforms": ["strip_html",
                                                              {"truncate": 5000}],
                    "fallback": {"attribute": "name"}},
    "gtin": None,
    "link": {"template": "https://shop.example.com/p/{identifier}"},
}


@benchmark("exporters")
def exporter_benchmarks(ctx: BenchContext) -> list[Figure]:
    """Time the Google feed of the generated catalog and the bare-SELECT floor."""
    url = generated_sqlite(ctx)
    _configure(url)
    feed = _child("feed", url, ctx.workdir / "google.xml")
    floor = _child("floor", url, ctx.workdir / "floor.csv")
    ratio = feed["seconds"] / floor["seconds"] if floor["seconds"] else 0.0
    products = f"{ctx.products:,}"
    return [
        Figure(f"Google XML feed of {products} generator products (SQLite)",
               f"{feed['seconds']:.1f} s", "<= 10 s", COMMAND,
               note=f"{feed['cpu']:.1f} s CPU; {feed['written']:,} written, "
                    f"{feed['skipped']:,} variants without a price skipped; "
                    f"{ratio:.1f}x the floor below"),
        Figure(f"peak memory of that export ({products} products)",
               f"{feed['private_mb']:.0f} MB", "< 300 MB", COMMAND,
               note=f"private memory; max RSS with the mapped SQLite file "
                    f"{feed['peak_mb']:.0f} MB"),
        Figure(f"floor: same rows with a bare SELECT, json and csv.writer ({products})",
               f"{floor['seconds']:.1f} s", "-", COMMAND,
               note=f"{floor['cpu']:.1f} s CPU, {floor['written']:,} rows"),
    ]


def _configure(url: str) -> None:
    from pim.catalog import services as s
    from pim.db import make_engine, make_session_factory

    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        s.update_channel(session, "ecommerce", {"exporter": "google", "settings": {
            "locale": "en_US", "currency": "EUR", "mapping": MAPPING}}, author="bench")
    engine.dispose()


def _child(what: str, url: str, out: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "pim.bench.exporters", what, url, str(out)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the {what} benchmark failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def feed(url: str, out: Path) -> dict[str, Any]:
    """Write the channel's Google feed from one snapshot; return time, counts and peak."""
    from exporters.engine import prepare_export, run_export
    from pim.catalog import services as s
    from pim.catalog.reading import read_snapshot
    from pim.db import make_engine, make_session_factory

    engine = make_engine(url)
    started, cpu = time.perf_counter(), time.process_time()
    with _PrivatePeak() as private, make_session_factory(engine)() as session, \
            read_snapshot(session):
        export = prepare_export(session, s.get_channel(session, "ecommerce"), public_url=PUBLIC)
        with out.open("wb") as stream:
            stats = run_export(session, export, stream)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    engine.dispose()
    return {"seconds": seconds, "cpu": cpu, "written": stats.exported,
            "skipped": stats.skipped, "private_mb": private.peak, "peak_mb": _peak_mb()}


def floor(url: str, out: Path) -> dict[str, Any]:
    """The same rows with a bare SELECT, json and csv.writer: what any export must pay."""
    import sqlite3

    started, cpu = time.perf_counter(), time.process_time()
    connection = sqlite3.connect(url.removeprefix("sqlite:///"))
    rows = connection.execute('SELECT identifier, "values" FROM products ORDER BY id')
    written = 0
    with out.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        for identifier, raw in rows:
            values = json.loads(raw)
            price = _first(values, "price")
            if not price:
                continue
            writer.writerow([identifier, _first(values, "name"), _first(values, "description"),
                             f"https://shop.example.com/p/{identifier}",
                             f"{price[0]['amount']} {price[0]['currency']}"])
            written += 1
    connection.close()
    return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
            "written": written, "skipped": 0, "peak_mb": _peak_mb()}


def _first(values: dict[str, Any], code: str) -> Any:
    entries = values.get(code) or [{}]
    return entries[0].get("data")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _PrivatePeak:
    """Samples the process's private (anonymous) resident memory while a block runs.

    The max RSS also counts pages of the SQLite file that the database maps into memory;
    those belong to the page cache, not to the export, so the figure is the private part.
    """

    def __init__(self, every: float = 0.05) -> None:
        self.every = every
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _PrivatePeak:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self._sample()

    def _sample(self) -> None:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("RssAnon:"):
                self.peak = max(self.peak, int(line.split()[1]) / 1024)


if __name__ == "__main__":
    kind, database, target = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    print(json.dumps((feed if kind == "feed" else floor)(database, target)))
