"""Reading XLSX tables: cells as a user sees them, sheets, ragged rows, damaged files."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from pim.imports.errors import UnreadableFile
from pim.imports.readers import open_table
from tests.imports.tables import OneWayStream, read_all, workbook, write


def test_xlsx_cells_read_as_a_user_sees_them(tmp_path):
    path = tmp_path / "products.xlsx"
    workbook([
        ["sku", "name", "stock", "price", "weight", "released", "updated", "active", "notes"],
        ["A-1", "Zażółć gęślą jaźń", 12, 19.99, 3.0, dt.date(2024, 5, 17),
         dt.datetime(2024, 5, 17, 14, 30, 5), True, "line one\nline two"],
        [],
        ["A-2", "Παπούτσι", 0, 0.1 + 0.2, 1e20, dt.datetime(2024, 1, 2), None, False, None],
    ]).save(path)
    with open_table(path) as table:
        assert (table.format, table.sheet, table.encoding) == ("xlsx", "Products", None)
        rows = list(table)
    assert rows == [
        (2, {"sku": "A-1", "name": "Zażółć gęślą jaźń", "stock": "12", "price": "19.99",
             "weight": "3", "released": "2024-05-17", "updated": "2024-05-17T14:30:05",
             "active": "1", "notes": "line one\nline two"}),
        (4, {"sku": "A-2", "name": "Παπούτσι", "stock": "0", "price": "0.3",
             "weight": "100000000000000000000", "released": "2024-01-02", "updated": "",
             "active": "0", "notes": ""}),
    ]


def test_xlsx_named_sheet_and_a_missing_one(tmp_path):
    path = tmp_path / "book.xlsx"
    workbook([["sku"], ["A"]], extra_sheets=("Кириллица",)).save(path)
    header, rows, _ = read_all(path, sheet="Кириллица")
    assert header == ["other", "sheet"] and rows == []
    with pytest.raises(UnreadableFile, match=r"no sheet 'Prices' \(it has 'Products', "
                                             r"'Кириллица'\)"):
        open_table(path, sheet="Prices")


def test_xlsx_ragged_rows_and_short_rows(tmp_path):
    path = tmp_path / "book.xlsx"
    workbook([["sku", "name", "price"], ["A", "Alpha"], ["B", "Beta", 2, "extra"]]).save(path)
    _, rows, problems = read_all(path)
    assert rows == [(2, {"sku": "A", "name": "Alpha", "price": ""})]
    assert [(p.row, p.cells) for p in problems] == [(3, ["B", "Beta", "2", "extra"])]


def test_xlsx_from_a_stream_read_once(tmp_path):
    buffer = io.BytesIO()
    workbook([["sku", "name"], ["A", "Ålesund"]]).save(buffer)
    upload = OneWayStream(buffer.getvalue(), "upload.xlsx")
    header, rows, _ = read_all(upload)
    assert header == ["sku", "name"] and rows == [(2, {"sku": "A", "name": "Ålesund"})]


@pytest.mark.parametrize("rows, message", [
    ([], "the sheet 'Products' is empty"),
    ([["sku", "sku"], ["A", "B"]], "the header names a column more than once"),
])
def test_xlsx_empty_sheet_and_bad_header(tmp_path, rows, message):
    path = tmp_path / "book.xlsx"
    workbook(rows).save(path)
    with pytest.raises(UnreadableFile, match=message):
        open_table(path)


def test_a_damaged_workbook_is_refused(tmp_path):
    path = write(tmp_path, b"PK\x03\x04" + b"not really a zip" * 10, "broken.xlsx")
    with pytest.raises(UnreadableFile, match="broken.xlsx: this is not a readable XLSX"):
        open_table(path)




def test_a_workbook_recording_a_wrong_size_is_read_whole(tmp_path):
    source, path = tmp_path / "true.xlsx", tmp_path / "lying.xlsx"
    workbook([["sku", "name", "price"], ["A", "Alpha", 1], ["B", "Beta", 2]]).save(source)
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w") as lying:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:C3"/>' in data
                data = data.replace(b'<dimension ref="A1:C3"/>', b'<dimension ref="A1:B2"/>')
            lying.writestr(item, data)
    header, rows, _ = read_all(path)
    assert header == ["sku", "name", "price"]
    assert [v for _, v in rows] == [{"sku": "A", "name": "Alpha", "price": "1"},
                                    {"sku": "B", "name": "Beta", "price": "2"}]
