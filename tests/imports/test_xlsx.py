"""Akeneo's layout as XLSX workbooks: numbers, dates and booleans as spreadsheets keep them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from pim.catalog import services as s
from pim.imports.report import failed_rows_csv

HEADER = ["sku", "family", "categories", "name-en_US", "price-EUR", "weight", "weight-unit",
          "stock", "waterproof", "release_date", "color"]


def workbook(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("products")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_an_xlsx_product_file_imports_like_its_csv(catalog, run_import, tmp_path, session):
    path = workbook(tmp_path / "products.xlsx", [
        ["X-1", "shoes", "men", "Łódź trail shoe", 89.9, 0.35, "KILOGRAM", 12, True,
         dt.datetime(2026, 3, 1), "red"],
        ["X-2", "shoes", "men,shoes", "Ελαφρύ παπούτσι", 59, None, None, 3, False, None,
         "blue"],
        ["X-3", "shoes", "men", "Broken", "twelve", None, None, -1, None, None, "teal"],
    ])
    record = run_import(path)
    assert record.status == "succeeded" and record.format == "xlsx"
    assert record.counts["product"]["created"] == 2 and record.rows_failed == 1
    one = s.get_product(session, "X-1").values
    assert one["price"][0]["data"] == [{"amount": "89.90", "currency": "EUR"}]
    assert one["weight"][0]["data"] == {"amount": "0.35", "unit": "KILOGRAM"}
    assert one["stock"][0]["data"] == 12 and one["waterproof"][0]["data"] is True
    assert one["release_date"][0]["data"] == "2026-03-01"
    assert one["name"][0]["data"] == "Łódź trail shoe"
    two = s.get_product(session, "X-2")
    assert two.values["waterproof"][0]["data"] is False
    assert sorted(c.code for c in two.categories) == ["men", "shoes"]
    again = run_import(path)
    assert again.counts["product"]["unchanged"] == 2

    name, lines = failed_rows_csv(session, record.id)
    fixed = tmp_path / name
    fixed.write_text("".join(lines).replace("twelve", "12").replace("teal", "red")
                     .replace(",-1,", ",1,"), encoding="utf-8")
    third = run_import(fixed)
    assert third.status == "succeeded" and third.counts["product"]["created"] == 1, \
        "".join(failed_rows_csv(session, third.id)[1]) if third.rows_failed else third.notes
    assert s.get_product(session, "X-3").values["price"][0]["data"][0]["amount"] == "12.00"


def test_an_akeneo_folder_may_mix_csv_and_xlsx(catalog, run_import, tmp_path, session):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "attribute_options.csv").write_text(
        "code;attribute;sort_order;label-en_US\nteal;color;9;Teal\n", encoding="utf-8")
    workbook(folder / "products.xlsx", [["F-1", "shoes", "men", "Teal shoe", 10, None, None,
                                         1, True, None, "teal"]])
    record = run_import(folder)
    assert record.status == "succeeded"
    assert record.counts["attribute_option"]["created"] == 1
    assert record.counts["product"]["created"] == 1
    assert s.get_product(session, "F-1").values["color"][0]["data"] == "teal"
