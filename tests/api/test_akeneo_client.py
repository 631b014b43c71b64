"""An Akeneo client published on PyPI (akeneo-api-client 1.2.1), unchanged, against a live
Prism: it authenticates, then lists, gets, creates and updates families, attributes and
products."""

from __future__ import annotations

import json
import uuid

import pytest

from tests.api.live import PASSWORD, serve

akeneo = pytest.importorskip("akeneo_api_client.client_builder")


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    yield from serve(tmp_path_factory.mktemp("live-client"))


@pytest.fixture(scope="module")
def client(live):
    return akeneo.ClientBuilder(live.base_url).build_authenticated_by_password(
        "admin", PASSWORD, live.client_id, live.secret)


def _all(pages) -> list[dict]:
    return [item for page in pages for item in page]


def test_families(client):
    listed = _all(client.family_api.all(page_size=1, query_params={}))
    assert [f["code"] for f in listed] == ["accessories", "shoes"]
    created = client.family_api.create({"code": "boots", "attributes": ["sku", "name"],
                                        "labels": {"en_US": "Boots"}})
    assert created.status_code == 201
    assert created.headers["Location"].endswith("/api/rest/v1/families/boots")
    updated = client.family_api.upsert("boots", {"labels": {"pl_PL": "Kozaki"}})
    assert updated.status_code == 204
    family = client.family_api.get("boots")
    assert family["labels"] == {"en_US": "Boots", "pl_PL": "Kozaki"}
    assert family["attributes"] == ["name", "sku"]


def test_attributes(client):
    created = client.attribute_api.create({"code": "brand", "type": "pim_catalog_text",
                                           "group": "general", "labels": {"en_US": "Brand"}})
    assert created.status_code == 201
    client.attribute_api.upsert("brand", {"max_characters": 40})
    brand = client.attribute_api.get("brand")
    assert brand["type"] == "pim_catalog_text" and brand["max_characters"] == 40
    codes = [a["code"] for a in _all(client.attribute_api.all(page_size=5, query_params={}))]
    assert "brand" in codes and "sku" in codes and len(codes) == len(set(codes))


def test_products(client):
    wanted = str(uuid.uuid4())
    created = client.product_uuid_api.create({
        "uuid": wanted, "family": "shoes", "categories": ["men"],
        "values": {"sku": [{"locale": None, "scope": None, "data": "client-1"}],
                   "name": [{"locale": "en_US", "scope": None, "data": "Sneaker"}]}})
    assert created.status_code == 201
    updated = client.product_uuid_api.upsert(wanted, {"values": {
        "name": [{"locale": "fr_FR", "scope": None, "data": "Basket été"}]}})
    assert updated.status_code == 204
    got = client.product_uuid_api.get(wanted)
    assert got["uuid"] == wanted and got["family"] == "shoes"
    assert {v["locale"]: v["data"] for v in got["values"]["name"]} == {
        "en_US": "Sneaker", "fr_FR": "Basket été"}
    search = json.dumps({"family": [{"operator": "IN", "value": ["shoes"]}]})
    listed = _all(client.product_uuid_api.all(page_size=1, query_params={"search": search}))
    assert {p["values"]["sku"][0]["data"] for p in listed} == {"shoe-1", "client-1"}
    assert len(listed) == 2
