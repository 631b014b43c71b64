"""Product writes: upsert statuses, optimistic locking, collection PATCH, limits, paging."""

from __future__ import annotations

import json

import pytest

from pim.catalog import services as s
from tests.api.conftest import collection
from tests.builders import product, value

V = "/api/rest/v1"


@pytest.fixture()
def editor(catalog, headers):
    return headers["editor"]


def test_patch_creates_then_updates_with_location(client, editor):
    created = client.patch(f"{V}/products/boot-ł", json={"family": "shoes"}, headers=editor)
    assert created.status_code == 201
    assert created.headers["Location"].endswith("/api/rest/v1/products/boot-%C5%82")
    assert created.headers["ETag"] == '"1"'
    updated = client.patch(f"{V}/products/boot-ł", json={
        "values": {"name": value("Ботинок", "en_US")}}, headers=editor)
    assert updated.status_code == 204 and updated.headers["ETag"] == '"2"'
    got = client.get(f"{V}/products/boot-ł", headers=editor)
    assert got.json["values"]["name"] == value("Ботинок", "en_US")
    assert got.json["family"] == "shoes" and got.headers["ETag"] == '"2"'


def test_stale_if_match_gets_412_and_changes_nothing(client, catalog, editor):
    product(catalog, "shoe-1")
    etag = client.get(f"{V}/products/shoe-1", headers=editor).headers["ETag"]
    fresh = client.patch(f"{V}/products/shoe-1", json={"enabled": False},
                         headers={**editor, "If-Match": etag})
    assert fresh.status_code == 204
    before = client.get(f"{V}/products/shoe-1", headers=editor).json
    stale = client.patch(f"{V}/products/shoe-1", json={
        "values": {"name": value("Late edit", "en_US")}}, headers={**editor, "If-Match": etag})
    assert stale.status_code == 412
    assert stale.json["code"] == 412 and "changed by someone else" in stale.json["message"]
    assert client.get(f"{V}/products/shoe-1", headers=editor).json == before
    gone = client.delete(f"{V}/products/shoe-1", headers={**editor, "If-Match": etag})
    assert gone.status_code == 412
    assert client.get(f"{V}/products/shoe-1", headers=editor).status_code == 200


def test_collection_patch_lands_good_lines_and_reports_bad_ones(client, catalog, editor):
    product(catalog, "keep-1")
    untouched = client.get(f"{V}/products/keep-1", headers=editor).json
    lines = [
        json.dumps({"identifier": "new-1", "family": "shoes"}),
        json.dumps({"identifier": "new-2", "family": "no_such_family"}),
        "{not json",
        json.dumps({"family": "shoes"}),
        json.dumps({"identifier": "new-3", "values": {"name": value("Ψ", "en_US")},
                    "unknown": 1}),
        json.dumps({"identifier": "new-4", "family": "accessories"}),
    ]
    response = client.patch(f"{V}/products", headers=editor, **collection(lines))
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.akeneo.collection+json"
    report = [json.loads(line) for line in response.get_data(as_text=True).split("\n")]
    assert [(r["line"], r["status_code"]) for r in report] == [
        (1, 201), (2, 422), (3, 400), (4, 422), (5, 422), (6, 201)]
    assert report[1]["identifier"] == "new-2" and report[1]["errors"][0]["property"] == "family"
    assert report[4]["errors"] == [{"property": "unknown",
                                    "message": "Property 'unknown' does not exist."}]
    listed = client.get(f"{V}/products?limit=100", headers=editor).json["_embedded"]["items"]
    assert sorted(p["identifier"] for p in listed) == ["keep-1", "new-1", "new-4"]
    assert client.get(f"{V}/products/keep-1", headers=editor).json == untouched


def test_collection_of_more_than_100_lines_is_refused(client, catalog, editor):
    lines = [json.dumps({"identifier": f"p-{i}"}) for i in range(101)]
    response = client.patch(f"{V}/products", headers=editor, **collection(lines))
    assert response.status_code == 413
    assert response.json["message"] == "Too many resources to process, 100 is the maximum " \
                                       "allowed."
    assert client.get(f"{V}/products", headers=editor).json["_embedded"]["items"] == []


