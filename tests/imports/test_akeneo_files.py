"""Akeneo product files through real imports: encodings, delimiters, cells, bad input."""

from __future__ import annotations

import codecs

import pytest
from sqlalchemy import func, select

from pim.catalog import services as s
from pim.catalog.models import Product, Version
from pim.imports.models import ImportIssue
from tests.imports.conftest import csv_bytes
from tests.imports.tables import EVERYONE, FRENCH, GREEK, POLISH, RUSSIAN

HEADER = ["sku", "family", "categories", "enabled", "name-en_US", "name-fr_FR",
          "description-en_US-ecommerce", "price-EUR", "price-USD", "weight", "weight-unit",
          "stock", "waterproof", "release_date", "color", "materials", "ean"]


def row(sku: str, **cells: str) -> list[str]:
    base = {"sku": sku, "family": "shoes", "categories": "men", "enabled": "1",
            "name-en_US": f"Trail shoe {sku}", "name-fr_FR": "Chaussure légère",
            "description-en_US-ecommerce": "<p>Light</p>", "price-EUR": "89.90",
            "price-USD": "99", "weight": "350", "weight-unit": "GRAM", "stock": "12",
            "waterproof": "1", "release_date": "2026-03-01", "color": "red",
            "materials": "leather,rubber", "ean": ""}
    base.update(cells)
    return [base[column] for column in HEADER]


def products(session) -> int:
    return session.scalar(select(func.count()).select_from(Product))


def errors_of(session, record) -> list[tuple[int, str | None, str, object]]:
    issues = session.scalars(select(ImportIssue).where(
        ImportIssue.import_id == record.id, ImportIssue.severity == "error")
        .order_by(ImportIssue.row)).all()
    return [(i.row, p["column"], p["message"], p["value"]) for i in issues for p in i.problems]


def test_a_product_file_lands_with_every_kind_of_value(catalog, run_import, write_file, session):
    path = write_file("products.csv", header=HEADER, rows=[row("S-1"), row(
        "S-2", **{"name-en_US": "Zażółć gęślą jaźń", "name-fr_FR": "", "price-USD": "",
                  "weight": "", "weight-unit": "", "waterproof": "0", "materials": "cotton",
                  "enabled": "0"})])
    record = run_import(path)
    assert record.status == "succeeded", record.error
    assert record.counts["product"]["created"] == 2
    one = s.dump_product(s.get_product(session, "S-1"), merged=False)
    assert one["family"] == "shoes" and one["categories"] == ["men"] and one["enabled"] is True
    values = one["values"]
    assert values["name"] == [{"locale": "en_US", "scope": None, "data": "Trail shoe S-1"},
                              {"locale": "fr_FR", "scope": None, "data": "Chaussure légère"}]
    assert values["price"][0]["data"] == [{"amount": "89.90", "currency": "EUR"},
                                          {"amount": "99.00", "currency": "USD"}]
    assert values["weight"][0]["data"] == {"amount": "350", "unit": "GRAM"}
    assert values["stock"][0]["data"] == 12 and values["waterproof"][0]["data"] is True
    assert values["materials"][0]["data"] == ["leather", "rubber"]
    assert values["description"][0] == {"locale": "en_US", "scope": "ecommerce",
                                        "data": "<p>Light</p>"}
    two = s.dump_product(s.get_product(session, "S-2"), merged=False)
    assert two["enabled"] is False and "weight" not in two["values"]
    assert two["values"]["name"] == [{"locale": "en_US", "scope": None,
                                      "data": "Zażółć gęślą jaźń"}]
    assert two["values"]["price"][0]["data"] == [{"amount": "89.90", "currency": "EUR"}]
    assert two["values"]["waterproof"][0]["data"] is False
    assert {c.locale for c in s.get_product(session, "S-1").completeness} == {
        "en_US", "fr_FR", "de_DE", "pl_PL"}


LANGUAGE_OF = {"utf-8": EVERYONE, "utf-8-sig": EVERYONE, "utf-16": EVERYONE,
               "cp1250": POLISH, "iso8859_2": POLISH, "cp1252": FRENCH, "iso8859_15": FRENCH,
               "cp1253": GREEK, "cp1251": RUSSIAN}


