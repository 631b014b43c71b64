"""Amazon listings feed: rule tables, and the feed validated with jsonschema against the
listings feed schema v2 and the PRODUCT product type definition (Amazon's keywords included).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from exporters.amazon_schema import feed_problems, load_json, product_type_validator
from exporters.values import Image, Measure, Price
from pim.errors import ValidationError
from tests.builders import value
from tests.conftest import shared_data
from tests.exporters.conftest import set_channel
from tests.exporters.helpers import export_bytes, make_exporter, record_problems

SETTINGS = {"seller_id": "A1PRISMSELLER"}
VALID: dict[str, Any] = {
    "sku": "SKU-1", "item_name": "Trail shoe", "brand": "Acme",
    "product_description": "Light trail shoe", "bullet_point": ["Light.", "Grippy."],
    "color": "Red", "country_of_origin": "DE", "item_type_keyword": "running-shoes",
    "supplier_declared_dg_hz_regulation": "not_applicable", "gtin": "4006381333931",
    "price": Price(Decimal("89.00"), "EUR"), "quantity": 3, "condition_type": "new_new",
    "merchant_shipping_group": "legacy-template-id",
}

CASES = [
    ({}, []),
    ({"sku": "s" * 41}, [("sku", "max_length")]),
    ({"item_name": None}, [("item_name", "required")]),
    ({"product_description": "é" * 5001}, [("product_description", "max_bytes")]),
    ({"bullet_point": ["b"] * 11}, [("bullet_point", "max_items")]),
    ({"bullet_point": ["b" * 701]}, [("bullet_point", "max_length")]),
    ({"country_of_origin": "Germany"}, [("country_of_origin", "enum")]),
    ({"country_of_origin": "de"}, [("country_of_origin", "enum")]),
    ({"supplier_declared_dg_hz_regulation": "none"},
     [("supplier_declared_dg_hz_regulation", "enum")]),
    ({"condition_type": "new"}, [("condition_type", "enum")]),
    ({"gtin": "123"}, [("gtin", "gtin")]),
    ({"quantity": None}, [("quantity", "required")]),
    ({"quantity": None, "availability": "in_stock"}, []),
    ({"quantity": -1}, [("quantity", "number")]),
    ({"item_weight": Measure(Decimal("3"), "CUBIC_METER", "Volume")}, [("item_weight", "unit")]),
    ({"main_image": Image("https://cdn.example.com/1.jpg", 300, 300)},
     [("main_image", "min_image_size")]),
]


@pytest.mark.parametrize(("change", "broken"), CASES)
def test_amazon_rules(change: dict[str, Any], broken: list[tuple[str, str]]) -> None:
    assert record_problems(make_exporter("amazon", SETTINGS), {**VALID, **change}) == broken


def test_a_seller_id_is_required() -> None:
    with pytest.raises(ValidationError, match="seller id"):
        make_exporter("amazon")


@pytest.fixture(scope="module")
def schemas() -> tuple[dict[str, Any], Any]:
    folder = shared_data("specs", "amazon")
    checker = product_type_validator(load_json(folder / "product-type-PRODUCT.json"),
                                     load_json(folder / "amazon-product-type-meta-schema.json"))
    return load_json(folder / "listings-feed-schema-v2.json"), checker


def amazon_channel(session: Session) -> None:
    set_channel(session, "amazon", {**SETTINGS, "mapping": {
        "main_image": {"template": "https://cdn.example.com/{identifier}.jpg"},
        "brand": {"value": "Acme"}, "country_of_origin": {"value": "PL"}}})


def test_the_feed_validates_against_the_feed_schema_and_the_product_type(
        catalog: Session, schemas: tuple[dict[str, Any], Any]) -> None:
    amazon_channel(catalog)
    data, stats, seen = export_bytes(catalog)
    document = json.loads(data)
    feed_schema, product = schemas
    assert feed_problems(document, feed_schema, {"PRODUCT": product}) == []
    assert stats.exported == 4 and "=broken" in seen.problems
    messages = {m["sku"]: m for m in document["messages"]}
    assert [m["messageId"] for m in document["messages"]] == [1, 2, 3, 4]
    shoe = messages["shoe-1"]["attributes"]
    assert shoe["purchasable_offer"][0]["our_price"][0]["schedule"][0]["value_with_tax"] == 89.0
    assert shoe["externally_assigned_product_identifier"][0] == {
        "type": "ean", "value": "4006381333931", "marketplace_id": "ATVPDKIKX0DER"}
    assert shoe["item_weight"][0]["unit"] == "grams"
    assert messages["trail-m"]["attributes"]["externally_assigned_product_identifier"][0][
        "value"] == "96385074"
    assert [b["value"] for b in messages["trail-s"]["attributes"]["bullet_point"]] == [
        "Grippy.", "Light.", "Fast!"]


def test_a_product_breaking_the_product_type_would_be_caught(
        catalog: Session, schemas: tuple[dict[str, Any], Any]) -> None:
    amazon_channel(catalog)
    document = json.loads(export_bytes(catalog)[0])
    feed_schema, product = schemas
    attributes = document["messages"][0]["attributes"]
    attributes["item_name"].append({**attributes["item_name"][0], "value": "Second title"})
    attributes["product_description"][0]["value"] = "ż" * 5001
    del attributes["color"]
    problems = feed_problems(document, feed_schema, {"PRODUCT": product})
    assert any("selector values" in p for p in problems)
    assert any("UTF-8 bytes" in p for p in problems)
    assert any("'color' is a required property" in p for p in problems)


def test_products_without_gtin_declare_the_exemption(
        catalog: Session, schemas: tuple[dict[str, Any], Any]) -> None:
    from pim.catalog import services as s

    s.update_product(catalog, "shoe-2", {"values": {"ean": value("")}}, author="t")
    amazon_channel(catalog)
    document = json.loads(export_bytes(catalog)[0])
    road = next(m for m in document["messages"] if m["sku"] == "shoe-2")["attributes"]
    assert road["supplier_declared_has_product_identifier_exemption"][0]["value"] is True
    feed_schema, product = schemas
    assert feed_problems(document, feed_schema, {"PRODUCT": product}) == []
