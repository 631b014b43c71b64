"""Why a table cannot be read, said with where: file, row, column."""

from __future__ import annotations

from pim.errors import PrismError


class UnreadableFile(PrismError):
    """The file cannot be read as a table; the message says what and where."""

    code = "unreadable_file"

    def __init__(
        self, problem: str, *, file: str | None = None, row: int | None = None,
        column: str | None = None,
    ) -> None:
        where = [file] if file else []
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {problem}" if where else problem)
        self.problem = problem
        self.file = file
        self.row = row
        self.column = column