@pytest.mark.parametrize("encoding", list(LANGUAGE_OF))
def test_each_encoding_imports_its_letters(catalog, run_import, write_file, session, encoding):
    texts = LANGUAGE_OF[encoding]
    rows = [row(sku, **{"name-en_US": name, "name-fr_FR": name,
                        "description-en_US-ecommerce": text})
            for sku, name, text in texts]
    record = run_import(write_file("products.csv", csv_bytes(HEADER, rows, encoding=encoding)))
    assert record.status == "succeeded", record.error
    assert record.counts["product"]["created"] == len(texts)
    assert record.files[0]["encoding"]
    for sku, name, text in texts:
        product = s.get_product(session, sku)
        assert product.values["name"][0]["data"] == name
        assert product.values["description"][0]["data"] == text


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter_is_found(catalog, run_import, write_file, session, delimiter):
    data = csv_bytes(HEADER, [row("D-1"), row("D-2", **{"name-en_US": "Shoe, blue; big"})],
                     delimiter=delimiter)
    record = run_import(write_file("products.csv", data))
    assert record.files[0]["delimiter"] == delimiter
    assert record.counts["product"]["created"] == 2
    assert s.get_product(session, "D-2").values["name"][0]["data"] == "Shoe, blue; big"


def test_a_quoted_cell_over_several_lines_stays_one_value(catalog, run_import, write_file,
                                                            session):
    text = "<p>First line</p>\n<p>Second; line, \"quoted\"</p>\r\n<p>Third</p>"
    data = csv_bytes(HEADER, [row("M-1", **{"description-en_US-ecommerce": text}), row("M-2")])
    record = run_import(write_file("products.csv", data))
    assert record.counts["product"]["created"] == 2
    stored = s.get_product(session, "M-1").values["description"][0]["data"]
    assert "Second; line, \"quoted\"" in stored and "Third" in stored


def test_ragged_rows_are_reported_and_the_rest_lands(catalog, run_import, write_file, session):
    text = codecs.decode(csv_bytes(HEADER, [row("R-1")]), "utf-8")
    text += "R-2;shoes;men\r\n" + ";".join(row("R-3")) + ";extra;cells\r\n"
    text += ";".join(row("R-4")) + "\r\n"
    record = run_import(write_file("products.csv", text.encode()))
    assert record.status == "succeeded"
    assert sorted(p.identifier for p in session.scalars(select(Product))) == ["R-1", "R-4"]
    assert record.rows_failed == 2 and record.rows_read == 4
    found = errors_of(session, record)
    assert [r for r, *_ in found] == [3, 4]
    assert "3 cells but the header has 17 columns" in found[0][2]


def test_unknown_columns_refuse_the_import_before_any_row(catalog, run_import, write_file,
                                                          session):
    header = [*HEADER, "colour", "name-xx_XX", "price-GBP"]
    path = write_file("products.csv", header=header, rows=[row("U-1") + ["red", "x", "1"]])
    record = run_import(path)
    assert record.status == "refused"
    for column in ("'colour'", "'name-xx_XX'", "'price-GBP'"):
        assert column in record.error
    assert "locale 'xx_XX' is not enabled" in record.error
    assert products(session) == 0
    again = run_import(path, ignore_unknown_columns=True)
    assert again.status == "succeeded" and products(session) == 1
    assert any("ignored unknown columns" in note for note in again.notes)


def test_unknown_family_option_and_invalid_values_are_reported_per_cell(
        catalog, run_import, write_file, session):
    path = write_file("products.csv", header=HEADER, rows=[
        row("V-1", family="boots"),
        row("V-2", color="purple", materials="leather,silk"),
        row("V-3", stock="-4", waterproof="maybe", release_date="2026-13-01",
            **{"price-EUR": "twelve"}),
        row("V-4", categories="men,nowhere"),
        row("V-5"),
    ])
    record = run_import(path)
    assert record.status == "succeeded"
    assert [p.identifier for p in session.scalars(select(Product))] == ["V-5"]
    found = errors_of(session, record)
    assert (2, "family", "family 'boots' does not exist", None) in found
    by_cell = {(r, column): (message, value) for r, column, message, value in found}
    assert by_cell[(3, "color")][0] == "option 'purple' does not exist for attribute color"
    assert "silk" in by_cell[(3, "materials")][0]
    assert by_cell[(4, "waterproof")] == ("expected 1 or 0 (yes or no), got 'maybe'", "maybe")
    assert "cannot be negative" in by_cell[(4, "stock")][0]
    assert (5, "categories", "category 'nowhere' does not exist", None) in found
    assert record.rows_failed == 4


