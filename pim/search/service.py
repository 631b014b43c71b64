"""Search products: full text, filters, facets, sorting, suggestions, checked against the DB."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from pim.catalog.models import Product
from pim.errors import FieldError, ValidationError
from pim.search.facets import Matched, facet_counts, match, top_hits
from pim.search.query import (
    SortOrder,
    combine,
    filter_query,
    parse_text,
    resolve_field,
    sort_order,
    text_fields,
)
from pim.search.store import SearchIndex, SearchUnavailable
from pim.search.suggest import suggestion

MAX_PER_PAGE = 1000
# "did you mean" is offered when a search finds this many products or fewer
SUGGEST_UP_TO = 3


@dataclass(frozen=True)
class Hit:
    """One product found: its identifier, database id, score and stored fields."""

    identifier: str
    id: int
    score: float | None
    fields: dict[str, Any]


@dataclass(frozen=True)
class SearchResult:
    """A page of hits, the total, facet counts and a 'did you mean' suggestion."""

    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    suggestion: str | None = None
    page: int = 1
    per_page: int = 25


def search_products(
    index: SearchIndex, query: str = "", *, filters: Mapping[str, Any] | None = None,
    facets: Sequence[str] = (), sort: str | None = "relevance", page: int = 1,
    per_page: int = 25, locale: str | None = None, session: Session | None = None,
) -> SearchResult:
    """Find products matching `query` and `filters`; count `facets`; one page, sorted."""
    _check_paging(page, per_page)
    order = sort_order(sort)
    facet_fields = {name: resolve_field(name, what="facets") for name in facets}
    with index.searcher() as searcher:
        fields = text_fields(searcher.reader().indexed_field_names(), locale)
        wanted = _query(searcher, query, filters, locale)
        matched = match(index.segments, searcher, wanted)
        total = sum(item.count for item in matched)
        counts = {name: facet_counts(index.segments, matched, fieldname)
                  for name, fieldname in facet_fields.items()}
        hits = _page(index, searcher, matched, order, page, per_page,
                     has_text=bool((query or "").strip()))
        hint = (suggestion(searcher, query, fields)
                if (query or "").strip() and total <= SUGGEST_UP_TO else None)
    hits, gone = _only_existing(index, hits, session)
    return SearchResult(total=total - gone, hits=hits, facets=counts, suggestion=hint,
                        page=page, per_page=per_page)


def matching_ids(index: SearchIndex, query: str = "", *,
                 filters: Mapping[str, Any] | None = None, locale: str | None = None
                 ) -> list[int]:
    """Return the ids of every product matching `query` and `filters`, ascending.

    For faces that filter a database query by a search (the API's product list `q`);
    the ids come from the index, so a product saved a moment ago may still be missing.
    """
    with index.searcher() as searcher:
        wanted = _query(searcher, query, filters, locale)
        found: list[np.ndarray] = []
        for item in match(index.segments, searcher, wanted):
            docs = np.flatnonzero(item.match.mask)
            found.append(index.segments.column(item.leaf, "id")[docs])
    ids = np.concatenate(found) if found else np.zeros(0, dtype=object)
    return sorted(int(key) for key in ids)


def _query(searcher: Any, query: str, filters: Mapping[str, Any] | None,
           locale: str | None) -> Any:
    indexed = list(searcher.reader().indexed_field_names())
    text = parse_text(searcher.schema, query or "", text_fields(indexed, locale), indexed)
    return combine(text, [filter_query(searcher.schema, name, value)
                          for name, value in (filters or {}).items()])


def _check_paging(page: Any, per_page: Any) -> None:
    errors = []
    if isinstance(page, bool) or not isinstance(page, int) or page < 1:
        errors.append(FieldError("page", "page is a whole number from 1", value=page))
    if (isinstance(per_page, bool) or not isinstance(per_page, int)
            or not 1 <= per_page <= MAX_PER_PAGE):
        errors.append(FieldError("per_page", f"per_page is between 1 and {MAX_PER_PAGE}",
                                 value=per_page))
    if errors:
        raise ValidationError(errors)


def _page(index: SearchIndex, searcher: Any, matched: list[Matched], order: SortOrder,
          page: int, per_page: int, *, has_text: bool) -> list[Hit]:
    start, limit = (page - 1) * per_page, page * per_page
    if order.field is None and not has_text:
        order = SortOrder("identifier", False)  # nothing to rank by: a stable order
    found = top_hits(index.segments, matched, order.field, order.descending, limit)
    return [_hit(searcher, docnum, score) for docnum, score in found[start:limit]]


def _hit(searcher: Any, docnum: int, score: float | None) -> Hit:
    stored = dict(searcher.stored_fields(docnum))
    return Hit(identifier=stored["identifier"], id=int(stored["id"]), score=score,
               fields=stored)


def _only_existing(index: SearchIndex, hits: list[Hit], session: Session | None
                   ) -> tuple[list[Hit], int]:
    """Drop hits whose product is gone from the database (one query) and queue their removal."""
    if not hits:
        return hits, 0
    if session is None and index.sessions is None:
        raise SearchUnavailable("search needs a database session to check its hits")
    scope = nullcontext(session) if session is not None else index.sessions()
    with scope as db:
        ids = [hit.id for hit in hits]
        existing = set(db.scalars(select(Product.id).where(Product.id.in_(ids))))
    gone = [hit.id for hit in hits if hit.id not in existing]
    if gone and index.indexer is not None:
        index.indexer.submit(gone, [])
    return [hit for hit in hits if hit.id in existing], len(gone)
