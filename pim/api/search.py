"""Product search over the API: ranked hits, facet counts, and `q` for the product list.

`GET /search/products` and `GET /search/facets` answer from the search index (Prism's own
resources). `search_conditions` lets the Akeneo product list take `q` (full text, with
the index's field syntax) and `facet_filters` beside Akeneo's `search` filters.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, current_app, request
from marshmallow import Schema, fields, validate
from sqlalchemy import bindparam

from pim import get_session
from pim.api import http
from pim.api.blueprint import api, endpoint
from pim.api.errors import ApiError
from pim.api.paging import read_query
from pim.api.schemas.common import Loose
from pim.auth.roles import READ
from pim.catalog.models import Product
from pim.search import matching_ids, search_index, search_products

TAG = "Search"


class SearchQuery(Loose):
    """Parameters of a product search."""

    q = fields.String(load_default="", metadata={
        "description": 'words, "phrases", prefixes (shoe*), field filters (family:shoes '
                       "category:men color:red), ranges (updated:[2026-01-01 TO], "
                       "complete_ecommerce_en_US:[100 TO])"})
    facet_filters = fields.String(metadata={
        "description": 'JSON object: {"family": ["shoes"], "enabled": true, '
                       '"complete_mobile_en_US": {"min": 100}}'})
    facets = fields.String(load_default="", metadata={
        "description": "comma-separated fields to count: family, category, status, enabled, "
                       "parent, or a select attribute code"})
    locale = fields.String(metadata={"description": "search the text of this locale only"})


class SearchPageQuery(SearchQuery):
    sort = fields.String(load_default="relevance", metadata={
        "description": "relevance, identifier, updated, created or complete_<channel>_<locale>;"
                       " a leading '-' sorts descending"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1))


class SearchHit(Schema):
    identifier = fields.String(required=True)
    score = fields.Float(allow_none=True)
    family = fields.String(allow_none=True)
    parent = fields.String(allow_none=True)
    enabled = fields.Boolean()
    status = fields.String()
    updated = fields.String()


class SearchFacetsOut(Schema):
    total = fields.Integer(required=True)
    facets = fields.Dict(keys=fields.String(), values=fields.Dict(
        keys=fields.String(), values=fields.Integer()), required=True)
    suggestion = fields.String(allow_none=True)


class SearchHitsOut(SearchFacetsOut):
    page = fields.Integer(required=True)
    limit = fields.Integer(required=True)
    items = fields.List(fields.Nested(SearchHit), required=True)


def _facet_filters(raw: str | None) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        found = json.loads(raw)
    except ValueError:
        found = None
    if not isinstance(found, dict):
        raise ApiError(422, "Validation failed.", [
            {"property": "facet_filters", "message": "expected a JSON object"}])
    return found


def _names(raw: str) -> list[str]:
    return [name.strip() for name in raw.split(",") if name.strip()]


@api.get("/search/products")
@endpoint("Search products: ranked hits with facet counts", tag=TAG, action=READ,
          query=SearchPageQuery, responses={200: SearchHitsOut, 422: "Bad search"})
def search_hits() -> Response:
    args = read_query(SearchPageQuery)
    cap = int(current_app.config["API_PAGE_LIMIT"])
    if args["limit"] > cap:
        raise ApiError(422, f"You cannot request more than {cap} items.")
    result = search_products(
        search_index(), args["q"], filters=_facet_filters(args.get("facet_filters")),
        facets=_names(args["facets"]), sort=args["sort"], page=args["page"],
        per_page=args["limit"], locale=args.get("locale"), session=get_session())
    items = [{"identifier": hit.identifier, "score": hit.score,
              "family": hit.fields.get("family"), "parent": hit.fields.get("parent"),
              "enabled": hit.fields.get("enabled"), "status": hit.fields.get("status"),
              "updated": _iso(hit.fields.get("updated"))} for hit in result.hits]
    return http.ok({"total": result.total, "page": result.page, "limit": result.per_page,
                    "items": items, "facets": result.facets,
                    "suggestion": result.suggestion})


@api.get("/search/facets")
@endpoint("Count the products of a search per facet value", tag=TAG, action=READ,
          query=SearchQuery, responses={200: SearchFacetsOut, 422: "Bad search"})
def search_facets() -> Response:
    args = read_query(SearchQuery)
    result = search_products(
        search_index(), args["q"], filters=_facet_filters(args.get("facet_filters")),
        facets=_names(args["facets"]), per_page=1, locale=args.get("locale"),
        session=get_session())
    return http.ok({"total": result.total, "facets": result.facets,
                    "suggestion": result.suggestion})


def _iso(moment: Any) -> str | None:
    # the index keeps naive UTC times
    return moment.isoformat(timespec="seconds") + "+00:00" if moment else None


def search_conditions(args: dict[str, Any], entity: str) -> list[Any]:
    """Return SQL conditions for a list's `q` and `facet_filters` parameters (none if absent).

    Meant for the product list, beside Akeneo's `search` filters: the index answers which
    products match, the list keeps its own order and paging.
    """
    text = request.args.get("q", "")
    raw = request.args.get("facet_filters")
    if not text.strip() and not raw:
        return []
    if entity != "product":
        raise ApiError(422, "q and facet_filters apply to products only.")
    ids = matching_ids(search_index(), text, filters=_facet_filters(raw),
                       locale=args.get("search_locale"))
    # rendered as literals: a search may match more products than a statement takes parameters
    return [Product.id.in_(bindparam("search_ids", ids, expanding=True, literal_execute=True))]
