"""Import fixtures: run imports through the job runner (inline) on the test's database."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from pim.imports.jobs import start_import
from pim.imports.models import ImportRecord
from pim.imports.report import get_import
from pim.imports.sources import ImportOptions
from tests.builders import small_catalog


@pytest.fixture()
def run_import(app) -> Callable[..., ImportRecord]:
    """Run an import as an inline job and return its final record."""

    def run(source: Path, **options: object) -> ImportRecord:
        record = start_import(app, source, ImportOptions(**options), created_by="tester")
        with app.extensions["prism.sessions"]() as session:
            return get_import(session, record.id)

    return run


@pytest.fixture()
def catalog(session):
    """The small test catalog, committed (to the test's savepoint)."""
    small_catalog(session)
    session.commit()
    return session


def csv_bytes(header: list[str], rows: list[list[str]], delimiter: str = ";",
              encoding: str = "utf-8") -> bytes:
    """Write a header and rows as CSV bytes."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


@pytest.fixture()
def write_file(tmp_path: Path) -> Callable[..., Path]:
    """Write bytes (or a header and rows) to a file under the test's folder."""

    def write(name: str, data: bytes | None = None, *, header: list[str] | None = None,
              rows: list[list[str]] | None = None, **options: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if data is not None else csv_bytes(header or [], rows or [],
                                                               **options))
        return path

    return write
