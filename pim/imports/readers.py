"""Open a table file, CSV or XLSX, and read it row by row with memory that stays flat.

    with open_table(path) as table:
        table.header                 # ["sku", "name-en_US", ...]
        for row_number, values in table:
            ...                      # row_number: the row a spreadsheet shows
        table.problems               # ragged rows, each a RowProblem

A file that cannot be read at all raises UnreadableFile saying what and where.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from pim.imports.csvfile import CsvTable
from pim.imports.errors import UnreadableFile
from pim.imports.table import MAX_CELL_BYTES, RowProblem, Table
from pim.imports.xlsx import XlsxTable

__all__ = ["MAX_CELL_BYTES", "RowProblem", "Table", "UnreadableFile", "open_table"]

FORMATS = ("csv", "xlsx")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"

Source = str | os.PathLike | BinaryIO


def open_table(
    source: Source, *, format: str | None = None, max_cell_bytes: int = MAX_CELL_BYTES,
    encoding: str | None = None, delimiter: str | None = None, sheet: str | None = None,
    name: str | None = None, on_problem: Callable[[RowProblem], None] | None = None,
) -> Table:
    """Open a CSV or XLSX table from a path or a binary file (read from its start)."""
    if format is not None and format not in FORMATS:
        raise UnreadableFile(f"unknown table format {format!r}; use one of {', '.join(FORMATS)}")
    if max_cell_bytes < 1:
        raise ValueError("max_cell_bytes must be positive")
    stream, owned, label = _open_source(source, name)
    try:
        kind = _sniff_format(stream, label, format)
        if kind == "xlsx":
            return XlsxTable(stream, label, cap=max_cell_bytes, sheet=sheet,
                             owns_stream=owned, on_problem=on_problem)
        return CsvTable(stream, label, cap=max_cell_bytes, encoding=encoding,
                        delimiter=delimiter, owns_stream=owned, on_problem=on_problem)
    except BaseException:
        if owned:
            stream.close()
        raise


def _open_source(source: Source, name: str | None) -> tuple[BinaryIO, bool, str]:
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        label = name or path.name
        try:
            return path.open("rb"), True, label
        except FileNotFoundError:
            raise UnreadableFile("there is no such file", file=str(path)) from None
        except IsADirectoryError:
            raise UnreadableFile("this is a folder, not a file", file=str(path)) from None
    label = name or Path(str(getattr(source, "name", "") or "the file")).name
    if source.seekable():
        return source, False, label
    # a stream read once (an upload): keep a copy on disk to read it twice
    spool = tempfile.TemporaryFile()
    shutil.copyfileobj(source, spool)
    spool.seek(0)
    return spool, True, label


def _sniff_format(stream: BinaryIO, name: str, wanted: str | None) -> str:
    stream.seek(0)
    magic = stream.read(4)
    stream.seek(0)
    if magic == OLE_MAGIC:
        raise UnreadableFile("this is an old Excel .xls workbook; save it as .xlsx or CSV",
                             file=name)
    if magic == ZIP_MAGIC:
        if wanted == "csv":
            raise UnreadableFile("this is a ZIP archive (an XLSX workbook?), not a CSV file",
                                 file=name)
        return "xlsx"
    if wanted == "xlsx":
        raise UnreadableFile("this is not an XLSX workbook (XLSX files are ZIP archives)",
                             file=name)
    return "csv"
