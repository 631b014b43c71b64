"""The import report: per row and column what was wrong and the value, and the failed
rows as a CSV with an error column, ready to be fixed and imported again as it is.

Issues wait in memory (the earlier ones of many in a temporary file) while the import
runs and are written to the database in their own transaction, never in the import's (a
dry run or a refused atomic import still keeps its report).
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from itertools import chain
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from pim.errors import NotFound
from pim.imports.bulk_insert import encode, insert_many
from pim.imports.items import ERRORS_COLUMN, Item, Problem
from pim.imports.models import ERROR, WARNING, ImportIssue, ImportRecord
from pim.jsontext import dumps, loads

INSERT_CHUNK = 500
# issues held in memory until written; beyond, they wait in the spool file
HELD = 2000
ISSUE_COLUMNS = ("import_id", "file", "row", "severity", "kind", "key", "problems", "cells")


class IssueLog:
    """Collect refused rows and warnings; write them out when the import's writes allow."""

    def __init__(self, import_id: str) -> None:
        self.import_id = import_id
        # the issues not written yet, as the rows stored (problems and cells as JSON
        # text): the latest ones held, the earlier ones (when many wait, as in a dry run)
        # one JSON line each in the spool file
        self._held: list[tuple[Any, ...]] = []
        self._spool = tempfile.TemporaryFile("w+b")
        self._pending = 0
        self.unreadable = 0

    def failed(self, item: Item, problems: list[Problem]) -> None:
        """Record an item that was refused, with every row it came from."""
        every = [p.as_dict() for p in [*problems, *item.warnings]]
        for row in item.rows:
            self._add(item, row.file, row.number, ERROR, every, row.cells)
        if not item.rows:
            self._add(item, item.file, 0, ERROR, every, None)

    def warned(self, item: Item) -> None:
        """Record the warnings of an item that was written."""
        every = [p.as_dict() for p in item.warnings]
        self._add(item, item.file, item.first_row, WARNING, every, None)

    def unreadable_row(self, file: str, row: int, message: str, cells: list[str]) -> None:
        """Record a row the reader could not fit to the header (ragged)."""
        self.unreadable += 1
        self._write(file, row, ERROR, "row", None,
                    [{"column": None, "message": message, "value": None}], {"_cells": cells})

    def _add(self, item: Item, file: str, row: int, severity: str, problems: list[dict],
             cells: dict[str, str] | None) -> None:
        self._write(file, row, severity, item.kind, (item.key or None) and item.key[:255],
                    problems, cells)

    def _write(self, file: str, row: int, severity: str, kind: str, key: str | None,
               problems: list[dict], cells: Any) -> None:
        self._held.append((self.import_id, file, row, severity, kind, key, encode(problems),
                           None if cells is None else encode(cells)))
        self._pending += 1
        if len(self._held) >= HELD:
            self._spool.seek(0, io.SEEK_END)  # after every line, even past a failed flush
            self._spool.writelines(dumps(issue) + b"\n" for issue in self._held)
            self._held = []

    def flush(self, sessions: sessionmaker[Session]) -> int:
        """Write the waiting issues to the database in their own transaction."""
        if not self._pending:
            return 0
        self._spool.seek(0)
        written = 0
        with sessions() as session:
            connection = session.connection()
            chunk: list[tuple] = []
            for issue in chain((tuple(loads(line)) for line in self._spool), self._held):
                chunk.append(issue)
                if len(chunk) == INSERT_CHUNK:
                    insert_many(connection, ImportIssue.__table__, ISSUE_COLUMNS, chunk)
                    written += len(chunk)
                    chunk = []
            insert_many(connection, ImportIssue.__table__, ISSUE_COLUMNS, chunk)
            written += len(chunk)
            session.commit()
        self._spool.seek(0)
        self._spool.truncate()
        self._held = []
        self._pending = 0
        return written

    def close(self) -> None:
        """Drop the spool file."""
        self._spool.close()


def get_import(session: Session, import_id: str) -> ImportRecord:
    """Return the import `import_id` as it is now."""
    record = session.get(ImportRecord, import_id, populate_existing=True)
    if record is None:
        raise NotFound("import", import_id)
    return record


def list_imports(session: Session, limit: int = 50) -> list[ImportRecord]:
    """List imports, newest first."""
    return list(session.scalars(select(ImportRecord).order_by(
        ImportRecord.created.desc(), ImportRecord.id).limit(max(1, limit))))


def import_issues(session: Session, import_id: str, *, severity: str | None = None,
                  offset: int = 0, limit: int = 100) -> list[ImportIssue]:
    """List the issues of an import in file and row order (a page of them)."""
    get_import(session, import_id)
    query = select(ImportIssue).where(ImportIssue.import_id == import_id)
    if severity is not None:
        query = query.where(ImportIssue.severity == severity)
    query = query.order_by(ImportIssue.id).offset(max(0, offset)).limit(max(1, limit))
    return list(session.scalars(query))


