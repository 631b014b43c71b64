"""Asset benchmarks: a 300 px thumbnail from a 4000x3000 JPEG, a cached rendition served
through the media blueprint, and ingest throughput."""

from __future__ import annotations

import io
import random
import statistics
import time
from pathlib import Path
from urllib.parse import quote

from PIL import Image, ImageDraw, ImageFilter

from pim.bench import BenchContext, Figure, benchmark, median_ms, percentile_ms

COMMAND = "prism bench run --only assets"
THUMBS = 25
SERVES = 300
INGESTS = 60


def photo_like(size: tuple[int, int], seed: int, quality: int = 90) -> bytes:
    """A JPEG with shapes and noise, closer to a product photo than a flat colour."""
    rng = random.Random(seed)
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        r = rng.randrange(20, max(21, size[0] // 6))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.choices(range(256), k=3)))
    noise = Image.effect_noise(size, 24).convert("RGB")
    image = Image.blend(image, noise, 0.15).filter(ImageFilter.SMOOTH)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


@benchmark("assets")
def asset_benchmarks(ctx: BenchContext) -> list[Figure]:
    """Measure thumbnail rendering, cached rendition serving and ingest throughput."""
    workdir = ctx.workdir / "assets"
    workdir.mkdir(parents=True, exist_ok=True)
    return [thumbnail_figure(ctx.seed), served_figure(workdir, ctx.seed),
            ingest_figure(workdir, ctx.seed)]


def thumbnail_figure(seed: int) -> Figure:
    """Median time to render max-300x300 from a 4000x3000 JPEG (decode, resize, encode)."""
    from assets.renditions import parse_spec
    from assets.renditions.engine import render

    data = photo_like((4000, 3000), seed)
    spec = parse_spec("max-300x300")
    samples, cpu = [], []
    for _ in range(THUMBS):
        started, cpu_started = time.perf_counter(), time.thread_time()
        result = render(io.BytesIO(data), spec)
        samples.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - cpu_started)
    assert (result.width, result.height) == (300, 225)
    return Figure("300 px thumbnail from a 4000x3000 JPEG, median",
                  f"{median_ms(samples):.1f} ms", "<= 60 ms", COMMAND,
                  f"CPU {median_ms(cpu):.1f} ms, p90 {percentile_ms(samples, 90):.1f} ms, "
                  f"{len(data) // 1024} KiB JPEG")


def served_figure(workdir: Path, seed: int) -> Figure:
    """Median time to serve an already generated rendition through /media (SQLite, disk)."""
    from assets.ingest import ingest_upload
    from pim import create_app
    from pim.bench.catalogs import fresh_sqlite

    url = fresh_sqlite(workdir / "media.sqlite3")
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(workdir / "instance"),
                      "SEARCH_ENABLED": False, "JOBS_INLINE": True})
    with app.extensions["prism.sessions"]() as session:
        ingest_upload(session, app.extensions["prism.storage"],
                      io.BytesIO(photo_like((2000, 1500), seed)), "bench.jpg",
                      policy=app.extensions["prism.ingest_policy"], code="bench")
    client = app.test_client()
    path = "/media/assets/bench/renditions/" + quote("fill-600x600|format-jpeg|quality-85")
    client.get(path, buffered=True)  # generate it once
    samples, cpu = [], []
    for _ in range(SERVES):
        started, cpu_started = time.perf_counter(), time.thread_time()
        response = client.get(path, buffered=True)
        samples.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - cpu_started)
        assert response.status_code == 200 and response.data
    app.extensions["prism.engine"].dispose()
    return Figure("serve a cached rendition through /media (SQLite, local disk), median",
                  f"{median_ms(samples):.2f} ms", "<= 5 ms", COMMAND,
                  f"CPU {median_ms(cpu):.2f} ms, p90 {percentile_ms(samples, 90):.2f} ms, "
                  f"{len(response.data) // 1024} KiB body")


def ingest_figure(workdir: Path, seed: int) -> Figure:
    """Files per second ingested (hash, sniff, full decode, metadata, store, rows)."""
    from assets.ingest import ingest_upload
    from assets.policy import IngestPolicy
    from assets.storage import open_storage
    from pim.bench.catalogs import fresh_sqlite
    from pim.db import make_engine, make_session_factory

    files = [photo_like((1200, 900), seed + n, quality=85) for n in range(INGESTS)]
    engine = make_engine(fresh_sqlite(workdir / "ingest.sqlite3"))
    storage = open_storage((workdir / f"ingest-media-{time.time_ns()}").as_uri())
    policy = IngestPolicy()
    with make_session_factory(engine)() as session:
        started = time.perf_counter()
        for n, data in enumerate(files):
            ingest_upload(session, storage, io.BytesIO(data), f"photo_{n}.jpg", policy=policy)
        elapsed = time.perf_counter() - started
    engine.dispose()
    size = statistics.mean(len(d) for d in files) / 1024
    return Figure("asset ingest throughput (1200x900 JPEGs, SQLite, local disk)",
                  f"{INGESTS / elapsed:.1f} files/s", "reported", COMMAND,
                  f"{INGESTS} files of {size:.0f} KiB on average, one commit each")
