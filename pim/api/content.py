"""What product and product model routes share: listing, narrowing, approval, stamps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import request
from sqlalchemy.orm import Session

from pim.api.blueprint import principal
from pim.api.errors import ApiError
from pim.api.http import query_list
from pim.api.paging import Paging, cursor_envelope, page_envelope, paging, read_query
from pim.api.schemas.common import ProductQuery
from pim.auth.roles import APPROVE
from pim.catalog import queries
from pim.catalog.structure_cache import structure
from pim.errors import PermissionDenied


def stamp() -> dict[str, str]:
    """Who writes, from where."""
    return {"author": principal().username, "source": "api"}


def check_approval(data: Any, current_status: str | None) -> None:
    """Only reviewers and admins may move a product to "approved"."""
    if isinstance(data, dict) and data.get("status") == "approved" and (
            current_status != "approved") and not principal().can(APPROVE):
        raise PermissionDenied("Access forbidden. Approving a product needs the reviewer role.")


def narrowing(session: Session) -> dict[str, Any]:
    """Read `scope`, `locales` and `attributes`, refusing unknown codes (422)."""
    cache = structure(session)
    scope = request.args.get("scope") or None
    locales, attributes = query_list("locales"), query_list("attributes")
    if scope is not None and scope not in cache.channels:
        raise ApiError(422, f'Scope "{scope}" does not exist.')
    unknown = [code for code in locales or [] if code not in cache.locales]
    if unknown:
        raise ApiError(422, f'Locales "{", ".join(unknown)}" do not exist or are not '
                            "activated.")
    missing = [code for code in attributes or [] if cache.attribute(code) is None]
    if missing:
        raise ApiError(422, f'Attributes "{", ".join(missing)}" do not exist.')
    return {"scope": scope, "locales": locales, "attributes": attributes}


def narrowed(data: dict[str, Any], narrow: dict[str, Any]) -> dict[str, Any]:
    """Apply the narrowing to a dumped entity's values."""
    if any(narrow.values()):
        data["values"] = queries.narrow(data["values"], **narrow)
    return data


def cursor_of(raw: str | None) -> int:
    """Read a search_after cursor (an id); 0 starts at the beginning."""
    if raw in (None, ""):
        return 0
    if not raw.isdigit():
        raise ApiError(422, f"search_after {raw!r} is not a cursor this API gave; follow the "
                            "`next` link")
    return int(raw)


def list_entities(session: Session, entity: str, render: Callable[[Any, dict], dict]
                  ) -> dict[str, Any]:
    """Answer a product or product model list: filters, narrowing, either pagination."""
    args = read_query(ProductQuery)
    page = paging(args)
    narrow = narrowing(session)
    conditions = queries.parse_search(session, args.get("search"), entity=entity,
                                      search_locale=args.get("search_locale"),
                                      search_scope=args.get("search_scope"))
    if narrow["scope"]:
        conditions.append(queries.in_channel_tree(session, narrow["scope"]))
    find, count = ((queries.find_product_documents, queries.count_products)
                   if entity == "product"
                   else (queries.find_product_models, queries.count_product_models))
    return _envelope(session, page, conditions, find, count, narrow, render)


def _envelope(session: Session, page: Paging, conditions: list, find: Callable,
              count: Callable, narrow: dict, render: Callable) -> dict[str, Any]:
    def counted() -> int:
        return count(session, conditions)

    if page.by_cursor:
        found = find(session, conditions, after=cursor_of(page.search_after), limit=page.limit)
        items = [render(entity, narrow) for entity in found.items]
        cursor = str(found.next_after) if found.has_more else None
        return cursor_envelope(items, cursor, counted, page.with_count)
    found = find(session, conditions, offset=page.offset, limit=page.limit)
    items = [render(entity, narrow) for entity in found.items]
    return page_envelope(items, page, found.has_more, counted)