def test_an_invalid_value_is_reported_with_its_column_and_value(catalog, run_import,
                                                                write_file, session):
    record = run_import(write_file("products.csv", header=HEADER, rows=[
        row("I-1", stock="12.5"), row("I-2", ean="12AB"), row("I-3", **{"price-EUR": "abc"})]))
    by_row = {r: (column, message, value) for r, column, message, value in
              errors_of(session, record) if "GTIN" not in message}
    assert by_row[2][0] == "stock" and "whole number" in by_row[2][1]
    assert by_row[3][0] == "ean" and "pattern" in by_row[3][1] and by_row[3][2] == "12AB"
    assert by_row[4][0] == "price-EUR" and "not a number" in by_row[4][1]


def test_one_identifier_twice_in_a_file_keeps_the_first(catalog, run_import, write_file,
                                                        session):
    record = run_import(write_file("products.csv", header=HEADER, rows=[
        row("T-1", **{"name-en_US": "first"}), row("T-2"), row("T-1", **{"name-en_US": "again"})]))
    assert record.counts["product"] == {"created": 2, "updated": 0, "unchanged": 0,
                                        "skipped": 0, "failed": 1}
    assert s.get_product(session, "T-1").values["name"][0]["data"] == "first"
    assert errors_of(session, record) == [
        (4, "sku", "'T-1' is already in row 2 of this file; each row must name another one",
         "T-1")]


def test_a_unique_value_twice_is_refused_on_the_second_row(catalog, run_import, write_file,
                                                           session):
    record = run_import(write_file("products.csv", header=HEADER, rows=[
        row("Q-1", ean="4006381333931"), row("Q-2", ean="4006381333931")]))
    assert products(session) == 1
    assert errors_of(session, record) == [(3, "ean", "value '4006381333931' is already used by "
                                           "product 'Q-1'; this attribute is unique", None)]


@pytest.mark.parametrize(("data", "message"), [
    (b"", "the file is empty"),
    (b"\xef\xbb\xbf\r\n\r\n", "the file is empty"),
    (b"\x00\x01\x02\x03binary\xff\xfe\x00garbage" * 50, ""),
    (bytes(range(256)) * 40, ""),
])
def test_empty_and_garbage_files_are_refused_clearly(catalog, run_import, write_file, session,
                                                     data, message):
    record = run_import(write_file("products.csv", data))
    assert record.status == "refused"
    assert record.error and "products.csv" in record.error
    assert message in record.error
    assert products(session) == 0


def test_a_header_only_file_imports_nothing_and_says_so(catalog, run_import, write_file,
                                                        session):
    record = run_import(write_file("products.csv", header=HEADER, rows=[]))
    assert record.status == "succeeded"
    assert record.rows_read == 0 and record.counts == {}
    assert products(session) == 0


def test_a_100_mb_cell_is_refused_with_where_it_is(catalog, run_import, tmp_path, session):
    versions = session.scalar(select(func.count()).select_from(Version))
    path = tmp_path / "products.csv"
    with path.open("wb") as handle:
        handle.write(";".join(HEADER).encode() + b"\r\n")
        handle.write(";".join(row("B-1")).encode() + b"\r\n")
        handle.write(b"B-2;shoes;men;1;\"")
        chunk = b"x" * (1024 * 1024)
        for _ in range(100):
            handle.write(chunk)
        handle.write(b"\";;;;;;;;;;;;\r\n")
    record = run_import(path)
    assert record.status == "refused"
    assert "row 3" in record.error and "'name-en_US'" in record.error
    assert "longer than the limit" in record.error and "nothing was written" in record.error
    assert products(session) == 0
    assert session.scalar(select(func.count()).select_from(Version)) == versions


def test_missing_options_are_created_when_asked(catalog, run_import, write_file, session):
    path = write_file("products.csv", header=HEADER, rows=[
        row("O-1", color="olive", materials="leather,hemp"), row("O-2", color="Olive")])
    record = run_import(path, create_missing_options=True)
    assert record.counts["product"]["created"] == 2
    assert record.counts["side_effects"] == {"options created": 2}
    assert {o.code for o in s.list_options(session, "color")} >= {"olive"}
    assert s.get_product(session, "O-2").values["color"][0]["data"] == "olive"
    assert s.get_product(session, "O-1").values["materials"][0]["data"] == ["leather", "hemp"]
