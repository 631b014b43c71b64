"""Products by identifier, as Akeneo's /products, plus their completeness."""

from __future__ import annotations

from typing import Any

from flask import Response

from pim import get_session
from pim.api import http
from pim.api.blueprint import api, endpoint
from pim.api.collection import patch_collection
from pim.api.content import check_approval, list_entities, narrowed, narrowing, stamp
from pim.api.errors import ApiError
from pim.api.paging import item_link
from pim.api.schemas.catalog import CompletenessList, ProductIn, ProductOut
from pim.api.schemas.common import CollectionLine, OneQuery, ProductQuery, list_of
from pim.auth.roles import READ, WRITE_CONTENT
from pim.catalog import services as s
from pim.catalog.documents import ProductDocument, product_document
from pim.catalog.models import Product
from pim.errors import NotFound

TAG = "Products"
ProductPage = list_of(ProductOut, "Product")
WRITE_ERRORS = {400: "Malformed JSON", 412: "If-Match names a stale version",
                415: "Wrong content type", 422: "Invalid data"}


def render(product: ProductDocument, narrow: dict[str, Any] | None = None) -> dict[str, Any]:
    """Dump a product with its self link, narrowed when asked.

    The document already has exactly the shape of `ProductOut` (the tests check that the
    schema's dump of every answer is the answer itself), so it is not dumped again: on a
    page of 100 products that would cost a fifth of the request.
    """
    data = product.data | {"_links": item_link("api.get_product", "identifier",
                                               product.identifier)}
    return narrowed(data, narrow or {})


@api.get("/products")
@endpoint("List products", tag=TAG, action=READ, query=ProductQuery,
          responses={200: ProductPage, 422: "Bad filter or page"})
def list_products() -> Response:
    return http.ok(list_entities(get_session(), "product", render))


@api.get("/products/<identifier>")
@endpoint("Get a product", tag=TAG, action=READ, query=OneQuery,
          responses={200: ProductOut, 404: "Unknown product", 422: "Bad narrowing"})
def get_product(identifier: str) -> Response:
    session = get_session()
    narrow = narrowing(session)
    product = product_document(session, identifier)
    return http.with_etag(http.ok(render(product, narrow)), product.version)


@api.post("/products")
@endpoint("Create a product", tag=TAG, action=WRITE_CONTENT, body=ProductIn,
          responses={201: None, **WRITE_ERRORS})
def create_product() -> Response:
    data = http.json_body(ProductIn)
    check_approval(data, None)
    product = s.create_product(get_session(), data, **stamp())
    created = http.created("api.get_product", identifier=product.identifier)
    return http.with_etag(created, product.version)


@api.patch("/products/<identifier>")
@endpoint("Update or create a product", tag=TAG, action=WRITE_CONTENT, body=ProductIn,
          responses={201: None, 204: None, **WRITE_ERRORS})
def patch_product(identifier: str) -> Response:
    data = http.json_body(ProductIn)
    if data.get("identifier", identifier) != identifier:
        raise ApiError(422, f'The identifier "{data["identifier"]}" provided in the request '
                            f'body must match the identifier "{identifier}" provided in the '
                            "url.")
    status, product = upsert(data | {"identifier": identifier}, http.expected_version())
    endpoint_ = http.created if status == 201 else http.updated
    reply = endpoint_("api.get_product", identifier=product.identifier)
    return http.with_etag(reply, product.version)


def find_product(identifier: str) -> Product | None:
    """Return the product `identifier`, or None."""
    try:
        return s.get_product(get_session(), identifier)
    except NotFound:
        return None


def upsert(data: dict[str, Any], expected: int | None = None, *, commit: bool = True
           ) -> tuple[int, Product]:
    """Create or patch the product named in `data`; return (201 or 204, product)."""
    session = get_session()
    current = find_product(data["identifier"])
    check_approval(data, current.status if current else None)
    if current is None:
        return 201, s.create_product(session, data, commit=commit, **stamp())
    product = s.update_product(session, current.identifier, data, expected_version=expected,
                               commit=commit, **stamp())
    return 204, product


@api.patch("/products")
@endpoint("Update or create several products", tag=TAG, action=WRITE_CONTENT, body=ProductIn,
          body_type=http.COLLECTION,
          responses={200: CollectionLine, 413: "More than 100 lines", 415: "Wrong content type"})
def patch_products() -> Response:
    def handle(data: dict[str, Any]) -> int:
        http.check(ProductIn, data)
        return upsert(data, commit=False)[0]

    return patch_collection("identifier", handle)


@api.delete("/products/<identifier>")
@endpoint("Delete a product (to the trash)", tag=TAG, action=WRITE_CONTENT,
          responses={204: None, 404: "Unknown product", 412: "Stale If-Match"})
def delete_product(identifier: str) -> Response:
    session = get_session()
    product = s.get_product(session, identifier)
    expected = http.expected_version()
    if expected is not None and expected != product.version:
        raise ApiError(412, f"product {identifier!r} was changed by someone else: you have "
                            f"version {expected}, the current version is {product.version}")
    s.delete_product(session, identifier, author=stamp()["author"])
    return http.no_content()


@api.get("/products/<identifier>/completeness")
@endpoint("Completeness of a product per channel and locale", tag=TAG, action=READ,
          responses={200: CompletenessList, 404: "Unknown product"})
def product_completeness(identifier: str) -> Response:
    session = get_session()
    product = s.get_product(session, identifier)
    channels = {c.id: c.code for c in s.list_channels(session)}
    rows = sorted(product.completeness, key=lambda r: (channels.get(r.channel_id, ""), r.locale))
    return http.ok(CompletenessList().dump({"identifier": identifier, "completenesses": [
        {"scope": channels.get(r.channel_id), "locale": r.locale, "data": r.ratio,
         "required": r.required, "missing": r.missing,
         "missing_attributes": list(r.missing_attributes)} for r in rows]}))
