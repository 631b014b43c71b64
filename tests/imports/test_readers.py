"""Reading CSV tables: encodings, delimiters, row numbers, ragged rows, broken files."""

from __future__ import annotations

import codecs
import io

import pytest

from pim.errors import PrismError
from pim.imports.errors import UnreadableFile
from pim.imports.readers import RowProblem, open_table
from tests.imports.tables import (
    EVERYONE,
    FRENCH,
    GREEK,
    HEADER,
    POLISH,
    RUSSIAN,
    OneWayStream,
    csv_text,
    encoded,
    read_all,
    workbook,
    write,
)

# encodings -------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding, rows", [
    ("utf-8", EVERYONE),
    ("utf-8-sig", EVERYONE),
    ("utf-16-le-bom", EVERYONE),
    ("utf-16-be-bom", EVERYONE),
    ("utf-16-le", EVERYONE),
    ("cp1250", POLISH),
    ("iso8859-2", POLISH),
    ("cp1252", FRENCH),
    ("iso8859-1", FRENCH),
    ("iso8859-15", FRENCH),
    ("cp1253", GREEK),
    ("iso8859-7", GREEK),
    ("cp1251", RUSSIAN),
    ("iso8859-5", RUSSIAN),
    ("koi8-r", RUSSIAN),
])
def test_each_encoding_is_detected(tmp_path, encoding, rows):
    data = encoded(csv_text(rows), encoding)
    path = write(tmp_path, data)
    with open_table(path) as table:
        assert table.header == HEADER
        read = [list(values.values()) for _, values in table]
        found = table.encoding
    assert read == rows
    assert data.decode(found).lstrip("\ufeff") == csv_text(rows)


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16-le-bom", "utf-16"),
    ("utf-16-be-bom", "utf-16"), ("cp1250", "cp1250"), ("cp1252", "cp1252"),
])
def test_encoding_names(tmp_path, encoding, expected):
    rows = FRENCH if encoding == "cp1252" else POLISH
    with open_table(write(tmp_path, encoded(csv_text(rows), encoding))) as table:
        assert table.encoding == expected


def test_given_encoding_wins_over_detection(tmp_path):
    data = csv_text(POLISH).encode("iso8859-2")
    _, rows, _ = read_all(write(tmp_path, data), encoding="latin-1")
    assert rows[0][1]["name"] == "Buty trekkingowe £ód¼"  # what the caller asked for


def test_bytes_wrong_for_the_given_encoding_are_refused_with_their_line(tmp_path):
    data = csv_text(FRENCH).encode("cp1252")
    with pytest.raises(UnreadableFile, match=r"table.csv: line 2 holds bytes that are not utf-8"):
        read_all(write(tmp_path, data), encoding="utf-8")


def test_a_file_mixing_utf8_with_another_encoding_is_refused(tmp_path):
    data = csv_text(FRENCH[:2]).encode("utf-8") + "FR-9;Ça;à\r\n".encode("cp1252")
    with pytest.raises(UnreadableFile, match=r"mixes UTF-8 with another encoding .*line 4"):
        open_table(write(tmp_path, data))


def test_a_late_non_utf8_byte_is_found_past_the_sample(tmp_path):
    ascii_rows = [[f"SKU-{i}", "plain name", "plain text " * 20] for i in range(2000)]
    data = csv_text(ascii_rows + [["FR-9", "Crème brûlée", "très légère à l'eau"]])
    _, rows, _ = read_all(write(tmp_path, data.encode("cp1252")))
    assert rows[-1][1] == {"sku": "FR-9", "name": "Crème brûlée",
                           "description": "très légère à l'eau"}


# delimiters ------------------------------------------------------------------------------

@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter_is_sniffed(tmp_path, delimiter):
    rows = [["A-1", "Prix 1,50; poids 2|3", "tab\there"],
            ["A-2", 'Dit "bonjour"', "x"],
            ["A-3", "plain", "also plain"]]
    path = write(tmp_path, csv_text(rows, delimiter).encode())
    with open_table(path) as table:
        assert table.delimiter == delimiter
        assert [list(v.values()) for _, v in table] == rows


def test_quoted_delimiters_do_not_fool_the_sniffer(tmp_path):
    header = ["name, full", "sku", "price, net"]
    rows = [["Jan, Kowalski", "P-1", "1,50"], ["Anna, Nowak", "P-2", "2,00"]]
    path = write(tmp_path, csv_text(rows, ";", header).encode())
    with open_table(path) as table:
        assert table.delimiter == ";" and table.header == header


def test_given_delimiter_wins(tmp_path):
    path = write(tmp_path, b"a;b|c\n1;2|3\n")
    header, rows, _ = read_all(path, delimiter="|")
    assert header == ["a;b", "c"] and rows == [(2, {"a;b": "1;2", "c": "3"})]


@pytest.mark.parametrize("delimiter", ['"', "ab", "\n"])
def test_a_delimiter_must_be_one_plain_character(tmp_path, delimiter):
    with pytest.raises(UnreadableFile, match="the delimiter must be one character"):
        open_table(write(tmp_path, b"a,b\n1,2\n"), delimiter=delimiter)


# row numbers, multi-line cells, ragged rows ----------------------------------------------

