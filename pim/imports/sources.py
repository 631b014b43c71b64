"""What to import: the format of a path, its files in dependency order, their columns.

Every file's header is read and checked before any row is: unknown columns refuse the
import (listed together) unless they are to be ignored.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from pim.errors import PrismError
from pim.imports.engine import BATCH_SIZE
from pim.imports.readers import open_table
from pim.imports.report import IssueLog

TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")
COUNT_CHUNK = 1024 * 1024


class ImportRefused(PrismError):
    """The import cannot start: nothing was written; the message says why."""

    code = "import_refused"

    def __init__(self, message: str, unknown: dict[str, dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.unknown = unknown or {}


@dataclass
class ImportOptions:
    """How to import: format, mode, media, and what to do with unknown things."""

    format: str | None = None
    mode: str = "partial"
    dry_run: bool = False
    media: str | None = None
    ignore_unknown_columns: bool = False
    create_missing_options: bool = False
    batch_size: int = BATCH_SIZE
    # Shopify: the currency of its prices, the locale of its texts
    currency: str | None = None
    locale: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportOptions:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass
class FileSpec:
    """One table of the import: where it is and what it holds."""

    path: Path
    name: str
    kind: str
    header: list[str] = field(default_factory=list)
    format: str = "csv"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    estimated_rows: int | None = None
    note: str | None = None

    def describe(self) -> dict[str, Any]:
        """Plain data for the import record."""
        return {"name": self.name, "kind": self.kind, "format": self.format,
                "encoding": self.encoding, "delimiter": self.delimiter, "sheet": self.sheet,
                "header": self.header, "estimated_rows": self.estimated_rows,
                "note": self.note}


def read_header(spec: FileSpec) -> None:
    """Open the table to learn its header, encoding and delimiter."""
    with open_table(spec.path, name=spec.name) as table:
        spec.header = list(table.header)
        spec.format, spec.encoding = table.format, table.encoding
        spec.delimiter, spec.sheet = table.delimiter, table.sheet
    spec.estimated_rows = estimate_rows(spec.path) if spec.format == "csv" else None


def estimate_rows(path: Path) -> int:
    """Guess the rows of a CSV from its line breaks (cells may hold some)."""
    count = 0
    with path.open("rb") as handle:
        while chunk := handle.read(COUNT_CHUNK):
            count += chunk.count(b"\n")
    return max(0, count - 1)


def row_reader(spec: FileSpec, log: IssueLog) -> Callable[[], Iterable[tuple[int, dict]]]:
    """Return a function reading the file's rows afresh; ragged rows go to the log once."""
    reads = [0]

    def report(problem: Any) -> None:
        if reads[0] == 1:
            log.unreadable_row(spec.name, problem.row, problem.message, list(problem.cells))

    def read() -> Iterator[tuple[int, dict[str, str]]]:
        reads[0] += 1
        with open_table(spec.path, name=spec.name, on_problem=report) as table:
            yield from table

    return read


def table_files(folder: Path) -> list[Path]:
    """List the table files of a folder (not its sub-folders), by name."""
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in TABLE_SUFFIXES)


def detect_format(path: Path) -> str:
    """Tell the format of a path: a folder is Akeneo's, a workbook is XLSX, a CSV says."""
    if path.is_dir():
        return "akeneo"
    if path.suffix.lower() == ".xlsx":
        return "xlsx"
    spec = FileSpec(path, path.name, "")
    read_header(spec)
    return "shopify" if is_shopify_header(spec.header) else "akeneo"


def is_shopify_header(header: list[str]) -> bool:
    """Tell whether a header is one of Shopify's product CSV dialects."""
    names = {column.strip().lower() for column in header}
    return ("handle" in names or "url handle" in names) and "title" in names


def check_unknown(unknown: dict[str, dict[str, str]], ignore: bool, notes: list[str]) -> None:
    """Refuse the import for unknown columns, or note that they are ignored."""
    unknown = {name: columns for name, columns in unknown.items() if columns}
    if not unknown:
        return
    described = "; ".join(
        f"{name}: " + ", ".join(f"{column!r} ({reason})" for column, reason in columns.items())
        for name, columns in unknown.items())
    if not ignore:
        raise ImportRefused(f"unknown columns (use --ignore-unknown-columns to import the "
                            f"rest): {described}", unknown)
    notes.append(f"ignored unknown columns: {described}")


@dataclass
class Plan:
    """The files to import, in order, with the notes gathered while planning."""

    specs: list[FileSpec]
    tasks: list[Any]
    notes: list[str]
    format: str = ""


Planner = Callable[[Session, Path, ImportOptions, IssueLog], Plan]
PLANNERS: dict[str, Planner] = {}
# the modules that register planners; one line per format family
PLANNER_MODULES = ("pim.imports.akeneo_plan", "pim.imports.shopify", "pim.imports.profiles")


def planner(name: str) -> Callable[[Planner], Planner]:
    """Register how to plan the imports of one format."""
    def register(func: Planner) -> Planner:
        PLANNERS[name] = func
        return func
    return register


def plan_import(session: Session, path: Path, options: ImportOptions, log: IssueLog) -> Plan:
    """Work out the files, order and converters of an import; refuse it if it cannot run."""
    if not path.exists():
        raise ImportRefused(f"{path.name}: there is no such file or folder")
    for module in PLANNER_MODULES:
        importlib.import_module(module)
    name = options.format or detect_format(path)
    family = name.split(":", 1)[0]
    if family not in PLANNERS:
        raise ImportRefused(f"unknown import format {name!r}; use one of akeneo, xlsx, "
                            "shopify or profile:NAME")
    plan = PLANNERS[family](session, path, options, log)
    plan.format = name
    return plan
