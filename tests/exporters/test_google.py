"""Google Merchant Center: rule tables, a strictly parsed RSS feed whose values round-trip."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from lxml import etree
from sqlalchemy.orm import Session

from exporters.google import NS
from exporters.values import Image, Measure, Price
from pim.catalog import services as s
from tests.builders import value
from tests.exporters.conftest import IMAGE, set_channel
from tests.exporters.helpers import export_bytes, make_exporter, record_problems, resolved

G = f"{{{NS}}}"
VALID: dict[str, Any] = {
    "id": "SKU-1", "title": "Trail shoe", "description": "Light trail shoe",
    "link": "https://shop.example.com/p/sku-1",
    "image_link": Image("https://cdn.example.com/1.jpg", 1200, 1200),
    "price": Price(Decimal("89.00"), "EUR"), "availability": "in_stock", "condition": "new",
    "brand": "Acme", "gtin": "4006381333931",
}

CASES = [
    ({}, []),
    ({"id": "x" * 51}, [("id", "max_length")]),
    ({"title": "t" * 151}, [("title", "max_length")]),
    ({"title": None}, [("title", "required")]),
    ({"description": "d" * 5001}, [("description", "max_length")]),
    ({"link": "shop.example.com/p/1"}, [("link", "url")]),
    ({"image_link": None}, [("image_link", "required")]),
    ({"image_link": Image("https://cdn.example.com/1.jpg", 64, 64)},
     [("image_link", "min_image_size")]),
    ({"additional_image_link": [f"https://cdn.example.com/{n}.jpg" for n in range(10)]}, []),
    ({"additional_image_link": [f"https://cdn.example.com/{n}.jpg" for n in range(11)]},
     [("additional_image_link", "max_items")]),
    ({"price": Price(Decimal("0"), "EUR")}, [("price", "price")]),
    ({"price": None}, [("price", "required")]),
    ({"sale_price": Price(Decimal("79.00"), "EUR")}, []),
    ({"sale_price": Price(Decimal("99.00"), "EUR")}, [("sale_price", "below_price")]),
    ({"sale_price": Price(Decimal("79.00"), "USD")}, [("sale_price", "currency")]),
    ({"availability": "in stock"}, [("availability", "enum")]),
    ({"availability": "preorder"}, [("availability_date", "required")]),
    ({"availability": "backorder", "availability_date": "2026-12-25T13:00-0800"}, []),
    ({"availability_date": "25/12/2026", "availability": "preorder"},
     [("availability_date", "datetime")]),
    ({"condition": "mint"}, [("condition", "enum")]),
    ({"gtin": "4006381333932"}, [("gtin", "gtin")]),
    ({"brand": "b" * 71}, [("brand", "max_length")]),
    ({"gender": "men"}, [("gender", "enum")]),
    ({"age_group": "baby"}, [("age_group", "enum")]),
    ({"shipping_weight": Measure(Decimal("2"), "KILOGRAM", "Weight")}, []),
    ({"shipping_weight": Measure(Decimal("2"), "TON", "Weight")},
     [("shipping_weight", "unit")]),
    ({"google_product_category": "1604"},
     [("age_group", "required"), ("color", "required"), ("gender", "required"),
      ("size", "required")]),
    ({"google_product_category": "1604", "gender": "female", "age_group": "adult",
      "color": "Red", "size": "M"}, []),
]


@pytest.mark.parametrize(("change", "broken"), CASES)
def test_google_rules(change: dict[str, Any], broken: list[tuple[str, str]]) -> None:
    assert record_problems(make_exporter("google"), {**VALID, **change}) == broken


def test_variants_need_an_item_group_and_products_without_ids_say_so() -> None:
    google = make_exporter("google")
    assert record_problems(google, VALID, resolved(parent="tee")) == [
        ("item_group_id", "required")]
    record = {k: v for k, v in VALID.items() if k != "gtin"}
    finished = dict(record)
    assert google.finish(finished, resolved()) == []
    assert finished["identifier_exists"] == "no"


def test_apparel_categories_named_in_settings_need_gender_and_age() -> None:
    google = make_exporter("google", {"apparel_categories": ["shoes"]})
    broken = record_problems(google, VALID, resolved(ancestors=frozenset({"men", "shoes"})))
    assert ("gender", "required") in broken and ("age_group", "required") in broken


def feed_items(data: bytes) -> dict[str, dict[str, list[str]]]:
    parser = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    root = etree.fromstring(data, parser)
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert root.nsmap == {"g": NS}
    items = {}
    for item in root.find("channel").iterfind("item"):
        fields: dict[str, list[str]] = {}
        for child in item:
            assert child.tag.startswith(G)
            fields.setdefault(child.tag[len(G):], []).append(child.text)
        items[fields["id"][0]] = fields
    return items


def test_the_feed_parses_strictly_and_its_values_round_trip(catalog: Session) -> None:
    s.save_option(catalog, "color", {"code": "red", "labels": {"en_US": "Red <&> \"red\""}},
                  author="t")
    set_channel(catalog, "google", {"mapping": {
        "image_link": IMAGE,
        "additional_image_link": {"template": "https://cdn.example.com/alt/{identifier}.jpg"},
        "availability_date": {"attribute": "release_date", "transforms": ["datetime"]},
        "shipping_weight": {"attribute": "weight", "transforms": [{"convert": "KILOGRAM"}]},
        "product_type": {"category_path": " / "}}})
    data, stats, seen = export_bytes(catalog)
    items = feed_items(data)
    assert (stats.exported, stats.skipped) == (4, 1)
    assert seen.rules("=broken") == {("description", "required"), ("price", "required"),
                                     ("availability", "required")}
    shoe = items["shoe-1"]
    assert shoe == {
        "id": ["shoe-1"], "title": ["Trail shoe"], "description": ["Light trail shoe"],
        "link": ["http://127.0.0.1:5000/products/shoe-1"],
        "image_link": ["https://cdn.example.com/img/shoe-1.jpg"],
        "additional_image_link": ["https://cdn.example.com/alt/shoe-1.jpg"],
        "price": ["89.00 EUR"], "availability": ["in_stock"], "condition": ["new"],
        "gtin": ["4006381333931"], "color": ['Red <&> "red"'], "product_type": ["shoes / men"],
        "shipping_weight": ["0.35 kg"],
    }
    assert items["shoe-2"]["availability"] == ["out_of_stock"]
    assert items["trail-s"]["item_group_id"] == ["trail"]
    assert items["trail-m"]["size"] == ["M"] and items["trail-m"]["gtin"] == ["96385074"]
    assert items["trail-m"]["description"] == ["Grippy. Light. Fast!"]


def test_text_in_other_scripts_and_control_characters_stay_well_formed(catalog: Session
                                                                       ) -> None:
    s.update_product(catalog, "shoe-1", {"values": {"name": value(
        "Vertical\x0btab\x1f end", "en_US")}}, author="t")
    s.update_product_model(catalog, "trail", {"values": {"name": value(
        "Ζωή ключ Zażółć 🥾", "en_US")}}, author="t")
    set_channel(catalog, "google", {"mapping": {"image_link": IMAGE}})
    items = feed_items(export_bytes(catalog)[0])
    assert items["trail-s"]["title"] == ["Ζωή ключ Zażółć 🥾"]
    assert items["shoe-1"]["title"] == ["Vertical tab end"]


def test_the_tab_separated_form(catalog: Session) -> None:
    set_channel(catalog, "google", {"format": "tsv", "mapping": {"image_link": IMAGE}})
    data, stats, _seen = export_bytes(catalog)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8")), delimiter="\t"))
    assert stats.file_name == "ecommerce.tsv" and len(rows) == 4
    shoe = next(row for row in rows if row["id"] == "shoe-1")
    assert (shoe["price"], shoe["availability"], shoe["gtin"]) == (
        "89.00 EUR", "in_stock", "4006381333931")
    assert all("\t" not in cell for row in rows for cell in row.values())


def test_taxonomy_table_localized_labels_and_locale_fallback(catalog: Session) -> None:
    s.update_product(catalog, "shoe-1", {"values": {"size": value("m")}}, author="t")
    set_channel(catalog, "google", {
        "locale": "fr_FR", "fallback_locales": ["en_US"], "taxonomy": {"shoes": 187},
        "mapping": {"image_link": IMAGE, "gender": {"value": "unisex"},
                    "age_group": {"value": "adult"}}})
    data, _stats, seen = export_bytes(catalog)
    items = feed_items(data)
    # 187 is "Apparel & Accessories > Shoes": apparel needs a size, shoe-2 has none
    assert seen.rules("shoe-2") == {("size", "required")}
    shoe, trail = items["shoe-1"], items["trail-s"]
    assert shoe["google_product_category"] == ["187"]  # from "shoes", above "men"
    assert (shoe["color"], trail["color"]) == (["red (fr)"], ["Vert"])  # French labels
    assert shoe["title"] == ["Trail shoe"]  # no French name: the English one
    assert trail["title"] == ["Coureur Ζ"]
