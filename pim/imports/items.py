"""What converters hand the engine: one item per entity, with the rows it came from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pim.errors import FieldError

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


@dataclass
class SourceRow:
    """One row of a file as it was read."""

    file: str
    number: int
    cells: dict[str, str]


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
