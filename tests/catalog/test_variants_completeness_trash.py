"""Variants and inheritance, completeness after edits and requirement changes, the trash."""

import pytest
from sqlalchemy import func, select

from pim.catalog import services as s
from pim.catalog.models import Completeness
from pim.errors import AlreadyExists, InUse, NotFound, ValidationError
from tests.builders import product, small_catalog, value


@pytest.fixture()
def catalog(session):
    small_catalog(session)


def model(session, code="runner", **extra):
    data = {"code": code, "family_variant": "shoes_color_size", "categories": ["men"],
            "values": {"name": value("Runner", "en_US"),
                       "price": value([{"amount": "99", "currency": "EUR"},
                                       {"amount": "109", "currency": "USD"}])}}
    data.update(extra)
    return s.create_product_model(session, data, author="ed")


def build_tree(session):
    model(session)
    s.create_product_model(session, {"code": "runner-red", "parent": "runner",
                                     "values": {"color": value("red")}}, author="ed")
    s.create_product(session, {"identifier": "runner-red-m", "parent": "runner-red",
                               "values": {"size": value("m"), "stock": value(3)}}, author="ed")


def completeness(session, identifier, channel="ecommerce", locale="en_US"):
    rows = {(c.channel_id, c.locale): c for c in s.get_product(session, identifier).completeness}
    channel_id = s.get_channel(session, channel).id
    return rows[(channel_id, locale)]


def test_variant_inherits_values_of_both_model_levels(session, catalog):
    build_tree(session)
    data = s.dump_product(s.get_product(session, "runner-red-m"))
    assert data["family"] == "shoes"
    assert data["parent"] == "runner-red"
    assert data["values"]["name"][0]["data"] == "Runner"
    assert data["values"]["color"][0]["data"] == "red"
    assert data["values"]["size"][0]["data"] == "m"
    own = s.dump_product(s.get_product(session, "runner-red-m"), merged=False)["values"]
    assert set(own) == {"size", "stock", "sku"}


def test_model_change_reaches_its_variants(session, catalog):
    build_tree(session)
    s.update_product_model(session, "runner", {"values": {"name": value("Runner 2", "en_US")}},
                           author="ed")
    data = s.dump_product(s.get_product(session, "runner-red-m"))
    assert data["values"]["name"][0]["data"] == "Runner 2"


def test_variant_cannot_set_a_model_level_attribute(session, catalog):
    build_tree(session)
    with pytest.raises(ValidationError, match="not a variant attribute"):
        s.update_product(session, "runner-red-m", {"values": {"name": value("x", "en_US")}},
                         author="ed")


def test_axis_values_must_be_filled_and_unique_among_siblings(session, catalog):
    build_tree(session)
    with pytest.raises(ValidationError, match="already has the axis values size=m"):
        s.create_product(session, {"identifier": "dup", "parent": "runner-red",
                                   "values": {"size": value("m")}}, author="ed")
    with pytest.raises(ValidationError, match="variant axis 'size' must have a value"):
        s.create_product(session, {"identifier": "noaxis", "parent": "runner-red"}, author="ed")


def test_variant_must_hang_on_the_last_level(session, catalog):
    model(session)
    with pytest.raises(ValidationError, match="level 1 model"):
        s.create_product(session, {"identifier": "x", "parent": "runner",
                                   "values": {"size": value("s")}}, author="ed")


def test_completeness_follows_edits(session, catalog):
    product(session)
    row = completeness(session, "shoe-1")
    assert (row.required, row.ratio) == (4, 50)
    assert row.missing_attributes == ["description", "price"]
    s.update_product(session, "shoe-1", {"values": {
        "description": value("<p>Light</p>", "en_US", "ecommerce"),
        "price": value([{"amount": "10", "currency": "EUR"}])}}, author="ed")
    row = completeness(session, "shoe-1")
    assert row.missing_attributes == ["price"], "one currency of two is not complete"
    s.update_product(session, "shoe-1", {"values": {"price": value(
        [{"amount": "10", "currency": "EUR"}, {"amount": "12", "currency": "USD"}])}},
        author="ed")
    assert completeness(session, "shoe-1").ratio == 100
    assert completeness(session, "shoe-1", locale="fr_FR").missing_attributes == [
        "description", "name"]


