"""List envelopes as Akeneo builds them: `_links`, `current_page`, `items_count`, `_embedded`."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from flask import current_app, g, request, url_for
from marshmallow import Schema
from marshmallow import ValidationError as SchemaError

from pim.api.errors import ApiError, field_errors


@dataclass(frozen=True)
class Paging:
    """The pagination a list request asks for."""

    page: int
    limit: int
    with_count: bool
    search_after: str | None = None
    by_cursor: bool = False
    args: dict[str, Any] | None = None

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


def read_query(schema: type[Schema]) -> dict[str, Any]:
    """Load the query string through `schema` (422 listing every bad parameter)."""
    try:
        args = schema().load(request.args.to_dict())
    except SchemaError as exc:
        raise ApiError(422, "Validation failed.", field_errors(exc.messages)) from None
    return args


def paging(args: dict[str, Any]) -> Paging:
    """Turn loaded list parameters into a Paging, refusing pages over the cap."""
    cap = current_app.config["API_PAGE_LIMIT"]
    if args["limit"] > cap:
        raise ApiError(422, f"You cannot request more than {cap} items.")
    by_cursor = args.get("pagination_type") == "search_after"
    return Paging(args["page"], args["limit"], args["with_count"], args.get("search_after"),
                  by_cursor)


def _link(**changes: Any) -> dict[str, str]:
    args = request.args.to_dict()
    args.update({k: v for k, v in changes.items() if v is not None})
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
    values = dict(request.view_args or {})
    return {"href": url_for(request.endpoint or "", _external=True, **values, **args)}


def page_envelope(items: Sequence[dict[str, Any]], page: Paging, has_next: bool,
                  count: Callable[[], int] | None = None) -> dict[str, Any]:
    """Wrap one page of items with offset links."""
    links = {"self": _link(), "first": _link(page=1)}
    if page.page > 1:
        links["previous"] = _link(page=page.page - 1)
    if has_next:
        links["next"] = _link(page=page.page + 1)
    body: dict[str, Any] = {"_links": links, "current_page": page.page}
    if page.with_count and count is not None:
        body["items_count"] = count()
    body["_embedded"] = {"items": list(items)}
    return body


def cursor_envelope(items: Sequence[dict[str, Any]], next_cursor: str | None,
                    count: Callable[[], int] | None = None, with_count: bool = False
                    ) -> dict[str, Any]:
    """Wrap one page of items with search-after links."""
    links = {"self": _link(), "first": _link(search_after=None)}
    if next_cursor is not None:
        links["next"] = _link(search_after=next_cursor)
    body: dict[str, Any] = {"_links": links}
    if with_count and count is not None:
        body["items_count"] = count()
    body["_embedded"] = {"items": list(items)}
    return body


def slice_page(entities: Sequence[Any], page: Paging) -> tuple[list[Any], bool]:
    """Cut one page out of a full list; tell whether another page follows."""
    chunk = list(entities[page.offset:page.offset + page.limit + 1])
    return chunk[:page.limit], len(chunk) > page.limit


def self_link(endpoint: str, **values: Any) -> dict[str, Any]:
    """The `_links` of one item."""
    return {"self": {"href": url_for(endpoint, _external=True, **values)}}


# a character no URL template holds, quoted as url_for quotes it
SLOT = "\ue000"
QUOTED_SLOT = quote(SLOT)
# what werkzeug's default converter leaves unquoted in a path segment
SEGMENT_SAFE = "!$&'()*+,/:;=@"
# values made only of characters `quote` keeps as they are (most identifiers) skip it
UNQUOTED = re.compile(f"[A-Za-z0-9_.~{re.escape(SEGMENT_SAFE)}-]*")


def item_link(endpoint: str, key: str, value: str) -> dict[str, Any]:
    """The `_links` of the item whose `key` is `value`, as `self_link` gives them.

    The URL is built once per request and endpoint, then filled per item: a page of 100
    items builds one URL, not 100.
    """
    templates = g.setdefault("prism_link_templates", {})
    parts = templates.get(endpoint)
    if parts is None:
        template = url_for(endpoint, _external=True, **{key: SLOT})
        parts = templates[endpoint] = template.split(QUOTED_SLOT, 1)
    segment = value if UNQUOTED.fullmatch(value) else quote(value, safe=SEGMENT_SAFE)
    return {"self": {"href": f"{parts[0]}{segment}{parts[1]}"}}
