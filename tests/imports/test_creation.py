"""The one pass over a new product's values gives what the full steps give, or stands aside."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pim.catalog import services as s
from pim.catalog.structure_cache import structure
from pim.catalog.values import ValuesValidator, without_empty
from pim.imports import creation
from pim.imports.akeneo_products import ProductConverter
from pim.imports.columns import StructureView
from pim.imports.creation import CreationValues
from pim.imports.items import Item
from pim.imports.snapshot import StructureCopy
from pim.imports.writing import WriteContext
from tests.builders import attribute, small_catalog

# each attribute's cells: mostly right, so that the one pass answers often; some wrong
GOOD = {
    "name": ["Trail shoe", "Zażółć gęślą", "Ботинок", " "], "description": ["<p>Hi</p>", ""],
    "site": ["https://example.com/a"],
    "price": [[{"amount": "89.90", "currency": "EUR"}, {"amount": "99", "currency": "USD"}],
              [{"amount": "", "currency": "EUR"}]],
    "weight": [{"amount": "350", "unit": "GRAM"}, {"amount": "0.35", "unit": None}],
    "stock": ["12", "0", "1" * 25, ""], "waterproof": [True, False, None],
    "release_date": ["2026-03-01", "2026-03-01T10:00:00+02:00"],
    "color": ["red", "RED", ""], "size": ["s", "xl"], "materials": [["leather", "rubber"]],
    "images": [["shoe_1", "shoe_2"]], "ean": ["4006381333931", "4006381333932", "12345678"],
}
BAD = {
    "name": ["two\nlines", "x" * 300, "nul\x00", 42], "description": [["list"]],
    "site": ["ftp://x", "javascript:alert(1)"],
    "price": [[{"amount": "abc", "currency": "EUR"}], [{"amount": "1", "currency": "XYZ"}],
              "89 EUR", [{"amount": "1", "currency": "EUR"}, {"amount": "2", "currency": "EUR"}]],
    "weight": [{"amount": "1", "unit": "LITER"}, "1 kg"],
    "stock": ["-3", "1.5", "1e5000", True], "waterproof": ["yes"],
    "release_date": ["01/03/2026"], "color": ["green"], "size": ["xxl"],
    "materials": [["leather", "leather"], ["nope"], "leather"], "images": [["../etc"]],
    "ean": ["12ab"],
}
PLACES = {"name": [("en_US", None), ("fr_FR", None), ("pl_PL", None)],
          "description": [("en_US", "ecommerce"), ("fr_FR", "ecommerce"), ("pl_PL", "mobile")]}
WRONG_PLACES = [(None, None), ("xx_XX", None), ("en_US", "nowhere"), ("pl_PL", "ecommerce")]


def entries(code: str) -> st.SearchStrategy:
    places = PLACES.get(code, [(None, None)])
    place = st.sampled_from(places * 40 + WRONG_PLACES)
    data = st.sampled_from(GOOD.get(code, []) * 20 + BAD.get(code, []) + [None, ""])
    entry = st.builds(lambda where, data: {"locale": where[0], "scope": where[1], "data": data},
                      place, data)
    distinct = st.lists(entry, min_size=1, max_size=len(places),
                        unique_by=lambda e: (e["locale"], e["scope"]))
    twice = st.lists(entry, min_size=2, max_size=3)  # a place may come twice
    return st.sampled_from([distinct] * 9 + [twice]).flatmap(lambda lists: lists)


ODD = {"manual": ["a/manual.pdf"], "nope": ["x"]}  # a media file, no such attribute
ROWS = st.builds(
    lambda usual, odd: {**usual, **odd},
    st.fixed_dictionaries({}, optional={code: entries(code) for code in sorted(GOOD)}),
    st.sampled_from([{}] * 8 + [{code: [{"locale": None, "scope": None, "data": data[0]}]}
                                for code, data in ODD.items()]))


@pytest.fixture()
def kinds(session):
    """The one-pass checks of a shoe and of an accessory, on the small catalog."""
    small_catalog(session)
    session.commit()
    return kinds_of(session)


def kinds_of(session) -> dict[str, CreationValues]:
    """The one-pass checks of a shoe and of an accessory, on the catalog as it is."""
    copy = StructureCopy(structure(session))
    validator = ValuesValidator(copy)  # type: ignore[arg-type]
    found = {}
    for family in ("shoes", "accessories"):
        allowed = set(copy.families[family].attribute_codes) | {"sku"}
        found[family] = CreationValues(copy, validator, allowed, f"in family {family!r}",
                                       False, WriteContext(author="t", source="t"))
    return found


def full_steps(kind: CreationValues, session, item: Item, values: dict):
    """What the one pass stands in for: fit the filled values, validate, drop the empty."""
    fitted = kind.fit(session, item, values, None)
    changes, errors = kind.validator.validate(fitted, kind.allowed, kind.why)
    return without_empty(changes), errors


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(values=ROWS, family=st.sampled_from(["shoes"] * 4 + ["accessories"]))
def test_the_one_pass_gives_the_full_steps_result_when_it_answers(session, kinds, values,
                                                                    family):
    kind = kinds[family]
    quick, slow = Item("product", "p", {}, []), Item("product", "p", {}, [])
    expected, errors = full_steps(kind, session, slow, values)
    try:
        found = kind._one_pass(quick, values)
    except creation._Slow:
        return
    assert errors == []
    assert dict(sorted(found.items())) == expected
    assert list(dict(sorted(found.items()))) == list(expected)  # the same order
    assert quick.warnings == slow.warnings


def test_a_clean_row_takes_the_one_pass_and_a_wrong_one_the_full_steps(session, kinds):
    kind = kinds["shoes"]
    clean = {"name": [{"locale": "fr_FR", "scope": None, "data": "Chaussure"},
                      {"locale": "en_US", "scope": None, "data": "Shoe"}],
             "stock": [{"locale": None, "scope": None, "data": "12"}],
             "ean": [{"locale": None, "scope": None, "data": "4006381333932"}],
             "color": [{"locale": None, "scope": None, "data": ""}]}
    item = Item("product", "p", {}, [])
    assert kind._one_pass(item, clean) == {
        "name": [{"locale": "en_US", "scope": None, "data": "Shoe"},
                 {"locale": "fr_FR", "scope": None, "data": "Chaussure"}],
        "stock": [{"locale": None, "scope": None, "data": 12}],
        "ean": [{"locale": None, "scope": None, "data": "4006381333932"}]}
    assert [w.message for w in item.warnings] == [
        "'4006381333932' is not a valid GTIN/EAN (its check digit is wrong)"]
    wrong = {**clean, "stock": [{"locale": None, "scope": None, "data": "-3"}]}
    item = Item("product", "p", {}, [])
    values, errors = kind.check(session, item, wrong, None)
    assert [e.message for e in errors] == ["number -3 cannot be negative"]
    assert len(item.warnings) == 1  # said once, by the full steps


def test_a_link_to_another_product_is_checked_against_the_catalog(session, kinds):
    s.create_product(session, {"identifier": "other", "family": "shoes"}, author="t")
    kind = kinds["shoes"]
    values = {"related": [{"locale": None, "scope": None, "data": ["other"]}]}
    assert kind.check(session, Item("product", "p", {}, []), values, None) == (values, [])
    missing = {"related": [{"locale": None, "scope": None, "data": ["ghost"]}]}
    _, errors = kind.check(session, Item("product", "p", {}, []), missing, None)
    assert [e.message for e in errors] == ["product 'ghost' does not exist"]


# ---- the one pass from a file's cells ----------------------------------------------------

CELLS = {  # in no order of places: the pass sorts an attribute's entries as the steps do
    "name-fr_FR": ["Chaussure", "Ботинок", "nul\x00"],
    "ean": ["4006381333931", "4006381333932", "12ab"],
    "barcode-fr_FR": ["4006381333931", "12345678"],  # two GTIN attributes, one around
    "gtin": ["4006381333931", "40063813"],           # the other in the header
    "barcode-en_US": ["4006381333932", "73513537"],
    "name-en_US": ["Trail shoe", "Zażółć gęślą", " ", "two\nlines", "x" * 300],
    "description-pl_PL-mobile": ["Opis"],
    "description-fr_FR-ecommerce": ["<b>Salut</b>"], "name-pl_PL": ["But"],
    "description-en_US-ecommerce": ["<p>Hi</p>", "<script>x</script>ok"],
    "site": ["https://example.com/a", " https://example.com/b ", "ftp://x"],
    "price-USD": ["99"], "price-EUR": ["89.90", " 12 ", "abc"],
    "list_price-mobile-EUR": ["10", "x"],  # a price per channel
    "list_price-ecommerce-USD": ["12.5"], "list_price-ecommerce-EUR": ["11"],
    "weight-unit": ["GRAM", "LITER"], "weight": ["350", "0.35", "x"],
    "width-fr_FR": ["3", "-1"],  # a measurement per locale, one without a unit column
    "width-en_US": ["4.5"], "width-en_US-unit": ["CENTIMETER", "GRAM"],
    "stock": ["12", "0", "1" * 25, "-3", "1.5"], "waterproof": ["1", "0", "yes", "maybe"],
    "release_date": ["2026-03-01", "01/03/2026"], "color": ["red", "RED", "green"],
    "size": ["s", "xl", "xxl"], "materials": ["leather,rubber", "leather, leather", "nope", ","],
    "images": ["shoe_1,shoe_2", "../etc"], "manual": ["a/manual.pdf"],
}
CELL_ROWS = st.fixed_dictionaries({}, optional={
    column: st.sampled_from(texts * 6 + ["", "", "  "]) for column, texts in CELLS.items()})
SKU = {"sku": [{"locale": None, "scope": None, "data": "p"}]}


@pytest.fixture()
def wide(session):
    """The small catalog with a price per channel, a measurement per locale and two more
    GTIN attributes in the shoes family; its kinds, and the plan of a file of CELLS."""
    small_catalog(session)
    attribute(session, "list_price", "pim_catalog_price_collection", scopable=True,
              decimals_allowed=True)
    attribute(session, "width", "pim_catalog_metric", localizable=True,
              metric_family="Length", default_metric_unit="METER", decimals_allowed=True,
              negative_allowed=False)
    attribute(session, "gtin", "pim_catalog_text")
    attribute(session, "barcode", "pim_catalog_text", localizable=True)
    shoes = s.get_family(session, "shoes")
    s.update_family(session, "shoes", {"attributes": [
        *shoes.attribute_codes, "list_price", "width", "gtin", "barcode"]}, author="t")
    session.commit()
    converter = ProductConverter("p.csv", StructureView.of(session))
    assert converter.unknown_columns(["sku", *CELLS]) == {}
    return kinds_of(session), converter.value_plan


@settings(max_examples=500, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(cells=CELL_ROWS, family=st.sampled_from(["shoes"] * 4 + ["accessories"]),
       own=st.sampled_from([None, SKU]))
def test_the_pass_from_cells_gives_what_reading_then_checking_gives(session, wide, cells,
                                                                    family, own):
    kinds, plan = wide
    kind = kinds[family]
    values, problems = plan.read(cells, False)
    quick, slow = Item("product", "p", {}, []), Item("product", "p", {}, [])
    found = kind.check_cells(quick, cells, plan, own)
    if found is None:
        assert quick.warnings == []  # taken back: the full steps say them
        return
    assert problems == []
    expected, errors = kind.check(session, slow, values, None, own)
    assert errors == []
    assert found == expected
    assert list(found) == list(expected)  # the same order
    assert quick.warnings == slow.warnings  # the same order too


def test_a_clean_row_of_cells_takes_the_pass_and_a_wrong_one_stands_aside(session, wide):
    kinds, plan = wide
    kind = kinds["shoes"]
    clean = {"name-fr_FR": "Chaussure", "name-en_US": " Shoe ", "stock": " 12",
             "ean": "4006381333932", "color": "", "price-EUR": "89.90", "price-USD": " ",
             "weight": "350", "weight-unit": "GRAM", "waterproof": "0",
             "list_price-mobile-EUR": "10", "list_price-ecommerce-USD": "12.5",
             "width-fr_FR": "3", "width-en_US": "4.5", "width-en_US-unit": "CENTIMETER",
             "barcode-fr_FR": "12345678", "gtin": "40063813", "barcode-en_US": "73513538"}
    item = Item("product", "p", {}, [])
    assert kind.check_cells(item, clean, plan, SKU) == {
        "barcode": [{"locale": "en_US", "scope": None, "data": "73513538"},
                    {"locale": "fr_FR", "scope": None, "data": "12345678"}],
        "ean": [{"locale": None, "scope": None, "data": "4006381333932"}],
        "gtin": [{"locale": None, "scope": None, "data": "40063813"}],
        "list_price": [
            {"locale": None, "scope": "ecommerce",
             "data": [{"amount": "12.50", "currency": "USD"}]},
            {"locale": None, "scope": "mobile", "data": [{"amount": "10.00", "currency": "EUR"}]}],
        "name": [{"locale": "en_US", "scope": None, "data": " Shoe "},
                 {"locale": "fr_FR", "scope": None, "data": "Chaussure"}],
        "price": [{"locale": None, "scope": None,
                   "data": [{"amount": "89.90", "currency": "EUR"}]}],
        "sku": [{"locale": None, "scope": None, "data": "p"}],
        "stock": [{"locale": None, "scope": None, "data": 12}],
        "waterproof": [{"locale": None, "scope": None, "data": False}],
        "weight": [{"locale": None, "scope": None, "data": {"amount": "350", "unit": "GRAM"}}],
        "width": [{"locale": "en_US", "scope": None,
                   "data": {"amount": "4.5", "unit": "CENTIMETER"}},
                  {"locale": "fr_FR", "scope": None, "data": {"amount": "3", "unit": "METER"}}]}
    # by attribute, in the order each is first filled, then by column, as the steps say it
    assert [w.value for w in item.warnings] == ["4006381333932", "12345678", "73513538",
                                                "40063813"]
    for column, text in [("stock", "-3"), ("waterproof", "maybe"), ("manual", "a.pdf"),
                         ("size", "xxl"), ("weight-unit", "LITER"), ("width-fr_FR", "-1")]:
        item = Item("product", "p", {}, [])
        assert kind.check_cells(item, {**clean, column: text}, plan) is None, column
        assert item.warnings == []
