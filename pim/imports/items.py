"""What converters hand the engine: one item per entity, with the rows it came from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pim.errors import FieldError
from pim.jsontext import loads

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"
SKIPPED = "skipped"
FAILED = "failed"
OUTCOMES = (CREATED, UPDATED, UNCHANGED, SKIPPED, FAILED)

# a column of this name holds the errors of a failed-rows file; it is never imported
ERRORS_COLUMN = "Import errors"


@dataclass(frozen=True)
class Problem:
    """What is wrong with one cell (or a whole row when column is None)."""

    column: str | None
    message: str
    value: Any = None

    def as_dict(self) -> dict[str, Any]:
        return {"column": self.column, "message": self.message, "value": _shown(self.value)}


def _shown(value: Any) -> Any:
    if isinstance(value, str) and len(value) > 200:
        return value[:200] + "…"
    return value


class SourceRow:
    """One row of a file as it was read: its cells by column."""

    __slots__ = ("_cells", "_header", "file", "number")

    def __init__(self, file: str, number: int, cells: dict[str, str]) -> None:
        self.file = file
        self.number = number
        self._cells: Any = cells
        self._header: list[str] | None = None

    @classmethod
    def under(cls, file: str, number: int, header: list[str], values: bytes) -> SourceRow:
        """A row given as the JSON list of its values under a header shared with other
        rows: read and paired when first asked for (most rows of a large file are
        written and never are)."""
        row = cls(file, number, {})
        row._cells, row._header = values, header
        return row

    @property
    def cells(self) -> dict[str, str]:
        if self._header is not None:
            self._cells = dict(zip(self._header, loads(self._cells), strict=True))
            self._header = None
        return self._cells  # type: ignore[no-any-return]

    @cells.setter
    def cells(self, cells: dict[str, str]) -> None:
        self._cells, self._header = cells, None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SourceRow):
            return NotImplemented
        return (self.file, self.number, self.cells) == (other.file, other.number, other.cells)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"SourceRow(file={self.file!r}, number={self.number!r}, cells={self.cells!r})"


# maps a service's FieldError to the column it came from
Locator = Callable[[FieldError], str | None]


def no_column(error: FieldError) -> str | None:
    """Locate nothing: the error concerns the whole row."""
    return None


@dataclass
class Item:
    """One entity to write (a product, an attribute, ...), built from one or more rows."""

    kind: str
    key: str
    data: dict[str, Any]
    rows: list[SourceRow]
    locate: Locator = no_column
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # extra information converters pass to their writer
    extra: dict[str, Any] = field(default_factory=dict)
    # the file of an item made from no row (structure a converter derives)
    origin: str = ""
    # how many of its rows another item counts already (a Shopify product's first row
    # is also its first variant)
    shared_rows: int = 0

    @property
    def file(self) -> str:
        return self.rows[0].file if self.rows else self.origin

    @property
    def first_row(self) -> int:
        return self.rows[0].number if self.rows else 0

    def refuse(self, column: str | None, message: str, value: Any = None) -> None:
        """Note a problem that keeps the item out of the catalog."""
        self.problems.append(Problem(column, message, value))

    def warn(self, column: str | None, message: str, value: Any = None) -> None:
        """Note something worth knowing that does not keep the item out."""
        self.warnings.append(Problem(column, message, value))


def field_problems(item: Item, errors: list[FieldError]) -> list[Problem]:
    """Turn a service's field errors into problems on the item's columns."""
    problems = []
    for error in errors:
        column = item.locate(error)
        where = [p for p in (error.attribute, error.locale, error.scope) if p]
        message = error.message
        if column is None and where:
            message = f"{'-'.join(where)}: {message}"
        elif column is None and error.field not in ("values", "body", ""):
            message = f"{error.field}: {message}"
        problems.append(Problem(column, message, error.value))
    return problems
