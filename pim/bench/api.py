"""REST API latency: GET one product by identifier and list 100 products (limit=100) on the
generated catalog, served by gunicorn (2 sync workers, with the settings of `pim.serving`
that production uses) and loaded at 8 concurrent connections on 127.0.0.1.

The load comes from `wrk` when it is installed (C, one thread, so the load generator
takes little of the CPU the server needs), else from a Python asyncio load generator in a
process of its own. Besides median, p99 and requests/s, each endpoint has the CPU time the
gunicorn workers spent per request (from /proc): it depends little on other work on the
machine, which the latencies do, and the load average before the run says how much
there was."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from pim.auth import personal, users
from pim.bench import BenchContext, Figure, benchmark
from pim.bench.catalogs import generated_sqlite
from pim.bench.generator import generate
from pim.catalog.models import Product
from pim.db import make_engine, make_session_factory, upgrade_database
from pim.errors import AlreadyExists

COMMAND = "prism bench run --only api"
CONNECTIONS = 8
WORKERS = 2
ONE_SECONDS = 20
LIST_SECONDS = 30
WARM_SECONDS = 3
IDENTIFIERS = 5000
PAGES = 40
POSTGRES_DATABASE = "prism_bench_api"

# wrk script: cycles through a file of paths, sends the token, prints a JSON summary
WRK_SCRIPT = """
local paths, counter = {}, 0
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  wrk.headers["Authorization"] = "Bearer " .. args[2]
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"median_us": %d, "p99_us": %d, "requests": %d, "seconds": %f, "bad_status": %d, ' ..
    '"socket_errors": %d}\\n', latency:percentile(50), latency:percentile(99),
    summary.requests, summary.duration / 1e6, e.status, e.connect + e.read + e.write + e.timeout))
end
"""

# Python load generator, in a process of its own: CONNECTIONS asyncio clients for `seconds`,
# one connection per request (as the sync workers close them), parsing only the status line;
# one thread of asyncio costs the server's cores far less than a thread per connection
PYTHON_LOAD = """
import asyncio, json, sys, time
port, token, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
concurrency = int(sys.argv[4])
with open(sys.argv[5]) as handle:
    requests = [(f"GET {path} HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\n"
                 f"Authorization: Bearer {token}\\r\\nConnection: close\\r\\n\\r\\n").encode()
                for path in handle.read().split()]
samples, bad, failed, counter = [], [], [], iter(range(10**12))

async def client(deadline):
    while time.perf_counter() < deadline:
        request = requests[next(counter) % len(requests)]
        started = time.perf_counter()
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            answer = await reader.read()
            writer.close()
        except OSError:
            failed.append(1)
            continue
        samples.append(time.perf_counter() - started)
        if answer[9:12] != b"200":
            bad.append(answer[9:12])

async def main():
    wall = time.perf_counter()
    await asyncio.gather(*(client(wall + seconds) for _ in range(concurrency)))
    return time.perf_counter() - wall

