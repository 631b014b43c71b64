"""What every table reader shares: the header rules, row shapes, problems per row."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from pim.imports.errors import UnreadableFile

# a cell may hold this many characters (a few MB of text); longer ones refuse the file
MAX_CELL_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class RowProblem:
    """A row that cannot be read as a record of the table, with its cells as they are."""

    row: int
    message: str
    cells: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "message": self.message, "cells": self.cells}


Row = tuple[int, dict[str, str]]


class Table:
    """A table read once, row by row: `.header`, then `(row_number, {column: text})`.

    Rows that do not fit the header (ragged rows) are not yielded: each becomes a
    RowProblem, passed to `on_problem` or, without one, kept in `.problems`.
    """

    format = ""
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None

    def __init__(self, name: str, on_problem: Callable[[RowProblem], None] | None) -> None:
        self.name = name
        self.header: list[str] = []
        self.problems: list[RowProblem] = []
        self._on_problem = on_problem or self.problems.append
        self._closed = False

    def __iter__(self) -> Iterator[Row]:
        if self._closed:
            raise UnreadableFile("the table was already read to its end", file=self.name)
        try:
            yield from self._rows()
        finally:
            self.close()

    def _rows(self) -> Iterator[Row]:
        raise NotImplementedError

    def close(self) -> None:
        """Release the file; reading ends."""
        self._closed = True

    def __enter__(self) -> Table:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def shape(self, row: int, cells: list[str], pad: bool = False) -> dict[str, str] | None:
        """Return the row as {column: text}, or None for a blank or ragged row."""
        width = len(self.header)
        if len(cells) > width:
            while len(cells) > width and not cells[-1]:
                cells.pop()
        elif pad and len(cells) < width:
            cells.extend([""] * (width - len(cells)))
        if len(cells) == width:
            return dict(zip(self.header, cells, strict=False)) if any(cells) else None
        if any(cells):
            self._on_problem(RowProblem(row, self._ragged(len(cells)), cells))
        return None

    def _ragged(self, count: int) -> str:
        width = len(self.header)
        if count > width:
            return (f"the row has {count} cells but the header has {width} columns; "
                    f"the cells past {self.header[-1]!r} have no column")
        missing = ", ".join(repr(name) for name in self.header[count:])
        return (f"the row has {count} cells but the header has {width} columns "
                f"(no cell for {missing})")

    def column_name(self, index: int) -> str:
        """Name the column at `index` (0-based), also past the header's end."""
        return self.header[index] if index < len(self.header) else f"#{index + 1}"


def check_header(cells: list[str], name: str, row: int) -> list[str]:
    """Return the column names of a header row, refusing blanks and duplicates."""
    names = [cell.strip() for cell in cells]
    if names:
        names[0] = names[0].lstrip("\ufeff").strip()
    while names and not names[-1]:
        names.pop()
    blank = [str(i + 1) for i, column in enumerate(names) if not column]
    if blank:
        raise UnreadableFile(f"the header has no name for column(s) {', '.join(blank)}",
                             file=name, row=row)
    seen: dict[str, list[int]] = {}
    for position, column in enumerate(names, start=1):
        seen.setdefault(column, []).append(position)
    twice = [f"{column!r} (columns {', '.join(map(str, spots))})"
             for column, spots in seen.items() if len(spots) > 1]
    if twice:
        raise UnreadableFile(f"the header names a column more than once: {'; '.join(twice)}",
                             file=name, row=row)
    return names
