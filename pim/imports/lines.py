"""Feed the csv module bounded pieces of text, so no cell or row can flood memory.

`csv.reader` pulls whole lines; a 100 MB cell on one line would be read whole before
the parser could object. `LineFeeder` reads at most `PIECE` characters at a time. Small
records pass straight through. Once a record outgrows the cell cap, a `CellMeter`
follows it with the same rules as the csv module and stops at the first cell over the
cap, naming its column. A long line is only cut where the parser is inside a quoted
field, where a cut is harmless.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TextIO

PIECE = 1024 * 1024
# a record may hold several large cells, but not without end
ROW_FACTOR = 8


class CellTooLong(Exception):
    """A cell of the record being read is longer than the cap."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


class RowTooLong(Exception):
    """The record being read is longer than the row cap."""


class NulFound(Exception):
    """The text holds a NUL character: binary data, not a table."""


START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED = range(4)


class CellMeter:
    """Follow one record's text like the csv module does, measuring the current cell."""

    def __init__(self, delimiter: str, quotechar: str, cap: int) -> None:
        self.state = START
        self.index = 0
        self.length = 0
        self._cap = cap
        self._quote = quotechar
        self._stop = re.compile(f"[{re.escape(delimiter)}\r\n]")
        self._delimiter = delimiter

    @property
    def inside_quotes(self) -> bool:
        return self.state == QUOTED

    def feed(self, text: str) -> None:
        """Advance over `text`; raise CellTooLong as soon as a cell passes the cap."""
        pos, end = 0, len(text)
        while pos < end:
            if self.state == QUOTED:
                pos = self._quoted(text, pos, end)
            elif self.state == UNQUOTED:
                pos = self._unquoted(text, pos, end)
            else:
                pos = self._boundary(text, pos)
            if self.length > self._cap:
                raise CellTooLong(self.index)

    def _quoted(self, text: str, pos: int, end: int) -> int:
        found = text.find(self._quote, pos)
        if found < 0:
            self.length += end - pos
            return end
        self.length += found - pos
        self.state = QUOTE_IN_QUOTED
        return found + 1

    def _unquoted(self, text: str, pos: int, end: int) -> int:
        stop = self._stop.search(text, pos)
        if stop is None:
            self.length += end - pos
            return end
        self.length += stop.start() - pos
        self._end_cell(text[stop.start()])
        return stop.end()

    def _boundary(self, text: str, pos: int) -> int:
        char = text[pos]
        if self.state == QUOTE_IN_QUOTED:
            if char == self._quote:  # a doubled quote stands for one
                self.length += 1
                self.state = QUOTED
                return pos + 1
            if char in (self._delimiter, "\r", "\n"):
                self._end_cell(char)
                return pos + 1
            self.state = UNQUOTED  # text after a closing quote joins the cell, as in csv
            return pos
        if char == self._quote:
            self.state = QUOTED
            return pos + 1
        if char in (self._delimiter, "\r", "\n"):
            self._end_cell(char)
            return pos + 1
        self.state = UNQUOTED
        return pos

    def _end_cell(self, char: str) -> None:
        if self.length > self._cap:
            raise CellTooLong(self.index)
        self.state = START
        self.length = 0
        self.index = self.index + 1 if char == self._delimiter else 0


class LineFeeder:
    """The lines of a text stream for `csv.reader`, each piece at most `PIECE` long."""

    def __init__(
        self, text: TextIO, *, delimiter: str, quotechar: str, cap: int, piece: int = PIECE
    ) -> None:
        self._text = text
        self._delimiter = delimiter
        self._quotechar = quotechar
        self._cap = cap
        self._piece = max(8, min(piece, cap))
        self.max_row = cap * ROW_FACTOR
        self.new_record()

    def new_record(self) -> None:
        """Start measuring the next record (call after csv yields one)."""
        self._chars = 0
        self._kept: list[str] = []
        self._meter: CellMeter | None = None

    def __iter__(self) -> Iterator[str]:
        readline, limit, cap = self._text.readline, self._piece, self._cap
        held: list[str] = []
        while True:
            piece = readline(limit)
            if not piece:
                if held:
                    yield "".join(held)
                return
            self._chars += len(piece)
            if "\x00" in piece:
                raise NulFound()
            whole = len(piece) < limit or piece[-1] == "\n"
            if whole and not held and self._meter is None and self._chars <= cap:
                self._kept.append(piece)  # the usual case: a short line of a short record
                yield piece
                continue
            self._account(piece)
            held.append(piece)
            if whole or self._metered().inside_quotes:
                # a cut inside a quoted field changes nothing for the csv parser
                yield "".join(held) if len(held) > 1 else piece
                held = []

    def _account(self, piece: str) -> None:
        if self._chars > self.max_row:
            raise RowTooLong()
        if self._meter is not None:
            self._meter.feed(piece)
        else:
            self._kept.append(piece)
            if self._chars > self._cap:
                self._metered()

    def _metered(self) -> CellMeter:
        if self._meter is None:
            self._meter = CellMeter(self._delimiter, self._quotechar, self._cap)
            for kept in self._kept:
                self._meter.feed(kept)
            self._kept = []
        return self._meter