@pytest.mark.parametrize("kwargs, status, message", [
    ({"data": "{oops", "content_type": "application/json"}, 400,
     "Invalid json message received"),
    ({"data": "{}", "content_type": "text/plain"}, 415, "'text/plain' in 'Content-type'"),
    ({"data": "{}"}, 415, "The 'Content-type' header is missing"),
    ({"json": {"identifier": "x", "colour": "red", "enabled": "yes"}}, 422,
     "Validation failed."),
    ({"json": ["not", "an", "object"]}, 422, "Validation failed."),
])
def test_bad_requests(client, editor, kwargs, status, message):
    response = client.post(f"{V}/products", headers=editor, **kwargs)
    assert response.status_code == status
    assert response.json["code"] == status and response.json["message"].startswith(message)


def test_422_lists_every_field(client, editor):
    response = client.post(f"{V}/products", headers=editor, json={
        "identifier": "x", "colour": "red", "enabled": "yes"})
    assert sorted(e["property"] for e in response.json["errors"]) == ["colour", "enabled"]
    domain = client.post(f"{V}/products", headers=editor, json={
        "identifier": "x", "family": "shoes", "values": {"stock": value(-5),
                                                        "nope": value(1)}})
    assert domain.status_code == 422
    assert {e.get("attribute") for e in domain.json["errors"]} == {"stock", "nope"}


def test_body_over_the_cap_gets_413(app, client, editor):
    app.config["MAX_CONTENT_LENGTH"] = 200
    response = client.post(f"{V}/products", headers=editor,
                           json={"identifier": "x" * 300})
    assert response.status_code == 413 and response.json["code"] == 413


def test_existing_identifier_on_post_is_422(client, catalog, editor):
    product(catalog, "dup-1")
    response = client.post(f"{V}/products", headers=editor, json={"identifier": "dup-1"})
    assert response.status_code == 422
    assert response.json["errors"][0]["property"] == "identifier"


def test_page_limit_cap(client, editor):
    response = client.get(f"{V}/products?limit=101", headers=editor)
    assert response.status_code == 422
    assert response.json == {"code": 422, "message": "You cannot request more than 100 items."}
    assert client.get(f"{V}/products?limit=0", headers=editor).status_code == 422


def test_search_after_pages_through_everything_once(client, catalog, editor):
    for n in range(7):
        s.create_product(catalog, {"identifier": f"p-{n}", "family": "accessories"},
                         author="t")
    url = f"{V}/products?pagination_type=search_after&limit=3&with_count=true"
    seen, pages = [], 0
    while url:
        body = client.get(url, headers=editor).json
        assert body["items_count"] == 7
        seen += [item["identifier"] for item in body["_embedded"]["items"]]
        url = body["_links"].get("next", {}).get("href")
        pages += 1
    assert seen == [f"p-{n}" for n in range(7)] and pages == 3


def test_offset_pages_have_links(client, catalog, editor):
    for n in range(5):
        s.create_product(catalog, {"identifier": f"p-{n}"}, author="t")
    body = client.get(f"{V}/products?page=2&limit=2&with_count=true", headers=editor).json
    assert body["current_page"] == 2 and body["items_count"] == 5
    assert [i["identifier"] for i in body["_embedded"]["items"]] == ["p-2", "p-3"]
    assert set(body["_links"]) == {"self", "first", "previous", "next"}
    assert "page=3" in body["_links"]["next"]["href"]
    last = client.get(f"{V}/products?page=3&limit=2", headers=editor).json
    assert "next" not in last["_links"] and "items_count" not in last


def test_narrowing_values_by_scope_locales_attributes(client, catalog, editor):
    product(catalog, "shoe-1", values={
        "name": value("Shoe", "en_US") + value("Chaussure", "fr_FR"),
        "description": value("<p>Web</p>", "en_US", "ecommerce") + value("<p>App</p>", "en_US",
                                                                         "mobile"),
        "stock": value(3)})
    body = client.get(f"{V}/products/shoe-1?scope=mobile&locales=fr_FR", headers=editor).json
    assert body["values"]["name"] == value("Chaussure", "fr_FR")
    assert "description" not in body["values"] and body["values"]["stock"] == value(3)
    only = client.get(f"{V}/products/shoe-1?attributes=stock", headers=editor).json
    assert list(only["values"]) == ["stock"]
    bad = client.get(f"{V}/products/shoe-1?scope=print", headers=editor)
    assert bad.status_code == 422 and bad.json["message"] == 'Scope "print" does not exist.'
