"""Shopify CSV, schema.org JSON-LD, BMEcat 2005 and the generic catalog exports."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from lxml import etree
from sqlalchemy.orm import Session

from exporters.values import Price
from pim.catalog import services as s
from tests.builders import value
from tests.conftest import shared_data
from tests.exporters.conftest import IMAGE, set_channel
from tests.exporters.helpers import export_bytes, make_exporter, record_problems, resolved


def csv_rows(data: bytes, delimiter: str = ",") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8")), delimiter=delimiter))


def test_shopify_rows_per_variant_with_options_and_images(catalog: Session) -> None:
    set_channel(catalog, "shopify", {"mapping": {"images": IMAGE}})
    data, stats, seen = export_bytes(catalog)
    rows = csv_rows(data)
    assert stats.exported == 4 and "=broken" in seen.problems
    trail = [row for row in rows if row["Handle"] == "trail"]
    assert [row["Variant SKU"] for row in trail] == ["trail-s", "trail-m"]
    assert trail[0]["Title"] == "Trail runner" and trail[1]["Title"] == ""
    assert (trail[0]["Option1 Name"], [row["Option1 Value"] for row in trail]) == (
        "size", ["S", "M"])
    assert [row["Image Position"] for row in trail] == ["1", "2"]
    assert trail[0]["Variant Grams"] == "800" and trail[0]["Variant Price"] == "99.00"
    shoe = next(row for row in rows if row["Handle"] == "shoe-1")
    assert (shoe["Option1 Name"], shoe["Option1 Value"]) == ("Title", "Default Title")
    assert shoe["Body (HTML)"] == "<p>Light <b>trail</b> shoe</p>"
    assert shoe["Variant Barcode"] == "4006381333931" and shoe["Variant Grams"] == "350"
    assert shoe["Status"] == "active" and shoe["Tags"] == "men"


SHOPIFY_CASES = [
    ({}, []),
    ({"handle": None}, [("handle", "required")]),
    ({"price": None}, [("price", "required")]),
    ({"compare_at_price": Price(Decimal("80.00"), "EUR")}, [("compare_at_price", "above_price")]),
    ({"compare_at_price": Price(Decimal("120.00"), "EUR")}, []),
    ({"seo_description": "s" * 321}, [("seo_description", "max_length")]),
    ({"barcode": "12345678"}, [("barcode", "gtin")]),
]


@pytest.mark.parametrize(("change", "broken"), SHOPIFY_CASES)
def test_shopify_rules(change: dict[str, Any], broken: list[tuple[str, str]]) -> None:
    valid = {"handle": "tee", "title": "Tee", "sku": "tee-s",
             "price": Price(Decimal("99.00"), "EUR")}
    assert record_problems(make_exporter("shopify"), {**valid, **change}) == broken


def schema_org_terms() -> set[str]:
    context = json.loads(shared_data("specs", "schemaorg", "schemaorgcontext.jsonld")
                         .read_text(encoding="utf-8"))["@context"]
    return set(context)


def walk_terms(document: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(document, dict):
        for key, inner in document.items():
            if not key.startswith("@"):
                found.add(key)
            if key == "@type":
                found.add(inner)
            found |= walk_terms(inner)
    elif isinstance(document, list):
        for inner in document:
            found |= walk_terms(inner)
    return found


def test_json_ld_uses_only_schema_org_terms_and_carries_the_offer(catalog: Session) -> None:
    set_channel(catalog, "jsonld", {"mapping": {"image": IMAGE}})
    data, stats, _seen = export_bytes(catalog)
    documents = {d["sku"]: d for d in map(json.loads, data.decode("utf-8").splitlines())}
    assert stats.exported == 4 and set(documents) == {"trail-s", "trail-m", "shoe-1", "shoe-2"}
    terms = schema_org_terms()
    for document in documents.values():
        assert document["@context"] == "https://schema.org"
        assert walk_terms(document) - terms == set()
    shoe = documents["shoe-1"]
    assert shoe["gtin13"] == "4006381333931" and shoe["offers"] == {
        "@type": "Offer", "url": "http://127.0.0.1:5000/products/shoe-1", "sku": "shoe-1",
        "price": "89.00", "priceCurrency": "EUR", "availability": "https://schema.org/InStock",
        "itemCondition": "https://schema.org/NewCondition"}
    assert documents["shoe-2"]["offers"]["availability"] == "https://schema.org/OutOfStock"
    assert documents["trail-m"]["gtin8"] == "96385074"
    assert documents["trail-m"]["inProductGroupWithID"] == "trail"


def test_json_ld_variants_need_their_group() -> None:
    valid = {"sku": "a", "name": "A", "url": "https://shop.example.com/a",
             "price": Price(Decimal("1.00"), "EUR"), "availability": "InStock"}
    jsonld = make_exporter("jsonld")
    assert record_problems(jsonld, valid) == []
    assert record_problems(jsonld, valid, resolved(parent="tee")) == [
        ("product_group", "required")]
    assert record_problems(jsonld, {**valid, "availability": "in stock"}) == [
        ("availability", "enum")]


@pytest.fixture(scope="module")
def bmecat_schema() -> Any:
    import xmlschema

    return xmlschema.XMLSchema(str(shared_data("specs", "bmecat", "bmecat_2005.xsd")))


def test_bmecat_is_valid_against_the_xsd(catalog: Session, bmecat_schema: Any) -> None:
    s.update_product(catalog, "shoe-1", {"values": {"name": value(
        "Buty «Zażółć» & ключ", "en_US")}}, author="t")
    set_channel(catalog, "bmecat", {"supplier_name": "Prism Trading GmbH",
                                    "mapping": {"images": IMAGE}})
    data, stats, _seen = export_bytes(catalog)
    bmecat_schema.validate(io.BytesIO(data))
    assert stats.exported == 4
    root = etree.fromstring(data, etree.XMLParser(recover=False))
    ns = {"b": "http://www.bmecat.org/bmecat/2005"}
    shoe = root.xpath("//b:PRODUCT[b:SUPPLIER_PID='shoe-1']", namespaces=ns)[0]
    assert shoe.findtext("b:PRODUCT_DETAILS/b:DESCRIPTION_SHORT", namespaces=ns) == (
        "Buty «Zażółć» & ключ")
    assert shoe.findtext(".//b:PRICE_AMOUNT", namespaces=ns) == "89.00"
    weight = shoe.xpath("b:PRODUCT_FEATURES/b:FEATURE[b:FNAME='weight']", namespaces=ns)[0]
    assert (weight.findtext("b:FVALUE", namespaces=ns),
            weight.findtext("b:FUNIT", namespaces=ns)) == ("350", "GRM")


def test_generic_exports_carry_the_whole_catalog(catalog: Session) -> None:
    set_channel(catalog, "jsonl", {"filters": {"enabled": None}})
    data, stats, _seen = export_bytes(catalog)
    lines = {d["identifier"]: d for d in map(json.loads, data.decode("utf-8").splitlines())}
    assert stats.exported == 5 and lines["trail-m"]["parent"] == "trail"
    assert lines["trail-m"]["values"]["color"] == value("green")
    set_channel(catalog, "csv", {"filters": {"enabled": None}})
    data, stats, _seen = export_bytes(catalog)
    rows = {row["sku"]: row for row in csv_rows(data, delimiter=";")}
    assert set(rows) == {"trail-s", "trail-m", "shoe-1", "shoe-2", "'=broken"}
    shoe = rows["shoe-1"]
    assert (shoe["price-EUR"], shoe["price-USD"], shoe["weight"], shoe["weight-unit"]) == (
        "89.00", "96.50", "350", "GRAM")
    assert shoe["name-pl_PL"] == "Buty Zażółć" and shoe["categories"] == "men"
    assert shoe["description-en_US-ecommerce"] == "<p>Light <b>trail</b> shoe</p>"
    assert rows["'=broken"]["name-en_US"] == "'-no price"
    assert rows["trail-s"]["parent"] == "trail" and rows["trail-s"]["color"] == "green"


def test_generic_exports_keep_numbers_beyond_64_bits(catalog: Session) -> None:
    big = 1234567890123456789012345
    s.update_product(catalog, "shoe-1", {"values": {"stock": value(big)}}, author="editor")
    set_channel(catalog, "jsonl", {"filters": {"enabled": None}})
    data, stats, _seen = export_bytes(catalog)
    lines = {d["identifier"]: d for d in map(json.loads, data.decode("utf-8").splitlines())}
    assert stats.exported == 5 and lines["shoe-1"]["values"]["stock"] == value(big)
    set_channel(catalog, "csv", {"filters": {"enabled": None}})
    data, _stats, _seen = export_bytes(catalog)
    rows = {row["sku"]: row for row in csv_rows(data, delimiter=";")}
    assert rows["shoe-1"]["stock"] == str(big)


def test_json_beyond_64_bits_is_written_as_orjson_writes_the_rest() -> None:
    from datetime import UTC, datetime

    from exporters.engine import record_hash
    from exporters.values import Image
    from pim.jsontext import dumps

    record = {"b": Image("https://cdn.example/a.jpg", 800, 600), "a": "Zażółć ελληνικά",
              "when": datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=UTC),
              "price": Price(Decimal("9.90"), "EUR")}
    plain = dumps({**record, "n": 7}, default=str, sort_keys=True)
    big = dumps({**record, "n": 10**25}, default=str, sort_keys=True)
    assert big == plain.replace(b'"n":7', b'"n":' + str(10**25).encode())
    assert json.loads(big)["n"] == 10**25
    assert record_hash({"stock": 10**25}) != record_hash({"stock": 10**25 + 1})
