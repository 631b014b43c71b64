"""Each attribute type's valid and invalid data, through the product service."""

import pytest

from pim.catalog import services as s
from pim.errors import ValidationError
from tests.builders import product, small_catalog, value

VALID = [
    ("name", value("Chaussure de trail — été", "fr_FR"), "Chaussure de trail — été"),
    ("name", value("Ботинок Ελληνικά żółć", "en_US"), "Ботинок Ελληνικά żółć"),
    ("description", value("<p>Hi<script>x()</script></p>", "en_US", "ecommerce"), "<p>Hi</p>"),
    ("price", value([{"amount": "89.5", "currency": "EUR"}, {"amount": 99, "currency": "USD"}]),
     [{"amount": "89.50", "currency": "EUR"}, {"amount": "99.00", "currency": "USD"}]),
    ("weight", value({"amount": "0.350", "unit": "KILOGRAM"}), {"amount": "0.35",
                                                                 "unit": "KILOGRAM"}),
    ("weight", value({"amount": 350, "unit": "GRAM"}), {"amount": "350", "unit": "GRAM"}),
    ("stock", value("12"), 12),
    ("stock", value(0), 0),
    ("waterproof", value(False), False),
    ("release_date", value("2026-03-01"), "2026-03-01"),
    ("release_date", value("2026-03-01T10:00:00+02:00"), "2026-03-01"),
    ("color", value("RED"), "red"),
    ("materials", value(["leather", "rubber"]), ["leather", "rubber"]),
    ("images", value(["shoe_1", "shoe_2"]), ["shoe_1", "shoe_2"]),
    ("manual", value("a/b/manual.pdf"), "a/b/manual.pdf"),
    ("site", value("https://example.com/shoe?id=1"), "https://example.com/shoe?id=1"),
    ("ean", value("4006381333931"), "4006381333931"),
    ("stock", value("1" * 25), int("1" * 25)),  # beyond 64 bits, within 30 digits
    ("price", value([{"amount": "1" * 26, "currency": "EUR"}]),
     [{"amount": "1" * 26 + ".00", "currency": "EUR"}]),
]

INVALID = [
    ("name", value(42, "en_US"), "must be a string"),
    ("name", value("x" * 256, "en_US"), "at most 255"),
    ("name", value("two\nlines", "en_US"), "one line"),
    ("name", value("Trail", None), "locale None is not an enabled locale"),
    ("name", value("Trail", "xx_XX"), "not an enabled locale"),
    ("description", value("Hi", "pl_PL", "ecommerce"), "not activated for channel ecommerce"),
    ("description", value("Hi", "en_US", None), "channel None does not exist"),
    ("stock", value("12", "en_US"), "not localizable"),
    ("price", value([{"amount": "abc", "currency": "EUR"}]), "not a number"),
    ("price", value([{"amount": "1", "currency": "XYZ"}]), "not an enabled currency"),
    ("price", value([{"amount": "1", "currency": "EUR"}, {"amount": "2", "currency": "EUR"}]),
     "given twice"),
    ("price", value("89 EUR"), "list of"),
    ("price", value([{"amount": "-1", "currency": "EUR"}]), "cannot be negative"),
    ("price", value([{"amount": "NaN", "currency": "EUR"}]), "finite"),
    ("weight", value({"amount": "1", "unit": "LITER"}), "not in metric family Weight"),
    ("weight", value("1 kg"), "amount"),
    ("stock", value("1.5"), "whole number"),
    ("stock", value(-3), "cannot be negative"),
    ("stock", value(True), "must be a number"),
    ("waterproof", value("yes"), "true or false"),
    ("release_date", value("01/03/2026"), "not a date"),
    ("color", value("green"), "option 'green' does not exist"),
    ("materials", value(["leather", "leather"]), "given twice"),
    ("materials", value("leather"), "list of option codes"),
    ("images", value(["../etc/passwd"]), "not a valid asset code"),
    ("manual", value("doc.exe"), "not allowed"),
    ("site", value("javascript:alert(1)"), "http(s) URL"),
    ("related", value(["no-such-product"]), "does not exist"),
    ("ean", value("12ab"), "does not match"),
    # an exponent asks for thousands of digits; a price's cents for more than a decimal holds
    ("stock", value("1e5000"), "more than 30 digits"),
    ("weight", value({"amount": "1e-40", "unit": "GRAM"}), "more than 30 digits"),
    ("price", value([{"amount": "1" * 29, "currency": "EUR"}]), "too many digits"),
    ("weight", value({"amount": "1", "unit": ["GRAM"]}), "not in metric family Weight"),
    ("nope", value("x"), "attribute 'nope' does not exist"),
]


@pytest.fixture()
def catalog(session):
    small_catalog(session)
    return product(session)


@pytest.mark.parametrize(("code", "given", "stored"), VALID)
def test_valid_value_is_normalized(session, catalog, code, given, stored):
    result = s.update_product(session, "shoe-1", {"values": {code: given}}, author="ed")
    entry = next(e for e in result.values[code] if e["locale"] == given[0]["locale"])
    assert entry["data"] == stored


@pytest.mark.parametrize(("code", "given", "reason"), INVALID)
def test_invalid_value_is_refused_and_changes_nothing(session, catalog, code, given, reason):
    before = s.dump_product(catalog)
    versions = len(s.versions_of(session, "product", "shoe-1"))
    with pytest.raises(ValidationError) as caught:
        s.update_product(session, "shoe-1", {"values": {code: given}}, author="ed")
    error = caught.value.errors[0]
    assert reason in error.message
    assert error.attribute == code
    session.expire_all()
    assert s.dump_product(s.get_product(session, "shoe-1")) == before
    assert len(s.versions_of(session, "product", "shoe-1")) == versions


def test_all_errors_of_one_input_are_reported_together(session, catalog):
    with pytest.raises(ValidationError) as caught:
        s.update_product(session, "shoe-1", {"values": {
            "name": value("ok", "en_US") + value("x" * 300, "fr_FR"),
            "color": value("green"),
            "price": value([{"amount": "1,50", "currency": "EUR"}]),
            "unknown": value(1),
        }}, author="ed")
    where = {(e.attribute, e.locale) for e in caught.value.errors}
    assert where == {("name", "fr_FR"), ("color", None), ("price", None), ("unknown", None)}


def test_ten_megabyte_text_is_refused(session, catalog):
    with pytest.raises(ValidationError, match="at most 65535"):
        s.update_product(session, "shoe-1", {"values": {
            "description": value("x" * 10_000_000, "en_US", "ecommerce")}}, author="ed")


@pytest.mark.parametrize("bad", ["caf\udce9", "\ud800", "nul\x00byte"])
def test_invalid_unicode_is_refused(session, catalog, bad):
    with pytest.raises(ValidationError, match="invalid Unicode|NUL"):
        s.update_product(session, "shoe-1", {"values": {"name": value(bad, "en_US")}},
                         author="ed")


def test_value_outside_the_family_is_refused(session, catalog):
    with pytest.raises(ValidationError, match="not in family 'accessories'"):
        s.create_product(session, {"identifier": "bag", "family": "accessories",
                                   "values": {"color": value("red")}}, author="ed")


def test_malformed_value_entry_is_refused(session, catalog):
    with pytest.raises(ValidationError, match="locale"):
        s.update_product(session, "shoe-1", {"values": {"name": [{"data": "x"}]}}, author="ed")
