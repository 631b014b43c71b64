"""Field rules, transforms, mapping and filter checks: tables of good and bad cases."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from exporters.errors import MappingError
from exporters.rules import Field, check, render
from exporters.transforms import build_transform
from exporters.values import Image, Measure, Price
from pim.catalog import services as s
from pim.errors import ValidationError
from tests.exporters.conftest import set_channel
from tests.exporters.helpers import export_bytes


def rules(field: Field, value: Any) -> list[str]:
    return [p.rule for p in check(field, render(field, value))]


RULE_CASES = [
    # field, value, broken rules
    (Field("id", required=True, max_length=5), "abc", []),
    (Field("id", required=True, max_length=5), "abcdef", ["max_length"]),
    (Field("id", required=True), "   ", ["required"]),
    (Field("id", required=True), None, ["required"]),
    (Field("id"), None, []),
    (Field("title", max_length=3), "Ζωή", []),
    (Field("a", "enum", enum=("new", "used")), "new", []),
    (Field("a", "enum", enum=("new", "used")), "New", ["enum"]),
    (Field("g", "gtin"), "4006381333931", []),
    (Field("g", "gtin"), "4006381333932", ["gtin"]),
    (Field("g", "gtin"), "96385074", []),
    (Field("g", "gtin"), "012345678905", []),
    (Field("g", "gtin"), "00012345600012", []),
    (Field("g", "gtin"), "40063813339", ["gtin"]),
    (Field("g", "gtin"), "400638133393a", ["gtin"]),
    (Field("u", "url"), "https://shop.example.com/p/1?x=ü", []),
    (Field("u", "url"), "ftp://shop.example.com/p/1", ["url"]),
    (Field("u", "url"), "/p/1", ["url"]),
    (Field("u", "url"), "https://shop example.com", ["url"]),
    (Field("d", "datetime"), "2026-12-25T13:00-0800", []),
    (Field("d", "datetime"), "2026-12-25T13:00Z", []),
    (Field("d", "datetime"), "2026-12-25", ["datetime"]),
    (Field("d", "date"), "2026-02-30", ["date"]),
    (Field("p", "price", positive=True), Price(Decimal("15.00"), "EUR"), []),
    (Field("p", "price", positive=True), Price(Decimal("0"), "EUR"), ["price"]),
    (Field("p", "price"), Price(Decimal("-1"), "EUR"), ["price"]),
    (Field("p", "price"), "15 EUR", ["price"]),
    (Field("w", "measure"), Measure(Decimal("1"), "GRAM", "Weight"), []),
    (Field("q", "integer"), "12", []),
    (Field("q", "integer"), "1.5", ["integer"]),
    (Field("q", "integer", positive=True), -3, ["number"]),
    (Field("i", "image", min_image=(500, 500)), Image("https://x.io/a.jpg", 800, 800), []),
    (Field("i", "image", min_image=(500, 500)), Image("https://x.io/a.jpg", 800, 300),
     ["min_image_size"]),
    (Field("i", "image"), "https://x.io/a.jpg", []),
    (Field("i", "images", max_items=2), ["https://x.io/1", "https://x.io/2"], []),
    (Field("i", "images", max_items=2), ["https://x.io/1", "https://x.io/2", "https://x.io/3"],
     ["max_items"]),
    (Field("i", "images"), ["https://x.io/1", "relative.jpg"], ["url"]),
    (Field("b", "list", max_length=4), ["ok", "too long"], ["max_length"]),
]


@pytest.mark.parametrize(("field", "value", "broken"), RULE_CASES)
def test_field_rules(field: Field, value: Any, broken: list[str]) -> None:
    assert rules(field, value) == broken


def test_text_loses_characters_xml_cannot_hold() -> None:
    assert render(Field("t"), "a\x00b\x0bc\u0007 d ") == "abc d"


TRANSFORM_CASES = [
    ("strip_html", "<p>Ceci <b>est</b> un&nbsp;test &amp; ça</p>", "Ceci est un test & ça"),
    ("strip_html", "plain   text", "plain text"),
    ({"truncate": 12}, "The quick brown fox", "The quick"),
    ({"truncate": 12}, "Supercalifragilistic", "Supercalifra"),
    ({"truncate": 20}, "short", "short"),
    ({"truncate": 10}, "Zażółć gęślą jaźń", "Zażółć"),
    ("upper", "ζωή", "ΖΩΉ"),
    ({"map": {"female": "woman"}}, "female", "woman"),
    ({"map": {"true": "yes"}}, True, "yes"),
    ({"default": "new"}, None, "new"),
    ({"default": "new"}, "used", "used"),
    ({"join": " | "}, ["a", "b"], "a | b"),
    ({"limit": 2}, ["a", "b", "c"], ["a", "b"]),
    ("first", ["a", "b"], "a"),
    ({"availability": {"in": "in stock", "out": "out of stock"}}, Decimal("3"), "in stock"),
    ({"availability": {"in": "in stock", "out": "out of stock"}}, Decimal("0"), "out of stock"),
    ({"availability": {"in": "in stock", "out": "out of stock"}}, False, "out of stock"),
    ({"convert": "GRAM"}, Measure(Decimal("0.35"), "KILOGRAM", "Weight"),
     Measure(Decimal("350.00"), "GRAM", "Weight")),
    ({"round": 1}, Price(Decimal("9.99"), "EUR"), Price(Decimal("10.0"), "EUR")),
    ("slug", "Tee Classic — Ζωή 2", "tee-classic-ζωή-2"),
    ("sentences", "One. Two! Three?", ["One.", "Two!", "Three?"]),
    ("datetime", "2026-05-01", "2026-05-01T00:00Z"),
    ({"prefix": "SKU-"}, "1", "SKU-1"),
    ({"replace": {"&": "and"}}, "Salt & pepper", "Salt and pepper"),
]


@pytest.mark.parametrize(("spec", "given", "expected"), TRANSFORM_CASES)
def test_transforms(spec: Any, given: Any, expected: Any) -> None:
    assert build_transform(spec)(given) == expected


BAD_TRANSFORMS = [
    ("shout", "unknown transform"),
    ({"truncate": 0}, "at least 1"),
    ({"truncate": "10"}, "whole number"),
    ({"convert": "PARSEC"}, "unknown unit"),
    ({"strip_html": 3}, "takes no argument"),
    ({"a": 1, "b": 2}, "one-key object"),
    ({"availability": {"in": "yes"}}, '"in"'),
]


@pytest.mark.parametrize(("spec", "message"), BAD_TRANSFORMS)
def test_bad_transforms_are_refused_with_a_reason(spec: Any, message: str) -> None:
    with pytest.raises(MappingError, match=message):
        build_transform(spec)


MAPPING_ERRORS = [
    ({"mapping": {"title": {"attribute": "nope"}}}, "settings.mapping.title",
     "attribute 'nope' does not exist"),
    ({"mapping": {"title": {"attribute": "name", "transforms": ["shout"]}}},
     "settings.mapping.title", "unknown transform"),
    ({"mapping": {"colour": "color"}}, "settings.mapping.colour", "not a field"),
    ({"mapping": {"title": None}}, "settings.mapping.title", "required and has no mapping"),
    ({"mapping": {"title": {"template": "{name} {ghost}"}}}, "settings.mapping.title",
     "{ghost} is neither"),
    ({"mapping": {"title": {"attribute": "name", "value": "x"}}}, "settings.mapping.title",
     "exactly one source"),
    ({"mapping": {"title": 42}}, "settings.mapping.title", "attribute code or an object"),
    ({"mapping": {"google_product_category": {"taxonomy": "google"}},
      "taxonomy": {"ghost": 1}}, "settings.mapping.google_product_category",
     "unknown categories: ghost"),
    ({"filters": {"families": ["ghost"], "colour": 1}}, "settings.filters.families",
     "family 'ghost' does not exist"),
    ({"filters": {"min_completeness": 140}}, "settings.filters.min_completeness", "0 to 100"),
]


@pytest.mark.parametrize(("settings", "where", "message"), MAPPING_ERRORS)
def test_a_bad_mapping_is_refused_before_reading(catalog: Session, settings: dict, where: str,
                                                 message: str) -> None:
    set_channel(catalog, "google", settings)
    with pytest.raises(ValidationError) as caught:
        export_bytes(catalog)
    assert any(e.field == where and message in e.message for e in caught.value.errors), (
        caught.value.errors)


def test_filters_choose_the_products_a_channel_gets(catalog: Session) -> None:
    image = {"template": "https://cdn.example.com/{identifier}.jpg"}
    set_channel(catalog, "google", {"mapping": {"image_link": image},
                                    "filters": {"min_completeness": 100,
                                                "completeness_locales": ["en_US"]}})
    _data, stats, seen = export_bytes(catalog)
    # "=broken" lacks a description and a price; shoe-2 has no USD price
    assert (stats.considered, stats.filtered) == (5, 2)
    assert set(seen.hashes) == {"trail-s", "trail-m", "shoe-1"}
    set_channel(catalog, "google", {"mapping": {"image_link": image},
                                    "filters": {"families": ["accessories"]}})
    _data, stats, _seen = export_bytes(catalog)
    assert (stats.considered, stats.exported) == (0, 0)
    s.create_category(catalog, {"code": "women", "parent": "shoes"}, author="t")
    s.update_product(catalog, "shoe-2", {"categories": ["women"]}, author="t")
    set_channel(catalog, "google", {"mapping": {"image_link": image},
                                    "filters": {"categories": ["women"], "enabled": None}})
    _data, stats, seen = export_bytes(catalog)
    assert (stats.considered, stats.filtered, list(seen.hashes)) == (5, 4, ["shoe-2"])
