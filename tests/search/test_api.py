"""Search over the REST API: ranked hits, facet counts, and `q` conditions for the list."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from pim.api.errors import ApiError
from pim.api.search import search_conditions
from pim.auth import personal, users
from pim.catalog.models import Product
from pim.search import search_index, search_products
from tests.builders import value
from tests.search.conftest import make, names, reindex, world_catalog

V = "/api/rest/v1/search"


@pytest.fixture()
def shop(app, session):
    world_catalog(session)
    for n in range(6):
        make(session, f"TRAIL-{n}", categories=["men"] if n % 2 else ["shoes"],
             name=names(en_US=f"Trail shoe {n}", fr_FR="Chaussure de trail"),
             color=value("red" if n < 4 else "blue"))
    make(session, "BAG-1", family="accessories", categories=[],
         name=names(en_US="Leather bag"))
    reindex(session, search_index(app))
    return session


@pytest.fixture()
def auth(session):
    users.create_user(session, "reader", "correct horse battery", "viewer")
    _token, plain = personal.create_personal_token(session, "reader", "read")
    return {"Authorization": f"Bearer {plain}"}


def test_facets_endpoint_counts_like_the_service(app, client, shop, auth):
    answer = client.get(f"{V}/facets", query_string={"q": "trail", "facets": "family,color"},
                        headers=auth)
    assert answer.status_code == 200
    expected = search_products(search_index(app), "trail", facets=["family", "color"],
                               session=shop)
    assert answer.json == {"total": 6, "facets": expected.facets, "suggestion": None}
    assert answer.json["facets"] == {"family": {"shoes": 6}, "color": {"red": 4, "blue": 2}}
    filtered = client.get(f"{V}/facets", headers=auth, query_string={
        "facets": "category", "facet_filters": json.dumps({"color": ["blue"]})})
    assert filtered.json["total"] == 2
    assert filtered.json["facets"] == {"category": {"master": 2, "men": 1, "shoes": 2}}


def test_products_endpoint_ranks_sorts_and_pages(client, shop, auth):
    answer = client.get(f"{V}/products", headers=auth, query_string={
        "q": "trail", "sort": "-identifier", "limit": 2, "page": 2, "facets": "family"})
    assert answer.status_code == 200
    body = answer.json
    assert [item["identifier"] for item in body["items"]] == ["TRAIL-3", "TRAIL-2"]
    assert body["total"] == 6 and body["page"] == 2 and body["limit"] == 2
    assert body["items"][0]["family"] == "shoes" and body["items"][0]["score"] is None
    assert body["items"][0]["updated"].endswith("+00:00")
    ranked = client.get(f"{V}/products", headers=auth, query_string={"q": "leather"}).json
    assert [item["identifier"] for item in ranked["items"]] == ["BAG-1"]
    assert ranked["items"][0]["score"] > 0
    typo = client.get(f"{V}/products", headers=auth, query_string={"q": "lether"}).json
    assert typo["total"] == 0 and typo["suggestion"] == "leather"


@pytest.mark.parametrize(("params", "where"), [
    ({"sort": "price"}, "sort"),
    ({"facet_filters": "{not json"}, "facet_filters"),
    ({"q": "updated:[someday TO]"}, "q"),
    ({"limit": 1000}, None),
])
def test_bad_searches_answer_422(client, shop, auth, params, where):
    answer = client.get(f"{V}/products", headers=auth, query_string=params)
    assert answer.status_code == 422
    if where:
        assert answer.json["errors"][0]["property"] == where


def test_search_needs_a_token(client, shop):
    assert client.get(f"{V}/facets").status_code == 401


def test_q_conditions_filter_the_product_list(app, shop):
    with app.test_request_context("/api/rest/v1/products?q=chaussure&facet_filters="
                                  + json.dumps({"color": "blue"})):
        conditions = search_conditions({}, "product")
        found = shop.scalars(select(Product.identifier).where(*conditions)
                             .order_by(Product.identifier)).all()
        assert found == ["TRAIL-4", "TRAIL-5"]
        with pytest.raises(ApiError):
            search_conditions({}, "product_model")
    with app.test_request_context("/api/rest/v1/products?q=nothing-matches-this"):
        assert shop.scalars(select(Product.id).where(*search_conditions({}, "product"))
                            ).all() == []
    with app.test_request_context("/api/rest/v1/products"):
        assert search_conditions({}, "product") == []
