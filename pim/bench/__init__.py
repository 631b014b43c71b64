"""Benchmarks: each area registers functions that measure and return figures.

`prism bench run` (and `make bench`) runs them all and rewrites the table in
docs/benchmarks.md between its markers.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Figure:
    """One measured figure, as it appears in docs/benchmarks.md."""

    name: str
    value: str
    target: str
    command: str
    note: str = ""


@dataclass
class BenchContext:
    """What a benchmark may use: a scratch folder, a size and optional PostgreSQL."""

    workdir: Path
    products: int = 100_000
    seed: int = 42
    postgres_url: str | None = None
    extras: dict = field(default_factory=dict)


Benchmark = Callable[[BenchContext], list[Figure]]
BENCHMARKS: dict[str, Benchmark] = {}

ROW = re.compile(r"^\| (?!figure|---)(.+?) \| (.+?) \| (.+?) \| `(.+?)` \|$", re.M)
START = "<!-- bench:start -->"
END = "<!-- bench:end -->"


def benchmark(name: str) -> Callable[[Benchmark], Benchmark]:
    """Register a benchmark under `name`."""

    def register(func: Benchmark) -> Benchmark:
        BENCHMARKS[name] = func
        return func

    return register


def median_ms(samples: list[float]) -> float:
    """Return the median of samples given in seconds, in milliseconds."""
    return statistics.median(samples) * 1000


def percentile_ms(samples: list[float], pct: float) -> float:
    """Return the pct-th percentile of samples in seconds, in milliseconds."""
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index] * 1000


def render_table(figures: list[Figure]) -> str:
    """Render figures as the Markdown table of docs/benchmarks.md."""
    lines = ["| figure | value | target | command |", "| --- | --- | --- | --- |"]
    for fig in figures:
        value = f"{fig.value} ({fig.note})" if fig.note else fig.value
        lines.append(f"| {fig.name} | {value} | {fig.target} | `{fig.command}` |")
    return "\n".join(lines)


def write_table(doc: Path, figures: list[Figure], only: set[str] | None = None) -> None:
    """Replace the table between the markers of `doc`, keeping rows of benchmarks not run."""
    text = doc.read_text() if doc.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    if START not in text:
        text += f"\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    old, tail = rest.split(END, 1)
    kept = []
    if only:
        names = {f.name for f in figures}
        for row in ROW.findall(old):
            if row[0] not in names:
                kept.append(Figure(row[0], row[1], row[2], row[3]))
    table = render_table(kept + figures)
    doc.write_text(f"{head}{START}\n{table}\n{END}{tail}")