def test_completeness_is_recomputed_when_requirements_change(session, catalog):
    product(session)
    for i in range(2, 5):
        product(session, f"shoe-{i}")
    s.update_family(session, "shoes", {"attribute_requirements": {"mobile": ["name", "color"]}},
                    author="admin")
    row = completeness(session, "shoe-3", channel="mobile")
    assert row.missing_attributes == ["color"]
    assert row.ratio == 66


def test_completeness_rows_follow_channel_locales(session, catalog):
    product(session)
    s.update_channel(session, "mobile", {"locales": ["en_US", "pl_PL", "el_GR"]}, author="a")
    mobile = s.get_channel(session, "mobile").id
    count = session.scalar(select(func.count()).select_from(Completeness).where(
        Completeness.channel_id == mobile))
    assert count == 3
    assert completeness(session, "shoe-1", "mobile", "el_GR").missing_attributes == ["name"]


def test_variant_completeness_uses_inherited_values(session, catalog):
    build_tree(session)
    assert completeness(session, "runner-red-m").missing_attributes == ["description"]


def test_trash_and_restore_a_product(session, catalog):
    original = product(session)
    uuid = original.uuid
    s.delete_product(session, "shoe-1", author="ed")
    with pytest.raises(NotFound):
        s.get_product(session, "shoe-1")
    assert [t.code for t in s.list_trash(session, "product")] == ["shoe-1"]
    restored = s.restore_from_trash(session, "product", "shoe-1", author="ed")
    assert restored.uuid == uuid
    assert s.dump_product(restored)["values"]["name"][0]["data"] == "Trail shoe"
    assert s.list_trash(session, "product") == []
    assert completeness(session, "shoe-1").ratio == 50
    assert [v.source for v in s.versions_of(session, "product", "shoe-1")] == ["trash", "ui"]


def test_trash_and_restore_structure(session, catalog):
    s.delete_family(session, "accessories", author="a")
    s.delete_category(session, "men", author="a")
    s.restore_from_trash(session, "family", "accessories", author="a")
    s.restore_from_trash(session, "category", "men", author="a")
    assert s.dump_family(s.get_family(session, "accessories"))["attributes"] == [
        "name", "price", "sku"]
    assert s.get_category(session, "men").parent.code == "shoes"


def test_delete_refuses_what_is_in_use(session, catalog):
    product(session)
    with pytest.raises(InUse):
        s.delete_family(session, "shoes", author="a")
    with pytest.raises(InUse):
        s.delete_category(session, "men", author="a")
    with pytest.raises(InUse):
        s.delete_attribute(session, "name", author="a")
    with pytest.raises(InUse, match="used by 'shoe-1'"):
        s.update_product(session, "shoe-1", {"values": {"color": value("red")}}, author="e")
        s.delete_option(session, "color", "red", author="a")


def test_duplicate_identifier_is_refused(session, catalog):
    product(session)
    with pytest.raises(AlreadyExists):
        product(session)
    with pytest.raises(AlreadyExists):
        product(session, "shoe-2")
        s.update_product(session, "shoe-2", {"identifier": "shoe-1"}, author="ed")


def test_family_change_keeps_and_reports_values_outside_the_new_family(session, catalog):
    product(session, values={"name": value("Boot", "en_US"), "color": value("red")})
    changed = s.update_product(session, "shoe-1", {"family": "accessories"}, author="ed")
    assert changed.values["color"][0]["data"] == "red"
    assert s.values_outside_family(session, changed) == ["color"]


def test_unknown_family_category_and_property_are_all_reported(session, catalog):
    with pytest.raises(ValidationError) as caught:
        s.create_product(session, {"identifier": "x", "family": "nope", "categories": ["zz"],
                                   "colour": "red"}, author="ed")
    fields = sorted(e.field for e in caught.value.errors)
    assert fields == ["categories", "colour", "family"]


def test_unique_attribute_value_is_held_by_one_product(session, catalog):
    product(session, values={"ean": value("4006381333931")})
    with pytest.raises(ValidationError, match="already used by product 'shoe-1'"):
        product(session, "shoe-2", values={"ean": value("4006381333931")})
    s.update_product(session, "shoe-1", {"values": {"ean": value("4006381333948")}}, author="e")
    product(session, "shoe-2", values={"ean": value("4006381333931")})
    s.update_product(session, "shoe-2", {"values": {"ean": value("4006381333931")}}, author="e")
    with pytest.raises(ValidationError, match="already used by product 'shoe-2'"):
        s.update_product(session, "shoe-1", {"values": {"ean": value("4006381333931")}},
                         author="e")
