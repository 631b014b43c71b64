"""Products read for the API without ORM objects: the same answers, in a fixed number of
statements whatever the page holds; links and JSON written the fast way, as before."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest
from flask import jsonify
from sqlalchemy import event

from pim.api import http
from pim.api.paging import item_link, self_link
from pim.api.schemas.catalog import ProductOut
from pim.catalog import documents
from pim.catalog import services as s
from pim.errors import NotFound
from tests.builders import product, value

V = "/api/rest/v1"
# past 64 bits: what orjson would read as a float; the number type keeps 30 digits
HUGE = 12345678901234567890123456789


@pytest.fixture()
def viewer(catalog, headers):
    return headers["viewer"]


def variants(session, count: int = 1) -> list[str]:
    """A root model, sub-models by colour and `count` variant products (two levels)."""
    s.create_product_model(session, {
        "code": "runner", "family_variant": "shoes_color_size", "categories": ["shoes"],
        "values": {"name": value("Runner", "en_US") + value("Coureur", "fr_FR"),
                   "price": value([{"amount": "99", "currency": "EUR"}])}}, author="ed")
    identifiers = []
    for n in range(count):
        color, size = ["red", "blue", "black"][n // 4], ["s", "m", "l", "xl"][n % 4]
        if n % 4 == 0:
            s.create_product_model(session, {"code": f"runner-{color}", "parent": "runner",
                                             "values": {"color": value(color)}}, author="ed")
        identifier = f"runner-{color}-{size}"
        s.create_product(session, {"identifier": identifier, "parent": f"runner-{color}",
                                   "categories": ["men", "master"],
                                   "values": {"size": value(size), "stock": value(n)}},
                         author="ed")
        identifiers.append(identifier)
    return identifiers


def test_documents_are_dump_product(session, catalog):
    variant = variants(session)[0]
    product(session, "shoe-ł", categories=["men", "master"], values={
        "name": value("Ботинок", "en_US"), "stock": value(HUGE),
        "price": value([{"amount": "10.50", "currency": "EUR"}])})
    s.create_product(session, {"identifier": "plain", "enabled": False}, author="ed")
    chosen = [s.get_product(session, code) for code in ("plain", variant, "shoe-ł")]
    found = documents.product_documents(session, [p.id for p in chosen] + [10**9])
    assert [doc.identifier for doc in found] == ["plain", variant, "shoe-ł"]
    for doc, entity in zip(found, chosen, strict=True):
        assert doc.data == s.dump_product(entity)
        assert (doc.id, doc.uuid, doc.version) == (entity.id, entity.uuid, entity.version)
        assert documents.product_document(session, entity.identifier) == doc
    assert found[1].data["values"]["color"] == value("red")
    assert found[1].data["values"]["name"][1]["data"] == "Coureur"
    assert found[2].data["values"]["stock"] == value(HUGE)
    assert documents.product_documents(session, []) == []
    with pytest.raises(NotFound):
        documents.product_document(session, "nope")


def test_answers_are_what_the_schema_dumps(client, catalog, viewer):
    variants(catalog, 2)
    product(catalog, "shoe-1", values={"stock": value(HUGE)})
    one = client.get(f"{V}/products/shoe-1", headers=viewer)
    assert one.status_code == 200 and one.headers["ETag"] == '"1"'
    assert ProductOut().dump(one.json) == one.json
    assert one.json["values"]["stock"] == value(HUGE) and str(HUGE) in one.get_data(True)
    listed = client.get(f"{V}/products?limit=100", headers=viewer).json["_embedded"]["items"]
    assert [item["identifier"] for item in listed] == ["runner-red-s", "runner-red-m", "shoe-1"]
    assert all(ProductOut().dump(item) == item for item in listed)
    assert listed[2] == one.json
    by_uuid = client.get(f"{V}/products-uuid?limit=100", headers=viewer).json
    items = by_uuid["_embedded"]["items"]
    assert all(ProductOut(exclude=("identifier",)).dump(i) == i for i in items)
    assert all("identifier" not in item for item in items)
    single = client.get(f"{V}/products-uuid/{one.json['uuid']}", headers=viewer)
    assert single.json == {k: v for k, v in one.json.items() if k != "identifier"} | {
        "_links": single.json["_links"]}
    assert single.headers["ETag"] == '"1"'


@pytest.mark.parametrize("identifier", ["shoe-1", "boot-ł", "a b+c", "Ψ%20&'()*,:;=@!$~"])
def test_item_links_are_what_url_for_builds(app, identifier):
    with app.test_request_context(f"{V}/products"):
        assert item_link("api.get_product", "identifier", identifier) == self_link(
            "api.get_product", identifier=identifier)
        assert item_link("api.get_product", "identifier", "second") == self_link(
            "api.get_product", identifier="second")


def statements_of(engine, client, url: str, headers: dict) -> int:
    """How many SQL statements one GET of `url` runs."""
    seen = []

    def note(*_args) -> None:
        seen.append(1)

    event.listen(engine, "before_cursor_execute", note)
    try:
        assert client.get(url, headers=headers).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return len(seen)


def test_statements_do_not_grow_with_the_page(engine, client, catalog, viewer):
    identifiers = variants(catalog, 12)
    product(catalog, "shoe-1")
    client.get(f"{V}/products/shoe-1", headers=viewer)  # notes the token's first use
    one_simple = statements_of(engine, client, f"{V}/products/shoe-1", viewer)
    one_variant = statements_of(engine, client, f"{V}/products/{identifiers[0]}", viewer)
    small = statements_of(engine, client, f"{V}/products?limit=2", viewer)
    full = statements_of(engine, client, f"{V}/products?limit=100", viewer)
    assert one_simple == one_variant
    assert small == full
    # the token, the product with its family and models, its categories, and the savepoint
    # the test's session opens and ends around a request; a page also reads its ids
    assert one_variant <= 5 and full <= 6


def test_json_answers_are_what_flask_writes(app):
    data = {"name": "Ботинок Ψ ł", "when": dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC),
            "day": dt.date(2026, 1, 2), "amount": Decimal("1.50"), "id": uuid.UUID(int=5),
            "stock": HUGE, "nested": [{"b": 1, "a": None}], "ratio": 0.5}
    with app.test_request_context():
        for answer in (data, {k: v for k, v in data.items() if k != "stock"}):
            fast = http.ok(answer, 201)
            assert fast.status_code == 201 and fast.mimetype == "application/json"
            assert json.loads(fast.get_data()) == json.loads(jsonify(answer).get_data())
