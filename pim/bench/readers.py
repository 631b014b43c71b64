"""Benchmark of the table readers: pace, and memory that stays flat as files grow."""

from __future__ import annotations

import csv
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from pim.bench import BenchContext, Figure, benchmark
from pim.imports.errors import UnreadableFile
from pim.imports.readers import open_table

COMMAND = "prism bench run --only readers"
LOCALES = ("en_US", "fr_FR", "pl_PL")
WORDS = ("Łódź", "légère", "Παπούτσι", "Кроссовки", "trail", "shoe", "waterproof", "12,50")


def _columns() -> list[str]:
    return ["sku"] + [f"attribute_{a}-{locale}" for a in range(30) for locale in LOCALES]


def write_csv(path: Path, rows: int) -> Path:
    """Write a product CSV like an Akeneo export: 91 columns, some multi-line cells."""
    columns = _columns()
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(columns)
        for n in range(rows):
            cells = [f"SKU-{n:07d}"]
            for c in range(1, len(columns)):
                word = WORDS[(n + c) % len(WORDS)]
                cells.append(f"{word} {n}\nsecond line" if c % 17 == 0 else f"{word} {c}")
            writer.writerow(cells)
    return path


def write_xlsx(path: Path, rows: int) -> Path:
    """Write the same table as an XLSX workbook, with shared strings as Excel writes them."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Products"
    sheet.append(_columns())
    for n in range(rows):
        sheet.append([f"SKU-{n:07d}"] + [n * 1.5 if c % 5 == 0 else f"{WORDS[c % 8]} {c}"
                                        for c in range(1, 91)])
    book.save(path)
    return path


def _read(path: Path) -> int:
    with open_table(path) as table:
        return sum(1 for _ in table)


def _timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _peak_mb(work: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def _bare_csv(path: Path) -> None:
    with path.open(newline="", encoding="utf-8") as source:
        for _ in csv.DictReader(source, delimiter=";"):
            pass


def _refuse(path: Path) -> None:
    try:
        _read(path)
    except UnreadableFile:
        return
    raise AssertionError("the 100 MB cell was not refused")


def _huge_cell(path: Path) -> Path:
    with path.open("wb") as out:
        out.write(b"sku,description\nA,")
        for _ in range(100):
            out.write(b"x" * 1024 * 1024)
        out.write(b"\n")
    return path


@benchmark("readers")
def reader_benchmarks(ctx: BenchContext) -> list[Figure]:
    """Read a products CSV and XLSX; refuse a 100 MB cell; watch peak memory."""
    rows = ctx.products
    big = write_csv(ctx.workdir / "readers-big.csv", rows)
    small = write_csv(ctx.workdir / "readers-small.csv", rows // 10)
    seconds = _timed(lambda: _read(big))
    bare = _timed(lambda: _bare_csv(big))
    peak_small, peak_big = _peak_mb(lambda: _read(small)), _peak_mb(lambda: _read(big))
    sheet_rows = max(100, rows // 100)  # openpyxl parses some 30,000 cells a second
    book = write_xlsx(ctx.workdir / "readers.xlsx", sheet_rows)
    xlsx_seconds = _timed(lambda: _read(book))
    huge = _huge_cell(ctx.workdir / "readers-huge.csv")
    refuse_seconds, refuse_peak = _timed(lambda: _refuse(huge)), _peak_mb(lambda: _refuse(huge))
    size = big.stat().st_size / 1e6
    return [
        Figure(f"read a {rows:,}-row, 91-column CSV ({size:.0f} MB)",
               f"{seconds:.1f} s ({rows / seconds:,.0f} rows/s)", "-", COMMAND,
               note=f"csv.DictReader alone: {bare:.1f} s"),
        Figure(f"reader peak memory, {rows // 10:,} then {rows:,} rows",
               f"{peak_small:.1f} MB then {peak_big:.1f} MB", "flat", COMMAND),
        Figure(f"read a {sheet_rows:,}-row, 91-column XLSX (openpyxl read-only)",
               f"{xlsx_seconds:.1f} s ({sheet_rows / xlsx_seconds:,.0f} rows/s)", "-", COMMAND),
        Figure("refuse a CSV with a 100 MB cell", f"{refuse_seconds:.2f} s",
               "refused, memory far below 100 MB", COMMAND, note=f"peak {refuse_peak:.0f} MB"),
    ]