wall = asyncio.run(main())
samples.sort()
print(json.dumps({"median_us": samples[len(samples) // 2] * 1e6 if samples else 0,
                  "p99_us": samples[min(len(samples) - 1, round(0.99 * len(samples)) - 1)] * 1e6
                  if samples else 0,
                  "requests": len(samples), "seconds": wall, "bad_status": len(bad),
                  "socket_errors": len(failed)}))
"""


@dataclass(frozen=True)
class Run:
    """What one load run measured."""

    median_ms: float
    p99_ms: float
    per_second: float
    cpu_ms: float | None


@benchmark("api")
def api_benchmarks(ctx: BenchContext) -> list[Figure]:
    """Measure GET one product and list 100 products on SQLite (and PostgreSQL if given)."""
    figures = _measure(generated_sqlite(ctx), "SQLite", ctx)
    if ctx.postgres_url:
        figures += _measure(_postgres_catalog(ctx), "PostgreSQL", ctx)
    return figures


def _measure(url: str, backend: str, ctx: BenchContext) -> list[Figure]:
    token, identifiers = _prepare(url)
    one = _paths_file(ctx.workdir, "one", [f"/api/rest/v1/products/{i}" for i in identifiers])
    pages = _paths_file(ctx.workdir, "list", [f"/api/rest/v1/products?limit=100&page={n}"
                                              for n in range(1, PAGES + 1)])
    background = os.getloadavg()[0]
    port = _free_port()
    server = _start(url, ctx.workdir, port, f"/api/rest/v1/products/{identifiers[0]}", token)
    try:
        tool = "wrk" if shutil.which("wrk") else "a Python load generator"
        _load(ctx.workdir, port, token, one, WARM_SECONDS, server)
        one_run = _load(ctx.workdir, port, token, one, ONE_SECONDS, server)
        _load(ctx.workdir, port, token, pages, WARM_SECONDS, server)
        list_run = _load(ctx.workdir, port, token, pages, LIST_SECONDS, server)
    finally:
        server.terminate()
        server.wait(timeout=30)
    where = (f"{ctx.products:,} products, {backend}, gunicorn {WORKERS} sync workers, "
             f"{CONNECTIONS} connections, {tool}; load average {background:.1f} on "
             f"{os.cpu_count()} CPUs before the run")
    return (_figures(f"GET one product ({backend})", one_run, "p99 <= 25 ms", where)
            + _figures(f"list 100 products ({backend})", list_run, "",
                       f"pages 1 to {PAGES}, " + where))


def _figures(label: str, run: Run, target: str, where: str) -> list[Figure]:
    cpu = f"; server CPU {run.cpu_ms:.2f} ms per request" if run.cpu_ms is not None else ""
    note = where + cpu
    figures = [
        Figure(f"API {label}: median latency", f"{run.median_ms:.1f} ms", "", COMMAND, note),
        Figure(f"API {label}: p99 latency", f"{run.p99_ms:.1f} ms", target, COMMAND, note),
        Figure(f"API {label}: requests/s", f"{run.per_second:.0f}", "", COMMAND, note),
    ]
    if run.cpu_ms is not None:
        # what the workers spent, whatever else ran on the machine: tells noise from cost
        figures.append(Figure(f"API {label}: server CPU per request", f"{run.cpu_ms:.2f} ms",
                              "", COMMAND, where))
    return figures


def _prepare(url: str) -> tuple[str, list[str]]:
    """Make sure of a bench user; return a fresh read token and some product identifiers."""
    engine = make_engine(url)
    upgrade_database(engine)
    with make_session_factory(engine)() as session:
        try:
            users.create_user(session, "bench", "bench password", "viewer")
        except AlreadyExists:
            session.rollback()
        _, token = personal.create_personal_token(session, "bench", "read")
        identifiers = list(session.scalars(select(Product.identifier).order_by(Product.id)
                                           .limit(IDENTIFIERS)))
    engine.dispose()
    return token, identifiers


def _paths_file(workdir: Path, name: str, paths: list[str]) -> Path:
    path = workdir / f"api-{name}-paths.txt"
    path.write_text("\n".join(paths) + "\n")
    return path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(url: str, workdir: Path, port: int, probe: str, token: str) -> subprocess.Popen:
    """Start gunicorn as production runs it (pim.serving) and wait until it answers `probe`."""
    settings = {"DATABASE_URL": url, "INSTANCE_PATH": str(workdir / "instance"),
                "SEARCH_ENABLED": False, "SECRET_KEY": "bench"}
    app = f"pim:create_app({settings!r})"
    log = (workdir / "gunicorn.log").open("w")
    server = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")),
                               "-c", "python:pim.serving", "-w", str(WORKERS),
                               "-b", f"127.0.0.1:{port}", "--log-level", "warning", app],
                              stdout=log, stderr=subprocess.STDOUT)
    log.close()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and server.poll() is None:
        if len(_workers(server.pid)) == WORKERS and _answers(port, probe, token):
            return server
        time.sleep(0.2)
    server.terminate()
    raise RuntimeError(f"gunicorn did not answer GET {probe}; see {workdir / 'gunicorn.log'}")


def _answers(port: int, path: str, token: str) -> bool:
    """Tell whether the server answers GET `path` with 200."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        response = conn.getresponse()
        response.read()
        return response.status == 200
    except OSError:
        return False
    finally:
        conn.close()


def _load(workdir: Path, port: int, token: str, paths: Path, seconds: float,
          server: subprocess.Popen) -> Run:
    """Load the server with GETs of `paths` at CONNECTIONS connections for `seconds`."""
    cpu_before = _cpu_seconds(server.pid)
    if shutil.which("wrk"):
        script = workdir / "api-load.lua"
        script.write_text(WRK_SCRIPT)
        command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "60s",
                   "-s", str(script), f"http://127.0.0.1:{port}", "--", str(paths), token]
    else:
        command = [sys.executable, "-c", PYTHON_LOAD, str(port), token, str(seconds),
                   str(CONNECTIONS), str(paths)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    summary = json.loads(output.strip().splitlines()[-1])
    if summary["bad_status"] or summary["socket_errors"]:
        raise RuntimeError(f"the API answered {summary['bad_status']} requests with an error "
                           f"status and {summary['socket_errors']} failed; see gunicorn.log")
    cpu_after = _cpu_seconds(server.pid)
    if not summary["requests"]:
        raise RuntimeError(f"the API answered no request in {seconds} s; see gunicorn.log")
    cpu = (cpu_after - cpu_before) / summary["requests"] * 1000 if (
        cpu_before is not None and cpu_after is not None) else None
    return Run(summary["median_us"] / 1000, summary["p99_us"] / 1000,
               summary["requests"] / summary["seconds"], cpu)


def _workers(master: int) -> list[int]:
    """Process ids of gunicorn's workers (Linux /proc), empty when unknown."""
    found = []
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            found.append(int(entry.parent.name))
    return found


def _cpu_seconds(master: int) -> float | None:
    """CPU time (user + system) used so far by gunicorn's workers, None without /proc."""
    workers = _workers(master)
    if len(workers) != WORKERS:
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in workers:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _postgres_catalog(ctx: BenchContext) -> str:
    """A PostgreSQL database holding the generated catalog, built once and kept."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    name = f"{POSTGRES_DATABASE}_{ctx.products}_{ctx.seed}"
    admin = create_engine(ctx.postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                           {"name": name}):
            # built under another name and renamed once complete: an interrupted build
            # is never taken for a catalog
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}_building" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}_building"'))
            _generate(make_url(ctx.postgres_url).set(database=f"{name}_building"), ctx)
            conn.execute(text(f'ALTER DATABASE "{name}_building" RENAME TO "{name}"'))
    admin.dispose()
    return make_url(ctx.postgres_url).set(database=name).render_as_string(hide_password=False)


def _generate(url: Any, ctx: BenchContext) -> None:
    engine = make_engine(url.render_as_string(hide_password=False))
    upgrade_database(engine)
    with make_session_factory(engine)() as session:
        generate(session, ctx.products, ctx.seed)
    engine.dispose()
