"""The product grid through the search index: words, facets with counts, sorting, pages."""

import re

import pytest
from sqlalchemy import select

from pim.catalog import services as s
from pim.catalog.models import Product
from pim.search import SearchIndex, index_products
from tests.builders import product, value


@pytest.fixture()
def searching(app, catalog, tmp_path):
    """Index the catalog and let the app's grid search through that index."""
    for n, name in enumerate(["Mountain boot", "Road shoe", "Trail runner", "Chaussure légère"]):
        product(catalog, f"p-{n}", values={"name": value(name, "en_US")})
    s.create_product(catalog, {"identifier": "bag-1", "family": "accessories",
                               "values": {"name": value("Leather bag", "en_US")}}, author="t")
    index = SearchIndex(tmp_path / "grid-index")
    index_products(catalog, catalog.scalars(select(Product.id)).all(), index=index)
    before = app.extensions["prism.search"], app.config["SEARCH_ENABLED"]
    app.extensions["prism.search"] = index
    app.config["SEARCH_ENABLED"] = True
    yield index
    app.extensions["prism.search"], app.config["SEARCH_ENABLED"] = before
    index.close()


def identifiers(body: str) -> list[str]:
    return re.findall(r'name="ids" value="([^"]+)"', body)


def test_words_find_products_by_name(searching, editor):
    body = editor.get("/products?q=mountain").get_data(as_text=True)
    assert identifiers(body) == ["p-0"]
    assert "matches identifiers" not in body


def test_facet_counts_and_family_filter(searching, editor):
    body = editor.get("/products").get_data(as_text=True)
    assert re.search(r'id="count-family-shoes">\(5\)', body)
    assert re.search(r'id="count-family-accessories">\(1\)', body)
    assert re.search(r'id="count-enabled-yes">\(6\)', body)
    assert identifiers(editor.get("/products?family=accessories").get_data(as_text=True)) == \
        ["bag-1"]


def test_sorting_by_identifier_both_ways(searching, editor):
    up = identifiers(editor.get("/products?sort=identifier").get_data(as_text=True))
    down = identifiers(editor.get("/products?sort=-identifier").get_data(as_text=True))
    assert up == sorted(up) and down == list(reversed(up))
    assert 'aria-sort="ascending"' in editor.get("/products?sort=identifier"
                                                 ).get_data(as_text=True)


def test_pages_through_the_index(searching, editor):
    first = editor.get("/products?per_page=25&sort=identifier").get_data(as_text=True)
    assert "1–6 of 6" in first and "Next" not in first


def test_completeness_filter_through_the_index(searching, catalog, editor):
    complete = identifiers(editor.get("/products?channel=ecommerce&locale=en_US&complete=yes"
                                      ).get_data(as_text=True))
    assert complete == ["bag-1"]
    english = identifiers(editor.get("/products?channel=ecommerce&locale=en_US&complete=no"
                                     ).get_data(as_text=True))
    assert "bag-1" not in english and "shoe-1" in english
    # incomplete in any of the channel's locales: bag-1 has no French or German name
    anywhere = identifiers(editor.get("/products?channel=ecommerce&complete=no"
                                      ).get_data(as_text=True))
    assert "bag-1" in anywhere and len(anywhere) == 6


def test_query_syntax_errors_are_reported(searching, editor):
    response = editor.get("/products?q=" + "updated:[2026-99-99 TO]")
    assert response.status_code == 200
    assert "flash-error" in response.get_data(as_text=True)
