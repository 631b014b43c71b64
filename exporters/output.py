"""Writing outputs safely: byte counting and checksums, CSV cells, XML text, text streams."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable
from typing import Any, BinaryIO

from exporters.rules import NOT_XML, clean_text
from exporters.values import as_text, is_empty

# a spreadsheet reads a cell starting with one of these as a formula
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class CountingStream(io.RawIOBase):
    """A write-only stream in front of another that counts bytes and hashes them."""

    def __init__(self, target: BinaryIO) -> None:
        super().__init__()
        self.target = target
        self.size = 0
        self.sha256 = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        self.target.write(view)
        self.sha256.update(view)
        self.size += len(view)
        return len(view)

    def flush(self) -> None:
        self.target.flush()

    @property
    def checksum(self) -> str:
        return self.sha256.hexdigest()


def xml_text(text: str) -> str:
    """Escape text for XML content exactly as lxml writes it (`&#13;` keeps a CR).

    Like lxml, refuses text XML cannot carry (control characters, U+FFFE, U+FFFF).
    """
    if not text.isprintable() and NOT_XML.search(text) is not None:
        raise ValueError("All strings must be XML compatible: Unicode or ASCII, "
                         f"no NULL bytes or control characters, got {text[:80]!r}")
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def safe_cell(value: Any) -> str:
    """Render a CSV cell, neutralising text a spreadsheet would run as a formula."""
    if is_empty(value):
        return ""
    text = clean_text(as_text(value))
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class CsvRows:
    """A CSV writer over a byte stream: UTF-8, every cell safe, rows of known columns."""

    def __init__(self, stream: BinaryIO, columns: list[str], *, delimiter: str = ",",
                 header: Iterable[str] | None = None) -> None:
        self.text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=False)
        self.writer = csv.writer(self.text, delimiter=delimiter, lineterminator="\n",
                                 quoting=csv.QUOTE_MINIMAL)
        self.columns = columns
        self.writer.writerow([safe_cell(c) for c in (header or columns)])

    def row(self, cells: dict[str, Any]) -> None:
        """Write one row; absent columns stay empty."""
        self.writer.writerow([safe_cell(cells.get(c)) for c in self.columns])

    def close(self) -> None:
        """Flush the text layer and hand the byte stream back, still open."""
        self.text.flush()
        self.text.detach()


class TsvRows(CsvRows):
    """Tab-separated rows; tabs and line breaks inside a value become spaces."""

    def __init__(self, stream: BinaryIO, columns: list[str]) -> None:
        super().__init__(stream, columns, delimiter="\t")

    def row(self, cells: dict[str, Any]) -> None:
        self.writer.writerow([_one_line(safe_cell(cells.get(c))) for c in self.columns])


def _one_line(text: str) -> str:
    return " ".join(text.replace("\t", " ").splitlines())
