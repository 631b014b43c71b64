"""Products by uuid, as Akeneo 7's /products-uuid: the identifier is the SKU value."""

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
from pim.api.products import WRITE_ERRORS
from pim.api.schemas.catalog import ProductIn, ProductOut
from pim.api.schemas.common import CollectionLine, OneQuery, ProductQuery, list_of
from pim.auth.roles import READ, WRITE_CONTENT
from pim.catalog import queries
from pim.catalog import services as s
from pim.catalog.documents import ProductDocument
from pim.catalog.models import Product
from pim.catalog.structure_cache import structure
from pim.errors import NotFound
from pim.uuids import uuid7

TAG = "Products by uuid"
UuidPage = list_of(ProductOut, "ProductUuid")


def render(product: ProductDocument, narrow: dict[str, Any] | None = None) -> dict[str, Any]:
    """Dump a product as /products-uuid does (no identifier property), as `products.render`."""
    data = {key: value for key, value in product.data.items() if key != "identifier"}
    data["_links"] = item_link("api.get_product_uuid", "uuid", product.uuid)
    return narrowed(data, narrow or {})


def _find(uuid: str) -> ProductDocument:
    condition = queries.Condition("uuid", "IN", [uuid])
    for product in queries.find_product_documents(get_session(), [condition], limit=1).items:
        return product
    raise NotFound("product", uuid)


def _by_uuid(uuid: str) -> list[Product]:
    condition = queries.Condition("uuid", "IN", [uuid])
    return queries.find_products(get_session(), [condition], limit=1).items


def _with_identifier(data: dict[str, Any], current: Product | None) -> dict[str, Any]:
    """Read the identifier from the identifier attribute's value, as Akeneo 7 does."""
    ident = structure(get_session()).identifier_attribute
    entries = (data.get("values") or {}).get(ident.code) if ident else None
    if isinstance(entries, list) and entries and isinstance(entries[0], dict):
        identifier = entries[0].get("data")
    else:
        identifier = current.identifier if current else None
    if not isinstance(identifier, str) or not identifier:
        raise ApiError(422, "Validation failed.", [{"property": "values", "message":
                       "a product needs its identifier value (the SKU attribute)"}])
    return {k: v for k, v in data.items() if k != "uuid"} | {"identifier": identifier}


def upsert(uuid: str, data: dict[str, Any], *, commit: bool = True) -> tuple[int, Product]:
    """Create (with this uuid) or patch the product `uuid`."""
    session = get_session()
    current = next(iter(_by_uuid(uuid)), None)
    check_approval(data, current.status if current else None)
    payload = _with_identifier(data, current)
    if current is None:
        product = s.create_product(session, payload, commit=False, **stamp())
        product.uuid = uuid
        session.flush()
        if commit:
            session.commit()
        return 201, product
    return 204, s.update_product(session, current.identifier, payload,
                                 expected_version=http.expected_version() if commit else None,
                                 commit=commit, **stamp())


@api.get("/products-uuid")
@endpoint("List products (by uuid)", tag=TAG, action=READ, query=ProductQuery,
          responses={200: UuidPage, 422: "Bad filter or page"})
def list_products_uuid() -> Response:
    return http.ok(list_entities(get_session(), "product", render))


@api.get("/products-uuid/<uuid>")
@endpoint("Get a product by uuid", tag=TAG, action=READ, query=OneQuery,
          responses={200: ProductOut, 404: "Unknown product", 422: "Bad narrowing"})
def get_product_uuid(uuid: str) -> Response:
    narrow = narrowing(get_session())
    product = _find(uuid)
    return http.with_etag(http.ok(render(product, narrow)), product.version)


@api.post("/products-uuid")
@endpoint("Create a product (by uuid)", tag=TAG, action=WRITE_CONTENT, body=ProductIn,
          responses={201: None, **WRITE_ERRORS})
def create_product_uuid() -> Response:
    data = http.json_body(ProductIn)
    wanted = data.get("uuid") or uuid7()
    if next(iter(_by_uuid(wanted)), None) is not None:
        raise ApiError(422, "Validation failed.", [{"property": "uuid", "message":
                       f"product {wanted!r} already exists"}])
    _, product = upsert(wanted, data)
    return http.created("api.get_product_uuid", uuid=product.uuid)


@api.patch("/products-uuid/<uuid>")
@endpoint("Update or create a product (by uuid)", tag=TAG, action=WRITE_CONTENT,
          body=ProductIn, responses={201: None, 204: None, **WRITE_ERRORS})
def patch_product_uuid(uuid: str) -> Response:
    data = http.json_body(ProductIn)
    if data.get("uuid", uuid) != uuid:
        raise ApiError(422, f'The uuid "{data["uuid"]}" provided in the request body must '
                            f'match the uuid "{uuid}" provided in the url.')
    status, product = upsert(uuid, data)
    reply = http.created if status == 201 else http.updated
    return http.with_etag(reply("api.get_product_uuid", uuid=uuid), product.version)


@api.patch("/products-uuid")
@endpoint("Update or create several products (by uuid)", tag=TAG, action=WRITE_CONTENT,
          body=ProductIn, body_type=http.COLLECTION,
          responses={200: CollectionLine, 413: "More than 100 lines", 415: "Wrong content type"})
def patch_products_uuid() -> Response:
    def handle(data: dict[str, Any]) -> int:
        http.check(ProductIn, data)
        return upsert(data["uuid"], data, commit=False)[0]

    return patch_collection("uuid", handle)


@api.delete("/products-uuid/<uuid>")
@endpoint("Delete a product by uuid (to the trash)", tag=TAG, action=WRITE_CONTENT,
          responses={204: None, 404: "Unknown product"})
def delete_product_uuid(uuid: str) -> Response:
    product = _find(uuid)
    s.delete_product(get_session(), product.identifier, author=stamp()["author"])
    return http.no_content()
