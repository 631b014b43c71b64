"""Queries: phrases, prefixes, filters, ranges, facets (checked against SQL), sorting."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, update

from pim.catalog import services as s
from pim.catalog.models import Category, Channel, Completeness, Family, Product, ProductModel
from pim.catalog.models import product_categories as links
from pim.catalog.models import product_model_categories as model_links
from pim.catalog.variants import merged_values
from pim.errors import ValidationError
from pim.search import search_products
from tests.builders import ADMIN, value
from tests.search.conftest import found, make, names, reindex

OLD = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)
NEW = dt.datetime(2026, 2, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture()
def shop(catalog, index):
    session = catalog
    s.create_category(session, {"code": "women", "parent": "shoes"}, author=ADMIN)
    s.create_category(session, {"code": "sale", "parent": "master"}, author=ADMIN)
    colors = ["red", "blue", "black"]
    for n in range(12):
        make(session, f"SHOE-{n:02d}", categories=[["men"], ["women"], ["men", "sale"]][n % 3],
             name=names(en_US=f"Trail shoe number{n}", fr_FR="Chaussure de trail"),
             color=value(colors[n % 3]),
             **({"price": value([{"amount": "10", "currency": "EUR"},
                                 {"amount": "11", "currency": "USD"}])} if n % 2 else {}))
    for n in range(4):
        make(session, f"BAG-{n}", family="accessories", categories=["sale"],
             name=names(en_US=f"Leather bag {n}"))
    s.create_product_model(session, {
        "code": "trek", "family_variant": "shoes_color_size", "categories": ["women"],
        "values": {"name": value("Trek boot", "en_US")}}, author=ADMIN)
    s.create_product_model(session, {"code": "trek_red", "parent": "trek",
                                     "values": {"color": value("red")}}, author=ADMIN)
    for size in ("s", "m"):
        s.create_product(session, {"identifier": f"TREK-RED-{size.upper()}",
                                   "parent": "trek_red", "values": {"size": value(size)}},
                         author=ADMIN)
    s.update_product(session, "SHOE-03", {"enabled": False}, author=ADMIN)
    session.execute(update(Product).values(updated=OLD))
    session.execute(update(Product).where(Product.identifier.in_(["SHOE-01", "BAG-2"]))
                    .values(updated=NEW))
    reindex(session, index)
    return session


def test_words_phrases_and_prefixes(shop, index):
    assert len(found(index, shop, "trail shoe")) == 12
    assert found(index, shop, '"shoe number7"') == ["SHOE-07"]
    assert found(index, shop, '"number7 shoe"') == []
    assert found(index, shop, "number1*", sort="identifier") == ["SHOE-01", "SHOE-10",
                                                                "SHOE-11"]
    assert found(index, shop, "boot", sort="identifier") == ["TREK-RED-M", "TREK-RED-S"]
    assert found(index, shop, "bag OR boot", sort="identifier") == [
        "BAG-0", "BAG-1", "BAG-2", "BAG-3", "TREK-RED-M", "TREK-RED-S"]
    assert found(index, shop, "leather NOT bag") == []


def test_field_filters_in_the_query_and_as_arguments(shop, index):
    sale = found(index, shop, "category:sale", sort="identifier")
    assert sale == ["BAG-0", "BAG-1", "BAG-2", "BAG-3", "SHOE-02", "SHOE-05", "SHOE-08",
                    "SHOE-11"]
    assert found(index, shop, "family:accessories bag", sort="identifier") == sale[:4]
    assert found(index, shop, "", filters={"family": "accessories"}, sort="identifier") == (
        sale[:4])
    # categories count with their ancestors; variants take their models' categories
    assert len(found(index, shop, "category:master")) == 18
    assert found(index, shop, "parent:trek_red", sort="identifier") == ["TREK-RED-M",
                                                                       "TREK-RED-S"]
    # variants get their model's colour: red products in sale or women are the Trek boots
    assert found(index, shop, "color:red", filters={"category": ["sale", "women"]},
                 sort="identifier") == ["TREK-RED-M", "TREK-RED-S"]
    assert found(index, shop, "", filters={"enabled": False}) == ["SHOE-03"]


def test_date_and_completeness_ranges_agree_with_the_database(shop, index):
    assert found(index, shop, "updated:[2026-01-01 TO]", sort="identifier") == ["BAG-2",
                                                                               "SHOE-01"]
    assert found(index, shop, "", filters={"updated": {"max": "2025-12-31"}}) != []
    assert found(index, shop, "", filters={"updated": {"min": dt.date(2026, 1, 1)}},
                 sort="identifier") == ["BAG-2", "SHOE-01"]
    channel = shop.scalar(select(Channel.id).where(Channel.code == "ecommerce"))
    for low in (0, 34, 100):
        expected = sorted(shop.scalars(
            select(Product.identifier).join(Completeness).where(
                Completeness.channel_id == channel, Completeness.locale == "en_US",
                Completeness.ratio >= low)))
        assert found(index, shop, f"complete_ecommerce_en_US:[{low} TO]",
                     sort="identifier") == expected
        assert found(index, shop, f"complete_ecommerce_en_US:>={low}",
                     sort="identifier") == expected
    assert found(index, shop, "", filters={"complete_ecommerce_en_US": {"min": 34}},
                 sort="identifier") == found(index, shop, "complete_ecommerce_en_US:[34 TO]",
                                             sort="identifier")


def _descendants(session, code):
    rows = session.execute(select(Category.id, Category.parent_id, Category.code)).all()
    ids = {r.id for r in rows if r.code == code}
    grew = True
    while grew:
        more = {r.id for r in rows if r.parent_id in ids} - ids
        grew = bool(more)
        ids |= more
    return ids


def test_facet_counts_equal_database_counts(shop, index):
    result = search_products(index, "", filters={"enabled": True}, session=shop,
                             facets=["family", "category", "color", "enabled"])
    enabled = Product.enabled.is_(True)
    assert result.total == shop.scalar(select(func.count()).where(enabled))
    families = dict(shop.execute(select(Family.code, func.count(Product.id))
                                 .join(Product, Product.family_id == Family.id).where(enabled)
                                 .group_by(Family.code)).all())
    assert result.facets["family"] == families
    assert result.facets["enabled"] == {"true": result.total}
    for code, count in result.facets["category"].items():
        # a product counts for a category when it, or its model, sits in it or below it
        below = _descendants(shop, code)
        direct = select(links.c.product_id).where(links.c.category_id.in_(below))
        models = select(model_links.c.product_model_id).where(
            model_links.c.category_id.in_(below))
        via_parent = select(Product.id).where(Product.parent_id.in_(models))
        via_root = select(Product.id).join(ProductModel, Product.parent_id == ProductModel.id
                                           ).where(ProductModel.parent_id.in_(models))
        expected = shop.scalar(select(func.count()).select_from(Product).where(enabled).where(
            Product.id.in_(direct.union(via_parent, via_root))))
        assert count == expected, code
    assert set(result.facets["category"]) == {"master", "shoes", "men", "women", "sale"}
    colors: dict[str, int] = {}
    for product in shop.scalars(select(Product).where(enabled)):
        for entry in merged_values(product).get("color", []):
            colors[entry["data"]] = colors.get(entry["data"], 0) + 1
    assert result.facets["color"] == dict(sorted(colors.items(), key=lambda i: (-i[1], i[0])))


def test_facets_follow_the_query(shop, index):
    result = search_products(index, "bag", facets=["family", "category"], session=shop)
    assert result.total == 4
    assert result.facets == {"family": {"accessories": 4},
                             "category": {"master": 4, "sale": 4}}


@pytest.mark.parametrize(("sort", "expected"), [
    ("identifier", ["BAG-0", "BAG-1", "BAG-2"]),
    ("-identifier", ["TREK-RED-S", "TREK-RED-M", "SHOE-11"]),
    ("-updated", ["BAG-2", "SHOE-01", "BAG-0"]),
    ("updated", ["BAG-0", "BAG-1", "BAG-3"]),
])
def test_sort_orders(shop, index, sort, expected):
    assert found(index, shop, "", sort=sort, per_page=3) == expected


def test_sort_by_completeness(shop, index):
    hits = search_products(index, "", sort="-complete_ecommerce_en_US", per_page=100,
                           session=shop).hits
    ratios = {p.identifier: {(c.channel_id, c.locale): c.ratio for c in p.completeness}
              for p in shop.scalars(select(Product))}
    channel = shop.scalar(select(Channel.id).where(Channel.code == "ecommerce"))
    listed = [ratios[hit.identifier].get((channel, "en_US"), 0) for hit in hits]
    assert listed == sorted(listed, reverse=True) and listed[0] > listed[-1]


def test_relevance_ranks_the_closer_match_first(catalog, index):
    make(catalog, "LONG", name=names(en_US="Shoe with laces for walking in town all day"))
    make(catalog, "SHORT", name=names(en_US="Shoe"))
    reindex(catalog, index)
    result = search_products(index, "shoe", session=catalog)
    assert [hit.identifier for hit in result.hits] == ["SHORT", "LONG"]
    assert result.hits[0].score > result.hits[1].score > 0


def test_pages(shop, index):
    first = found(index, shop, "trail", sort="identifier", per_page=5)
    second = found(index, shop, "trail", sort="identifier", per_page=5, page=2)
    third = search_products(index, "trail", sort="identifier", per_page=5, page=3,
                            session=shop)
    assert len(first) == len(second) == 5 and not set(first) & set(second)
    assert third.total == 12 and len(third.hits) == 2


def test_did_you_mean(shop, index):
    result = search_products(index, "trial shoos", session=shop)
    assert result.total == 0
    assert result.suggestion == "trail shoe"
    assert search_products(index, "Chausure", session=shop).suggestion == "Chaussure"
    assert search_products(index, "trail shoe", session=shop).suggestion is None
    assert search_products(index, "family:shoes", session=shop).suggestion is None


@pytest.mark.parametrize(("call", "field"), [
    ({"query": "updated:[yesterday TO]"}, "q"),
    ({"sort": "price"}, "sort"),
    ({"page": 0}, "page"),
    ({"per_page": 5000}, "per_page"),
    ({"filters": {"updated": {"after": "2026-01-01"}}}, "filters.updated"),
    ({"filters": {"family": ""}}, "filters.family"),
    ({"filters": {"enabled": "yes"}}, "filters.enabled"),
    ({"filters": {"bad name": "x"}}, "filters"),
    ({"filters": {"updated": {"min": "31/01/2026"}}}, "filters.updated"),
    ({"filters": {"complete_ecommerce_en_US": {"min": -1}}}, "filters.complete_ecommerce_en_US"),
    ({"filters": {"complete_ecommerce_en_US": {"max": 10**30}}},
     "filters.complete_ecommerce_en_US"),
    ({"query": "complete_ecommerce_en_US:[99999999999 TO]"}, "q"),
])
def test_bad_input_is_refused_with_a_clear_error(index, call, field):
    with pytest.raises(ValidationError) as caught:
        search_products(index, **call)
    assert caught.value.errors[0].field == field
