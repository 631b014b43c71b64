"""CSV tables: encoding and delimiter found from the bytes, read in bounded pieces."""

from __future__ import annotations

import codecs
import csv
import io
import threading
from collections.abc import Callable, Iterator
from typing import BinaryIO

from pim.imports.encoding import SAMPLE_BYTES, check_decodes, detect_encoding
from pim.imports.errors import UnreadableFile
from pim.imports.lines import CellTooLong, LineFeeder, NulFound, RowTooLong
from pim.imports.table import Row, RowProblem, Table, check_header

DELIMITERS = (",", ";", "\t", "|")
QUOTE = '"'
_limit_lock = threading.Lock()


def sniff_delimiter(sample: str, truncated: bool) -> str:
    """Pick the delimiter that splits the sample's rows evenly, like prose would not."""
    best, best_score = ",", (-1.0, -1.0, 0)
    for delimiter in DELIMITERS:
        records = [r for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
                   if any(r)]
        if truncated and len(records) > 1:
            records.pop()  # cut by the end of the sample
        if not records or len([c for c in records[0] if c.strip()]) < 2:
            continue
        score = _split_score(records)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _split_score(records: list[list[str]]) -> tuple[float, float, int]:
    """Rows as wide as the header first; then few cells opening with a space, as
    "Jan, Kowalski" split at its comma would; then more named columns."""
    width = len(records[0])
    rows = records[1:]
    even = sum(1 for r in rows if len(r) == width) / len(rows) if rows else 1.0
    cells = [cell for record in records for cell in record[1:]]
    spaced = sum(1 for cell in cells if cell[:1].isspace()) / len(cells)
    return even, -round(spaced, 1), len([c for c in records[0] if c.strip()])


def _allow_cells_of(cap: int) -> None:
    # csv's own limit is one setting for the whole process: raise it, never lower it;
    # the cap of each table is kept by its LineFeeder
    with _limit_lock:
        if csv.field_size_limit() < cap + 1:
            csv.field_size_limit(cap + 1)


class CsvTable(Table):
    """A CSV file read as a table."""

    format = "csv"

    def __init__(
        self, stream: BinaryIO, name: str, *, cap: int, encoding: str | None,
        delimiter: str | None, owns_stream: bool,
        on_problem: Callable[[RowProblem], None] | None = None,
    ) -> None:
        super().__init__(name, on_problem)
        self._stream = stream
        self._owns = owns_stream
        if encoding:
            self.encoding = _checked_encoding(encoding, name)
            check_decodes(stream, self.encoding, name)
        else:
            self.encoding = detect_encoding(stream, name)
        self.delimiter = _checked_delimiter(delimiter) if delimiter else self._sniff()
        _allow_cells_of(cap)
        self._text = io.TextIOWrapper(stream, encoding=self.encoding, errors="strict",
                                      newline="")
        self._feeder = LineFeeder(self._text, delimiter=self.delimiter, quotechar=QUOTE,
                                  cap=cap)
        self._records = csv.reader(self._feeder, delimiter=self.delimiter, quotechar=QUOTE,
                                   doublequote=True, strict=False)
        self._row = 0
        self.cap = cap
        try:
            self._read_header()
        except BaseException:
            self.close()
            raise

    def _sniff(self) -> str:
        head = self._stream.read(SAMPLE_BYTES)
        self._stream.seek(0)
        decoder = codecs.getincrementaldecoder(self.encoding)(errors="replace")
        sample = decoder.decode(head, final=False).lstrip("\ufeff")
        return sniff_delimiter(sample, truncated=len(head) == SAMPLE_BYTES)

    def _read_header(self) -> None:
        for row, cells in self._numbered():
            if any(cell.strip() for cell in cells):
                self.header = check_header(cells, self.name, row)
                if self.header:
                    return
        raise UnreadableFile("the file is empty", file=self.name)

    def _rows(self) -> Iterator[Row]:
        for row, cells in self._numbered():
            values = self.shape(row, cells)
            if values is not None:
                yield row, values

    def _numbered(self) -> Iterator[tuple[int, list[str]]]:
        """Yield each record with its row number, turning parse failures into errors."""
        while True:
            try:
                cells = next(self._records)
            except StopIteration:
                return
            except CellTooLong as exc:
                raise self._too_long(exc.index) from None
            except RowTooLong:
                raise UnreadableFile(
                    f"the row is longer than {self._feeder.max_row:,} characters",
                    file=self.name, row=self._row + 1) from None
            except NulFound:
                raise UnreadableFile("the file holds binary data (a NUL character)",
                                     file=self.name, row=self._row + 1) from None
            except UnicodeDecodeError as exc:
                raise UnreadableFile(
                    f"bytes that are not {self.encoding} text ({exc.reason}); "
                    "the file mixes encodings or is damaged", file=self.name,
                    row=self._row + 1) from None
            except csv.Error as exc:
                raise self._parse_error(exc) from None
            self._row += 1
            self._feeder.new_record()
            yield self._row, cells

    def _too_long(self, index: int) -> UnreadableFile:
        column = self.column_name(index) if self.header else f"#{index + 1}"
        return UnreadableFile(
            f"the cell is longer than the limit of {self.cap:,} characters; "
            "the file is refused",
            file=self.name, row=self._row + 1, column=column)

    def _parse_error(self, exc: csv.Error) -> UnreadableFile:
        return UnreadableFile(f"the CSV cannot be parsed: {exc}", file=self.name,
                              row=self._row + 1)

    def close(self) -> None:
        if not self._closed:
            if self._owns:
                self._text.close()
            else:
                self._text.detach()  # the caller's stream stays open
        super().close()


def _checked_encoding(encoding: str, name: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise UnreadableFile(f"unknown encoding {encoding!r}", file=name) from None


def _checked_delimiter(delimiter: str) -> str:
    if len(delimiter) != 1 or delimiter in (QUOTE, "\r", "\n"):
        raise UnreadableFile(f"the delimiter must be one character other than a quote or a "
                             f"line break, not {delimiter!r}")
    return delimiter
