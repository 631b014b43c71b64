"""Reading tables safely: huge cells refused with flat memory, long rows, round trips."""

from __future__ import annotations

import csv
import io
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pim.imports.errors import UnreadableFile
from pim.imports.lines import LineFeeder
from pim.imports.readers import open_table
from tests.imports.tables import csv_text, read_all, write

# huge cells and rows ---------------------------------------------------------------------

HUNDRED_MB = 100 * 1024 * 1024


def huge_cell_file(path: Path, style: str) -> Path:
    """sku,description,price with a 100 MB description on row 3, written in chunks."""
    chunk = (b"x" * 1023 + (b"\n" if style == "multiline" else b"y"))
    quote = b'"' if style in ("quoted", "multiline") else b""
    with path.open("wb") as out:
        out.write(b"sku,description,price\nA,short,1\nB," + quote)
        for _ in range(HUNDRED_MB // len(chunk)):
            out.write(chunk)
        out.write(quote + b",2\nC,fine,3\n")
    return path


@pytest.mark.parametrize("style", ["unquoted", "quoted", "multiline"])
def test_a_100_mb_cell_is_refused_without_reading_it_whole(tmp_path, style):
    path = huge_cell_file(tmp_path / "huge.csv", style)
    assert path.stat().st_size > HUNDRED_MB
    read = []
    tracemalloc.start()
    try:
        with pytest.raises(UnreadableFile) as caught, open_table(path) as table:
            read.extend(number for number, _ in table)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert read == [2]
    assert caught.value.message == (
        "huge.csv, row 3, column 'description': the cell is longer than the limit of "
        "4,194,304 characters; the file is refused")
    assert peak < HUNDRED_MB / 4, f"peak {peak / 1e6:.1f} MB"


@pytest.mark.parametrize("cell, refused", [("é" * 1000, False), ("é" * 1001, True),
                                           ('"' * 1000, False), ('"' * 1001, True)])
def test_the_cell_cap_is_exact(tmp_path, cell, refused):
    path = write(tmp_path, csv_text([["A", cell, "x"]], ",").encode())
    if refused:
        with pytest.raises(UnreadableFile, match="row 2, column 'name': the cell is longer"):
            read_all(path, max_cell_bytes=1000)
    else:
        assert read_all(path, max_cell_bytes=1000)[1][0][1]["name"] == cell


def test_long_rows_of_small_cells_are_read_whole(tmp_path):
    header = [f"c{i}" for i in range(10)]
    kinds = ['"q", ;|\n' + "é" * 700, "é" * 700, 'a, "b" ' * 100]  # line breaks, plain, quoted
    rows = [[f"{i}-{j} {kinds[(i + j) % 3]}" for j in range(10)] for i in range(3)]
    path = write(tmp_path, csv_text(rows, ",", header).encode())
    _, read, problems = read_all(path, max_cell_bytes=1000)  # each row ~ 7 times the cap
    assert [list(values.values()) for _, values in read] == rows and problems == []


def test_a_row_far_longer_than_the_cap_is_refused(tmp_path):
    header = [f"c{i}" for i in range(20)]
    path = write(tmp_path, csv_text([["y" * 900] * 20], ",", header).encode())
    with pytest.raises(UnreadableFile, match="row 2: the row is longer than 8,000 characters"):
        read_all(path, max_cell_bytes=1000)


# property: whatever csv.writer writes comes back ------------------------------------------

CELL = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from('\n\r\t",;|'),
               max_size=30)
NAME = CELL.map(str.strip).filter(lambda name: name and not name.startswith("\ufeff"))


@st.composite
def tables(draw):
    header = draw(st.lists(NAME, min_size=1, max_size=6, unique=True))
    row = st.lists(CELL, min_size=len(header), max_size=len(header)).filter(any)
    return header, draw(st.lists(row, max_size=8))


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=tables(), delimiter=st.sampled_from([",", ";", "\t", "|"]))
def test_any_table_written_by_csv_writer_reads_back(tmp_path, table, delimiter):
    header, rows = table
    data = csv_text(rows, delimiter, header).encode("utf-8")
    with open_table(io.BytesIO(data), delimiter=delimiter) as reader:
        assert reader.header == header
        assert [list(values.values()) for _, values in reader] == rows
        assert reader.problems == []


@settings(max_examples=150, deadline=None)
@given(table=tables())
def test_bounded_pieces_parse_like_whole_lines(table):
    header, rows = table
    text = csv_text(rows, ",", header)
    feeder = LineFeeder(io.StringIO(text, newline=""), delimiter=",", quotechar='"',
                        cap=10_000, piece=8)
    pieces = []
    for record in csv.reader(feeder):
        pieces.append(record)
        feeder.new_record()
    assert pieces == list(csv.reader(io.StringIO(text, newline="")))
