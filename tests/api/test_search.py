"""Akeneo `search` filters, table-driven, each checked against a direct count."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select, update

from pim.catalog import services as s
from pim.catalog.models import Product
from tests.builders import value

V = "/api/rest/v1"
DAY = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


def price(amount: str, currency: str = "EUR") -> list[dict]:
    return value([{"amount": amount, "currency": currency}])


@pytest.fixture()
def shop(catalog):
    """Eight products and a model tree spread over the properties the filters look at."""
    s.create_category(catalog, {"code": "women", "parent": "shoes"}, author="t")
    s.create_category(catalog, {"code": "sale", "labels": {}}, author="t")
    specs = [
        ("trail-1", "shoes", ["men"], True, {"name": value("Trail runner", "en_US"),
                                             "stock": value(5), "color": value("red"),
                                             "price": price("89.90"), "waterproof": value(True),
                                             "release_date": value("2026-01-15")}),
        ("trail-2", "shoes", ["women"], True, {"name": value("Trail walker", "en_US"),
                                               "stock": value(0), "color": value("blue"),
                                               "price": price("59.00"),
                                               "materials": value(["leather", "rubber"]),
                                               "weight": value({"amount": "800",
                                                                "unit": "GRAM"})}),
        ("city-1", "shoes", ["sale"], False, {"name": value("City Ωmega", "en_US"),
                                              "stock": value(12), "color": value("black"),
                                              "waterproof": value(False),
                                              "weight": value({"amount": "1.2",
                                                               "unit": "KILOGRAM"})}),
        ("city-2", "shoes", [], True, {"name": value("Citadine", "fr_FR"),
                                       "release_date": value("2025-06-01")}),
        ("bag-1", "accessories", ["sale", "men"], True, {"name": value("Bag", "en_US"),
                                                         "price": price("20.00", "USD")}),
        ("bag-2", "accessories", [], False, {}),
        ("loose-1", None, ["master"], True, {}),
    ]
    for identifier, family, categories, enabled, values in specs:
        s.create_product(catalog, {"identifier": identifier, "family": family,
                                   "categories": categories, "enabled": enabled,
                                   "values": values}, author="t")
    s.create_product_model(catalog, {"code": "runner", "family_variant": "shoes_size",
                                     "values": {"name": value("Runner model", "en_US"),
                                                "color": value("red")}}, author="t")
    s.create_product(catalog, {"identifier": "runner-m", "parent": "runner",
                               "values": {"size": value("m")}}, author="t")
    catalog.execute(update(Product).where(Product.identifier.in_(["city-1", "city-2"]))
                    .values(updated=DAY, created=DAY))
    catalog.commit()
    return catalog


CASES = [
    ({"family": [{"operator": "IN", "value": ["shoes"]}]},
     {"trail-1", "trail-2", "city-1", "city-2", "runner-m"}),
    ({"family": [{"operator": "NOT IN", "value": ["shoes"]}]}, {"bag-1", "bag-2", "loose-1"}),
    ({"family": [{"operator": "EMPTY"}]}, {"loose-1"}),
    ({"enabled": [{"operator": "=", "value": False}]}, {"city-1", "bag-2"}),
    ({"enabled": [{"operator": "!=", "value": False}]},
     {"trail-1", "trail-2", "city-2", "bag-1", "loose-1", "runner-m"}),
    ({"categories": [{"operator": "IN", "value": ["men"]}]}, {"trail-1", "bag-1"}),
    ({"categories": [{"operator": "NOT IN", "value": ["men"]}]},
     {"trail-2", "city-1", "city-2", "bag-2", "loose-1", "runner-m"}),
    ({"categories": [{"operator": "IN CHILDREN", "value": ["shoes"]}]}, {"trail-1", "trail-2",
                                                                         "bag-1"}),
    ({"categories": [{"operator": "NOT IN CHILDREN", "value": ["master"]}]},
     {"city-1", "city-2", "bag-2", "runner-m"}),
    ({"categories": [{"operator": "UNCLASSIFIED"}]}, {"city-2", "bag-2", "runner-m"}),
    ({"categories": [{"operator": "IN OR UNCLASSIFIED", "value": ["sale"]}]},
     {"city-1", "bag-1", "city-2", "bag-2", "runner-m"}),
    ({"categories": [{"operator": "IN", "value": ["sale"]},
                     {"operator": "NOT IN", "value": ["men"]}]}, {"city-1"}),
    ({"identifier": [{"operator": "STARTS WITH", "value": "TRAIL"}]}, {"trail-1", "trail-2"}),
    ({"sku": [{"operator": "IN", "value": ["bag-1", "city-2"]}]}, {"bag-1", "city-2"}),
    ({"identifier": [{"operator": "CONTAINS", "value": "-2"}]}, {"trail-2", "city-2", "bag-2"}),
    ({"parent": [{"operator": "=", "value": "runner"}]}, {"runner-m"}),
    ({"parent": [{"operator": "NOT EMPTY"}]}, {"runner-m"}),
    ({"updated": [{"operator": "<", "value": "2026-03-11 00:00:00"}]}, {"city-1", "city-2"}),
    ({"updated": [{"operator": "=", "value": "2026-03-10 08:00:00"}]}, {"city-1", "city-2"}),
    ({"created": [{"operator": "BETWEEN", "value": ["2026-03-09T00:00:00Z",
                                                     "2026-03-11T00:00:00Z"]}]},
     {"city-1", "city-2"}),
    ({"updated": [{"operator": "SINCE LAST N DAYS", "value": 1}]},
     {"trail-1", "trail-2", "bag-1", "bag-2", "loose-1", "runner-m"}),
    ({"completeness": [{"operator": "=", "value": 100, "scope": "mobile"}]},
     {"trail-1", "trail-2", "city-1", "bag-1", "bag-2", "runner-m"}),
    ({"completeness": [{"operator": "GREATER OR EQUALS THAN ON ALL LOCALES", "value": 100,
                        "scope": "mobile", "locales": ["en_US", "pl_PL"]}]},
     {"bag-1", "bag-2"}),
    ({"completeness": [{"operator": "<", "value": 100, "scope": "ecommerce",
                        "locales": ["fr_FR"]}]},
     {"trail-1", "trail-2", "city-1", "city-2", "bag-1", "bag-2", "runner-m"}),
    ({"name": [{"operator": "CONTAINS", "value": "trail", "locale": "en_US"}]},
     {"trail-1", "trail-2"}),
    ({"name": [{"operator": "CONTAINS", "value": "ωMEGA", "locale": "en_US"}]}, {"city-1"}),
    ({"name": [{"operator": "STARTS WITH", "value": "Runner", "locale": "en_US"}]},
     {"runner-m"}),
    ({"name": [{"operator": "EMPTY", "locale": "en_US"}]}, {"city-2", "bag-2", "loose-1"}),
    ({"name": [{"operator": "NOT EMPTY", "locale": "fr_FR"}]}, {"city-2"}),
    ({"name": [{"operator": "DOES NOT CONTAIN", "value": "trail", "locale": "en_US"}]},
     {"city-1", "bag-1", "runner-m"}),
    ({"stock": [{"operator": ">", "value": 4}]}, {"trail-1", "city-1"}),
    ({"stock": [{"operator": "<=", "value": 5}]}, {"trail-1", "trail-2"}),
    ({"stock": [{"operator": "!=", "value": 5}]}, {"trail-2", "city-1"}),
    ({"color": [{"operator": "IN", "value": ["red", "BLACK"]}]},
     {"trail-1", "city-1", "runner-m"}),
    ({"color": [{"operator": "NOT IN", "value": ["red"]}]}, {"trail-2", "city-1"}),
    ({"materials": [{"operator": "IN", "value": ["rubber"]}]}, {"trail-2"}),
    ({"price": [{"operator": ">", "value": {"amount": 60, "currency": "EUR"}}]}, {"trail-1"}),
    ({"price": [{"operator": "<", "value": 30}]}, {"bag-1"}),
    ({"weight": [{"operator": ">", "value": {"amount": 1000, "unit": "GRAM"}}]}, {"city-1"}),
    ({"waterproof": [{"operator": "=", "value": False}]}, {"city-1"}),
    ({"release_date": [{"operator": ">", "value": "2025-12-31"}]}, {"trail-1"}),
    ({"release_date": [{"operator": "BETWEEN", "value": ["2025-01-01", "2025-12-31"]}]},
     {"city-2"}),
    ({"family": [{"operator": "IN", "value": ["shoes"]}],
      "stock": [{"operator": "NOT EMPTY"}], "enabled": [{"operator": "=", "value": True}]},
     {"trail-1", "trail-2"}),
]


@pytest.mark.parametrize("search, expected", CASES, ids=[json.dumps(c[0])[:70] for c in CASES])
def test_filters(client, shop, headers, search, expected):
    everything = set(shop.scalars(select(Product.identifier)))
    assert expected <= everything
    for pagination in ("", "&pagination_type=search_after"):
        response = client.get(f"{V}/products?limit=100&with_count=true{pagination}&search="
                              + json.dumps(search), headers=headers["viewer"])
        assert response.status_code == 200, response.json
        found = {item["identifier"] for item in response.json["_embedded"]["items"]}
        assert found == expected
        assert response.json["items_count"] == len(expected)


@pytest.mark.parametrize("search, message", [
    ("{not json", "Search query parameter should be valid JSON."),
    ({"family": [{"operator": "LIKE", "value": ["x"]}]}, 'does not support operator "LIKE"'),
    ({"family": [{"operator": "IN", "value": ["nope"]}]}, "family 'nope' does not exist"),
    ({"name": [{"operator": "CONTAINS", "value": "x"}]}, "is localizable"),
    ({"stock": [{"operator": "CONTAINS", "value": "x"}]}, "does not support operator"),
    ({"completeness": [{"operator": "=", "value": 100}]}, "needs an existing channel"),
    ({"wat": [{"operator": "=", "value": 1}]}, "is not supported"),
])
def test_bad_filters_are_explained(client, shop, headers, search, message):
    raw = search if isinstance(search, str) else json.dumps(search)
    response = client.get(f"{V}/products?search={raw}", headers=headers["viewer"])
    assert response.status_code in (400, 422)
    body = response.json
    text = " ".join([body["message"]] + [e["message"] for e in body.get("errors", [])])
    assert message in text


def test_product_model_filters(client, shop, headers):
    search = {"parent": [{"operator": "EMPTY"}], "family": [{"operator": "IN",
                                                             "value": ["shoes"]}]}
    body = client.get(f"{V}/product-models?with_count=true&search=" + json.dumps(search),
                      headers=headers["viewer"]).json
    assert [m["code"] for m in body["_embedded"]["items"]] == ["runner"]
    search = {"completeness": [{"operator": "AT LEAST COMPLETE", "scope": "mobile",
                                "locales": ["en_US"]}]}
    body = client.get(f"{V}/product-models?search=" + json.dumps(search),
                      headers=headers["viewer"]).json
    assert [m["code"] for m in body["_embedded"]["items"]] == ["runner"]


def test_scope_keeps_products_of_the_channel_tree(client, shop, headers):
    body = client.get(f"{V}/products?limit=100&scope=mobile", headers=headers["viewer"]).json
    found = {item["identifier"] for item in body["_embedded"]["items"]}
    assert found == {"trail-1", "trail-2", "bag-1", "loose-1"}
