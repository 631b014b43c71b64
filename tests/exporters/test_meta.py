"""Meta catalog CSV: rule tables, a parseable CSV, formula injection neutralised."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from exporters.output import safe_cell
from exporters.values import Image, Price
from pim.catalog import services as s
from tests.builders import value
from tests.exporters.conftest import IMAGE, set_channel
from tests.exporters.helpers import export_bytes, make_exporter, record_problems

VALID: dict[str, Any] = {
    "id": "SKU-1", "title": "Trail shoe", "description": "Light trail shoe",
    "availability": "in stock", "condition": "new", "price": Price(Decimal("89.00"), "EUR"),
    "link": "https://shop.example.com/p/1", "brand": "Acme",
    "image_link": Image("https://cdn.example.com/1.jpg", 1024, 1024),
}

CASES = [
    ({}, []),
    ({"id": "i" * 100}, []),
    ({"id": "i" * 101}, [("id", "max_length")]),
    ({"title": "t" * 201}, [("title", "max_length")]),
    ({"description": "d" * 9999}, []),
    ({"description": "d" * 10000}, [("description", "max_length")]),
    ({"availability": "in_stock"}, [("availability", "enum")]),
    ({"availability": "out of stock"}, []),
    ({"condition": None}, [("condition", "required")]),
    ({"brand": None}, [("brand", "required")]),
    ({"price": Price(Decimal("0.00"), "EUR")}, [("price", "price")]),
    ({"sale_price": Price(Decimal("90.00"), "EUR")}, [("sale_price", "below_price")]),
    ({"link": "not a url"}, [("link", "url")]),
    ({"image_link": Image("https://cdn.example.com/1.jpg", 400, 400)},
     [("image_link", "min_image_size")]),
    ({"additional_image_link": [f"https://cdn.example.com/{n}.jpg" for n in range(21)]},
     [("additional_image_link", "max_items")]),
    ({"gtin": "96385075"}, [("gtin", "gtin")]),
]


@pytest.mark.parametrize(("change", "broken"), CASES)
def test_meta_rules(change: dict[str, Any], broken: list[tuple[str, str]]) -> None:
    assert record_problems(make_exporter("meta"), {**VALID, **change}) == broken


CELLS = [("=SUM(A1:A9)", "'=SUM(A1:A9)"), ("+33 1 23", "'+33 1 23"), ("-5", "'-5"),
         ("@cmd", "'@cmd"), ("\tx", "'\tx"), ("plain = fine", "plain = fine"), (None, ""),
         ("Zażółć", "Zażółć")]


@pytest.mark.parametrize(("given", "written"), CELLS)
def test_cells_a_spreadsheet_would_run_are_neutralised(given: Any, written: str) -> None:
    assert safe_cell(given) == written


def test_the_csv_parses_and_keeps_plain_text(catalog: Session) -> None:
    s.update_product(catalog, "shoe-2", {"values": {"name": value(
        '=HYPERLINK("http://evil"), "quoted"', "en_US")}}, author="t")
    set_channel(catalog, "meta", {"mapping": {"image_link": IMAGE, "brand": {"value": "Acme"}}})
    data, stats, _seen = export_bytes(catalog)
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(data.decode("utf-8")))}
    assert stats.exported == 4 and set(rows) == {"trail-s", "trail-m", "shoe-1", "shoe-2"}
    assert rows["shoe-2"]["title"] == "'=HYPERLINK(\"http://evil\"), \"quoted\""
    assert rows["shoe-2"]["availability"] == "out of stock"
    assert rows["shoe-1"]["description"] == "Light trail shoe"
    assert rows["trail-m"]["price"] == "99.00 EUR" and rows["trail-m"]["item_group_id"] == "trail"