def issue_as_dict(issue: ImportIssue) -> dict[str, Any]:
    """Return one issue as plain data."""
    return {"file": issue.file, "row": issue.row, "severity": issue.severity,
            "kind": issue.kind, "key": issue.key, "problems": issue.problems}


def import_report(session: Session, import_id: str, *, offset: int = 0, limit: int = 100
                  ) -> dict[str, Any]:
    """Return an import's summary and a page of its issues (errors first, then warnings)."""
    record = get_import(session, import_id)
    totals = dict(session.execute(select(ImportIssue.severity, func.count()).where(
        ImportIssue.import_id == import_id).group_by(ImportIssue.severity)).all())
    issues = list(session.scalars(
        select(ImportIssue).where(ImportIssue.import_id == import_id)
        .order_by(ImportIssue.severity, ImportIssue.id)
        .offset(max(0, offset)).limit(max(1, limit))))
    return {**record_as_dict(record), "issue_totals": {ERROR: totals.get(ERROR, 0),
                                                       WARNING: totals.get(WARNING, 0)},
            "issues": [issue_as_dict(issue) for issue in issues]}


def record_as_dict(record: ImportRecord) -> dict[str, Any]:
    """Return an import record as plain data."""
    def when(moment: Any) -> str | None:
        return moment.isoformat() if moment else None

    return {"id": record.id, "job_id": record.job_id, "source": record.source_name,
            "format": record.format, "options": record.options, "status": record.status,
            "changeset_id": record.changeset_id, "counts": record.counts,
            "files": record.files, "notes": record.notes, "rows_read": record.rows_read,
            "rows_failed": record.rows_failed, "rows_warned": record.rows_warned,
            "error": record.error, "created_by": record.created_by,
            "created": when(record.created), "started": when(record.started),
            "finished": when(record.finished), "reverted_by": record.reverted_by}


def failed_files(session: Session, import_id: str) -> list[str]:
    """Name the files of an import that have refused rows."""
    get_import(session, import_id)
    return list(session.scalars(select(ImportIssue.file).where(
        ImportIssue.import_id == import_id, ImportIssue.severity == ERROR)
        .group_by(ImportIssue.file).order_by(func.min(ImportIssue.id))))


def failed_rows_csv(session: Session, import_id: str, file: str | None = None
                    ) -> tuple[str, Iterator[str]]:
    """Return a file name and the CSV text of the refused rows of one file of an import.

    The CSV has the file's own columns plus an "Import errors" column, which an import
    ignores: fix the cells and import the file as it is.
    """
    record = get_import(session, import_id)
    files = failed_files(session, import_id)
    if file is None:
        if len(files) > 1:
            raise NotFound("single file with failed rows (name one of "
                           f"{', '.join(files)})", import_id)
        file = files[0] if files else None
    info = next((f for f in record.files if f.get("name") == file), None)
    if file is None or info is None:
        raise NotFound("failed rows of file", file or record.source_name)
    header = [c for c in info.get("header", []) if c != ERRORS_COLUMN]
    delimiter = info.get("delimiter") or ","
    issues = session.scalars(select(ImportIssue).where(
        ImportIssue.import_id == import_id, ImportIssue.severity == ERROR,
        ImportIssue.file == file).order_by(ImportIssue.row, ImportIssue.id)).all()
    stem = file.rsplit(".", 1)[0]
    return f"{stem}.failed.csv", _csv_lines(header, delimiter, issues)


def _csv_lines(header: list[str], delimiter: str, issues: list[ImportIssue]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")

    def line(cells: list[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        return buffer.getvalue()

    yield line([*header, ERRORS_COLUMN])
    written: set[int] = set()
    for issue in issues:
        if issue.cells is None or issue.row in written:
            continue  # derived from no row, or a row already written for another item
        written.add(issue.row)
        cells = issue.cells
        if "_cells" in cells:
            row = list(cells["_cells"]) + [""] * (len(header) - len(cells["_cells"]))
        else:
            row = [cells.get(column, "") for column in header]
        yield line([*row, describe_problems(issue.problems)])


def describe_problems(problems: list[dict[str, Any]]) -> str:
    """Write problems as one cell: `column: message (value)`, separated by " | "."""
    parts = []
    for problem in problems:
        text = f"{problem['column']}: " if problem.get("column") else ""
        text += problem["message"]
        if problem.get("value") not in (None, ""):
            text += f" ({problem['value']!r})"
        parts.append(text)
    return " | ".join(parts)