def test_multiline_cells_count_as_one_row(tmp_path):
    data = (
        'sku;description;name\r\n'
        'A;"first line\r\nsecond line\r\nthird";Alpha\r\n'
        'B;"one\nmore";Beta\r\n'
        '\r\n'
        'C;"quote "" inside\nand ; delimiter";Gamma\r\n'
        'D;plain;Delta\r\n'
    )
    _, rows, problems = read_all(write(tmp_path, data.encode()))
    assert [(n, v["sku"]) for n, v in rows] == [(2, "A"), (3, "B"), (5, "C"), (6, "D")]
    assert rows[0][1]["description"] == "first line\r\nsecond line\r\nthird"
    assert rows[2][1]["description"] == 'quote " inside\nand ; delimiter'
    assert problems == []


def test_ragged_rows_are_reported_and_the_others_read(tmp_path):
    data = "sku,name,price\nA,Alpha,1\nB,Beta\nC,Gamma,3,extra\nD,Delta,4,,\nE,Eta,5\n"
    _, rows, problems = read_all(write(tmp_path, data.encode()))
    assert [n for n, _ in rows] == [2, 5, 6]
    assert rows[1][1] == {"sku": "D", "name": "Delta", "price": "4"}  # empty extras: fine
    assert problems == [
        RowProblem(3, "the row has 2 cells but the header has 3 columns (no cell for 'price')",
                   ["B", "Beta"]),
        RowProblem(4, "the row has 4 cells but the header has 3 columns; the cells past "
                      "'price' have no column", ["C", "Gamma", "3", "extra"]),
    ]


def test_ragged_rows_can_go_to_a_callback(tmp_path):
    seen = []
    data = b"sku,name\nA\nB,Beta\n"
    with open_table(write(tmp_path, data), on_problem=seen.append) as table:
        assert [n for n, _ in table] == [3]
        assert table.problems == []
    assert [p.row for p in seen] == [2]


def test_trailing_unnamed_columns_are_dropped(tmp_path):
    header, rows, problems = read_all(write(tmp_path, b"sku,name,,\nA,Alpha,,\n"))
    assert header == ["sku", "name"] and rows == [(2, {"sku": "A", "name": "Alpha"})]
    assert problems == []


# empty, header-only, broken headers, binary ----------------------------------------------

@pytest.mark.parametrize("data", [b"", b"\n\n  \r\n", codecs.BOM_UTF8])
def test_an_empty_file_is_refused(tmp_path, data):
    with pytest.raises(UnreadableFile, match=r"^table.csv: the file is empty$"):
        open_table(write(tmp_path, data))


def test_a_header_only_file_has_no_rows(tmp_path):
    header, rows, problems = read_all(write(tmp_path, b"sku;name;price\r\n"))
    assert header == ["sku", "name", "price"] and rows == [] and problems == []


def test_a_duplicate_column_is_refused(tmp_path):
    path = write(tmp_path, b"sku,name, sku ,price,name\n1,2,3,4,5\n")
    with pytest.raises(UnreadableFile) as caught:
        open_table(path)
    assert caught.value.message == (
        "table.csv, row 1: the header names a column more than once: "
        "'sku' (columns 1, 3); 'name' (columns 2, 5)")
    assert isinstance(caught.value, PrismError) and caught.value.row == 1


def test_a_column_without_name_is_refused(tmp_path):
    with pytest.raises(UnreadableFile, match="row 1: the header has no name for column.s. 2"):
        open_table(write(tmp_path, b"sku,,price\n1,2,3\n"))


@pytest.mark.parametrize("data, message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary data"),
    (bytes(range(1, 32)) * 200, "binary data"),
    (bytes((i * 7919) % 251 + 1 for i in range(20000)), "binary data|encoding"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel .xls workbook"),
])
def test_binary_garbage_is_refused(tmp_path, data, message):
    with pytest.raises(UnreadableFile, match=message):
        open_table(write(tmp_path, data))


def test_a_nul_byte_past_the_sample_is_refused_with_its_row(tmp_path):
    rows = "".join(f"SKU-{i},name {i}\n" for i in range(20000))
    data = ("sku,name\n" + rows).encode() + b"BAD,\x00\x00\n"
    with pytest.raises(UnreadableFile, match=r"row 20002: the file holds binary data"):
        read_all(write(tmp_path, data))


def test_a_workbook_is_not_read_as_csv(tmp_path):
    path = tmp_path / "book.xlsx"
    workbook([["sku"], ["A"]]).save(path)
    with pytest.raises(UnreadableFile, match="a ZIP archive .an XLSX workbook.., not a CSV"):
        open_table(path, format="csv")


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(UnreadableFile, match="nope.csv: there is no such file"):
        open_table(tmp_path / "nope.csv")


def test_an_unknown_format_is_refused(tmp_path):
    with pytest.raises(UnreadableFile, match="unknown table format 'ods'"):
        open_table(write(tmp_path, b"a\n"), format="ods")


# sources ---------------------------------------------------------------------------------

def test_a_csv_stream_read_once_is_read(tmp_path):
    upload = OneWayStream(csv_text(POLISH).encode("cp1250"), "dostawca.csv")
    with open_table(upload) as table:
        assert table.name == "dostawca.csv" and table.encoding == "cp1250"
        assert [v["sku"] for _, v in table] == ["PL-1", "PL-2", "PL-3", "PL-4"]


def test_the_callers_stream_stays_open(tmp_path):
    stream = io.BytesIO(b"sku,name\nA,Alpha\n")
    with open_table(stream, name="mine.csv") as table:
        assert list(table) == [(2, {"sku": "A", "name": "Alpha"})]
    assert not stream.closed


def test_a_table_is_read_once(tmp_path):
    table = open_table(write(tmp_path, b"sku\nA\n"))
    assert list(table) == [(2, {"sku": "A"})]
    with pytest.raises(UnreadableFile, match="already read"):
        list(table)


