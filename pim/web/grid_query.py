"""What the product grid asks for, and how it is answered: by the search index when search
is on (full text, facets, sorting, counts), else by the catalog's list service (keyset pages).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from pim.catalog.queries import count_products, find_products, parse_search

PER_PAGE_CHOICES = (25, 50, 100)
UPDATED_CHOICES = {"1": 1, "7": 7, "30": 30, "365": 365}
SORTS = ("identifier", "-identifier", "updated", "-updated", "complete", "-complete",
         "relevance")
FACETS = ("family", "category", "enabled", "status")


@dataclass
class GridQuery:
    """The grid's filters, sort and page, read from the query string."""

    q: str = ""
    families: list[str] = field(default_factory=list)
    category: str = ""
    channel: str = ""
    locale: str = ""
    complete: str = ""  # "", "yes" or "no"
    enabled: str = ""  # "", "yes" or "no"
    status: str = ""
    updated: str = ""  # "", or a number of days
    sort: str = ""
    page: int = 1
    per_page: int = 25
    after: int = 0

    @classmethod
    def from_args(cls, args: MultiDict) -> GridQuery:
        """Read the grid's arguments, ignoring values it does not know."""
        per_page = args.get("per_page", type=int) or 25
        return cls(
            q=(args.get("q") or "").strip()[:500],
            families=[f for f in args.getlist("family") if f],
            category=args.get("category", ""),
            channel=args.get("channel", ""),
            locale=args.get("locale", ""),
            complete=args.get("complete", "") if args.get("complete") in ("yes", "no") else "",
            enabled=args.get("enabled", "") if args.get("enabled") in ("yes", "no") else "",
            status=args.get("status", ""),
            updated=args.get("updated", "") if args.get("updated") in UPDATED_CHOICES else "",
            sort=args.get("sort", "") if args.get("sort") in SORTS else "",
            page=max(1, args.get("page", type=int) or 1),
            per_page=per_page if per_page in PER_PAGE_CHOICES else 25,
            after=max(0, args.get("after", type=int) or 0),
        )


@dataclass
class GridResult:
    """One page of product ids, the total, facet counts and what the grid can offer."""

    identifiers: list[str]
    total: int
    products: list[Any] | None = None
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    has_more: bool = False
    next_after: int | None = None
    suggestion: str | None = None
    full_text: bool = True
    sortable: bool = True


def search_on(app: Flask) -> bool:
    """Tell whether the index is kept current, so the grid may search through it."""
    return bool(app.config.get("SEARCH_ENABLED")) and "prism.search" in app.extensions


def run_grid(app: Flask, db: Session, query: GridQuery, channel: Any) -> GridResult:
    """Answer the grid query through the search index, or through the database."""
    if search_on(app):
        return _through_index(app, db, query, channel)
    return _through_database(db, query, channel)


def _through_index(app: Flask, db: Session, query: GridQuery, channel: Any) -> GridResult:
    from pim.search import search_index, search_products

    filters: dict[str, Any] = {}
    if query.families:
        filters["family"] = query.families
    if query.category:
        filters["category"] = query.category
    if query.enabled:
        filters["enabled"] = query.enabled == "yes"
    if query.status:
        filters["status"] = query.status
    if query.updated:
        import datetime as dt

        since = dt.date.today() - dt.timedelta(days=UPDATED_CHOICES[query.updated])
        filters["updated"] = {"min": since.isoformat()}
    text = query.q
    if query.complete and channel is not None:
        text, extra = _completeness_terms(query, channel, text)
        filters.update(extra)
    result = search_products(
        search_index(app), text, filters=filters, facets=FACETS, sort=_index_sort(query, channel),
        page=query.page, per_page=query.per_page, session=db)
    more = query.page * query.per_page < result.total
    return GridResult([hit.identifier for hit in result.hits], result.total,
                      facets=result.facets, has_more=more, suggestion=result.suggestion)


def _completeness_terms(query: GridQuery, channel: Any, text: str) -> tuple[str, dict]:
    locales = [query.locale] if query.locale in channel.locales else list(channel.locales)
    fields = [f"complete_{channel.code}_{locale}" for locale in locales]
    if query.complete == "yes":
        return text, {name: {"min": 100} for name in fields}
    if len(fields) == 1:
        return text, {fields[0]: {"max": 99}}
    # incomplete in any locale: an OR the filter mapping cannot say, so say it as a query
    alternatives = " OR ".join(f"{name}:[0 TO 99]" for name in fields)
    return (f"({text}) AND ({alternatives})" if text else f"({alternatives})"), {}


def _index_sort(query: GridQuery, channel: Any) -> str:
    sort = query.sort or ("relevance" if query.q else "identifier")
    if sort.lstrip("-") == "complete":
        if channel is None:
            return "identifier"
        locale = query.locale if query.locale in channel.locales else channel.locales[0]
        return sort.replace("complete", f"complete_{channel.code}_{locale}")
    return sort


def _through_database(db: Session, query: GridQuery, channel: Any) -> GridResult:
    search: dict[str, list[dict[str, Any]]] = {}
    if query.q:
        search["identifier"] = [{"operator": "CONTAINS", "value": query.q}]
    if query.families:
        search["family"] = [{"operator": "IN", "value": query.families}]
    if query.category:
        search["categories"] = [{"operator": "IN CHILDREN", "value": [query.category]}]
    if query.enabled:
        search["enabled"] = [{"operator": "=", "value": query.enabled == "yes"}]
    if query.status:
        search["status"] = [{"operator": "=", "value": query.status}]
    if query.updated:
        search["updated"] = [{"operator": "SINCE LAST N DAYS",
                              "value": UPDATED_CHOICES[query.updated]}]
    if query.complete and channel is not None:
        search["completeness"] = [_completeness_filter(query, channel)]
    conditions = parse_search(db, search)
    page = find_products(db, conditions, after=query.after, limit=query.per_page)
    return GridResult([p.identifier for p in page.items], count_products(db, conditions),
                      products=page.items, has_more=page.has_more, next_after=page.next_after,
                      full_text=False, sortable=False)


def load_products(db: Session, identifiers: list[str]) -> list[Any]:
    """Load products by identifier, in the order given."""
    if not identifiers:
        return []
    conditions = parse_search(db, {"identifier": [{"operator": "IN", "value": identifiers}]})
    found = {p.identifier: p for p in find_products(db, conditions, limit=len(identifiers)).items}
    return [found[i] for i in identifiers if i in found]


def _completeness_filter(query: GridQuery, channel: Any) -> dict[str, Any]:
    locales = [query.locale] if query.locale in channel.locales else list(channel.locales)
    if query.complete == "yes":
        return {"operator": "GREATER OR EQUALS THAN ON ALL LOCALES", "value": 100,
                "scope": channel.code, "locales": locales}
    return {"operator": "<", "value": 100, "scope": channel.code, "locales": locales}
