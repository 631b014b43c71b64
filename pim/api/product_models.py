"""Product models, as Akeneo's /product-models."""

from __future__ import annotations

from typing import Any

from flask import Response

from pim import get_session
from pim.api import http
from pim.api.blueprint import api, endpoint
from pim.api.collection import patch_collection
from pim.api.content import list_entities, narrowed, narrowing, stamp
from pim.api.errors import ApiError
from pim.api.paging import self_link
from pim.api.schemas.catalog import ProductModelIn, ProductModelOut
from pim.api.schemas.common import CollectionLine, OneQuery, ProductQuery, list_of
from pim.auth.roles import READ, WRITE_CONTENT
from pim.catalog import services as s
from pim.catalog.models import ProductModel
from pim.errors import NotFound

TAG = "Product models"
OUT = ProductModelOut()
ModelPage = list_of(ProductModelOut, "ProductModel")
WRITE_ERRORS = {400: "Malformed JSON", 412: "If-Match names a stale version",
                415: "Wrong content type", 422: "Invalid data"}


def render(model: ProductModel, narrow: dict[str, Any] | None = None) -> dict[str, Any]:
    """Dump a product model with its self link, narrowed when asked."""
    data = s.dump_product_model(model)
    data["_links"] = self_link("api.get_product_model", code=model.code)
    return OUT.dump(narrowed(data, narrow or {}))


@api.get("/product-models")
@endpoint("List product models", tag=TAG, action=READ, query=ProductQuery,
          responses={200: ModelPage, 422: "Bad filter or page"})
def list_product_models() -> Response:
    return http.ok(list_entities(get_session(), "product_model", render))


@api.get("/product-models/<code>")
@endpoint("Get a product model", tag=TAG, action=READ, query=OneQuery,
          responses={200: ProductModelOut, 404: "Unknown product model", 422: "Bad narrowing"})
def get_product_model(code: str) -> Response:
    session = get_session()
    narrow = narrowing(session)
    model = s.get_product_model(session, code)
    return http.with_etag(http.ok(render(model, narrow)), model.version)


@api.post("/product-models")
@endpoint("Create a product model", tag=TAG, action=WRITE_CONTENT, body=ProductModelIn,
          responses={201: None, **WRITE_ERRORS})
def create_product_model() -> Response:
    data = http.json_body(ProductModelIn)
    model = s.create_product_model(get_session(), data, **stamp())
    return http.with_etag(http.created("api.get_product_model", code=model.code), model.version)


def upsert(data: dict[str, Any], expected: int | None = None, *, commit: bool = True
           ) -> tuple[int, ProductModel]:
    """Create or patch the product model named in `data`."""
    session = get_session()
    try:
        s.get_product_model(session, data["code"])
    except NotFound:
        return 201, s.create_product_model(session, data, commit=commit, **stamp())
    model = s.update_product_model(session, data["code"], data, expected_version=expected,
                                   commit=commit, **stamp())
    return 204, model


@api.patch("/product-models/<code>")
@endpoint("Update or create a product model", tag=TAG, action=WRITE_CONTENT,
          body=ProductModelIn, responses={201: None, 204: None, **WRITE_ERRORS})
def patch_product_model(code: str) -> Response:
    data = http.json_body(ProductModelIn)
    if data.get("code", code) != code:
        raise ApiError(422, f'The code "{data["code"]}" provided in the request body must '
                            f'match the code "{code}" provided in the url.')
    status, model = upsert(data | {"code": code}, http.expected_version())
    reply = http.created if status == 201 else http.updated
    return http.with_etag(reply("api.get_product_model", code=code), model.version)


@api.patch("/product-models")
@endpoint("Update or create several product models", tag=TAG, action=WRITE_CONTENT,
          body=ProductModelIn, body_type=http.COLLECTION,
          responses={200: CollectionLine, 413: "More than 100 lines", 415: "Wrong content type"})
def patch_product_models() -> Response:
    def handle(data: dict[str, Any]) -> int:
        http.check(ProductModelIn, data)
        return upsert(data, commit=False)[0]

    return patch_collection("code", handle)


@api.delete("/product-models/<code>")
@endpoint("Delete a product model without variants (to the trash)", tag=TAG,
          action=WRITE_CONTENT, responses={204: None, 404: "Unknown", 412: "Stale If-Match",
                                            422: "Still has variants"})
def delete_product_model(code: str) -> Response:
    session = get_session()
    model = s.get_product_model(session, code)
    expected = http.expected_version()
    if expected is not None and expected != model.version:
        raise ApiError(412, f"product model {code!r} was changed by someone else: you have "
                            f"version {expected}, the current version is {model.version}")
    s.delete_product_model(session, code, author=stamp()["author"])
    return http.no_content()
