"""XLSX tables: openpyxl in read-only mode, streamed row by row, cells as people see them."""

from __future__ import annotations

import datetime as dt
import warnings
import zipfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any, BinaryIO

from pim.imports.errors import UnreadableFile
from pim.imports.table import Row, RowProblem, Table, check_header


def cell_text(value: Any) -> str:
    """Write a cell's value as text: 12 not 12.0, dates in ISO 8601, booleans as 1/0."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(timespec="seconds" if not value.microsecond else "auto")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _number_text(value: float) -> str:
    if value.is_integer():
        return str(int(value))
    text = f"{value:.15g}"  # the digits a spreadsheet shows
    return format(Decimal(text), "f") if "e" in text else text


class XlsxTable(Table):
    """The first (or a named) sheet of an XLSX workbook, read as a table."""

    format = "xlsx"

    def __init__(
        self, stream: BinaryIO, name: str, *, cap: int, sheet: str | None, owns_stream: bool,
        on_problem: Callable[[RowProblem], None] | None = None,
    ) -> None:
        super().__init__(name, on_problem)
        self.cap = cap
        self._stream = stream if owns_stream else None
        self._workbook = _load(stream, name)
        try:
            worksheet = self._pick(sheet)
            self.sheet = worksheet.title
            # the size a workbook records can be wrong; read what is really there
            worksheet.reset_dimensions()
            self._cells = enumerate(worksheet.iter_rows(values_only=True), start=1)
            self._read_header()
        except BaseException:
            self.close()
            raise

    def _pick(self, sheet: str | None) -> Any:
        names = self._workbook.sheetnames
        if sheet is None:
            if not names:
                raise UnreadableFile("the workbook has no sheet", file=self.name)
            return self._workbook[names[0]]
        if sheet not in names:
            raise UnreadableFile(f"the workbook has no sheet {sheet!r} (it has "
                                 f"{', '.join(map(repr, names))})", file=self.name)
        return self._workbook[sheet]

    def _read_header(self) -> None:
        for row, cells in self._texts():
            if any(cell.strip() for cell in cells):
                self.header = check_header(cells, self.name, row)
                return
        raise UnreadableFile(f"the sheet {self.sheet!r} is empty", file=self.name)

    def _rows(self) -> Iterator[Row]:
        for row, cells in self._texts():
            values = self.shape(row, cells, pad=True)
            if values is not None:
                yield row, values

    def _texts(self) -> Iterator[tuple[int, list[str]]]:
        for row, values in self._cells:
            cells = [cell_text(value) for value in values]
            for index, cell in enumerate(cells):
                if len(cell) > self.cap:
                    raise UnreadableFile(
                        f"the cell is longer than the limit of {self.cap:,} characters",
                        file=self.name, row=row, column=self.column_name(index))
            yield row, cells

    def close(self) -> None:
        if not self._closed:
            self._workbook.close()  # closes the archive, not the stream it was given
            if self._stream is not None:
                self._stream.close()
        super().close()


def _load(source: BinaryIO, name: str) -> Any:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it skips (styles, extensions)
            warnings.simplefilter("ignore", UserWarning)
            return load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile(f"this is not a readable XLSX workbook ({exc})", file=name) from None
