"""From a shopper's query string, filters and sort to Whoosh queries.

Query syntax (Whoosh's): words (all must match), "quoted phrases", prefixes `shoe*`,
`OR`/`NOT`/parentheses, field filters `family:shoes category:men color:red`, ranges
`updated:[2026-01-01 TO]`, `complete_ecommerce_en_US:[100 TO]` or `...:>=100`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq
from whoosh.fields import BOOLEAN, DATETIME, NUMERIC, Schema
from whoosh.qparser import AndGroup, FieldAliasPlugin, GtLtPlugin, MultifieldParser

from pim.errors import FieldError, ValidationError
from pim.search.schema import (
    BASE_TEXT_FIELDS,
    COMPLETE_PREFIX,
    FACET_FIELDS,
    FIELD_NAME,
    SELECT_PREFIX,
    TEXT_PREFIX,
    text_field,
)

PLAIN_FIELDS = frozenset(FACET_FIELDS) | {"identifier", "updated", "created", "id"}
SORTABLE = frozenset({"identifier", "updated", "created"})
RANGE_KEYS = frozenset({"min", "max"})


def _invalid(field: str, message: str, value: Any = None) -> ValidationError:
    return ValidationError([FieldError(field, message, value=value)])


def resolve_field(name: Any, *, what: str = "filters") -> str:
    """Map a name a caller uses ('family', 'color', 'complete_mobile_en_US') to a field."""
    if not isinstance(name, str) or not FIELD_NAME.match(name):
        raise _invalid(what, f"{name!r} is not a field name (letters, digits, underscores)",
                       name)
    if name in PLAIN_FIELDS or name.startswith((COMPLETE_PREFIX, SELECT_PREFIX)):
        return name
    return SELECT_PREFIX + name


def text_fields(indexed: Iterable[str], locale: str | None) -> list[str]:
    """Return the fields a free-text query searches: one language, or all of them."""
    names = set(indexed)
    if locale:
        chosen = [text_field(locale)]
    else:
        chosen = sorted(n for n in names if n.startswith(TEXT_PREFIX))
    return [*BASE_TEXT_FIELDS, *(f for f in chosen if f not in BASE_TEXT_FIELDS)]


def parse_text(schema: Schema, text: str, fields: list[str], indexed: Iterable[str]
               ) -> wq.Query:
    """Parse the free-text part of a search; an empty string matches every product."""
    if not text.strip():
        return wq.Every()
    parser = MultifieldParser(fields, schema, group=AndGroup)
    aliases = {name: [name[len(SELECT_PREFIX):]] for name in indexed
               if name.startswith(SELECT_PREFIX) and name[len(SELECT_PREFIX):] not in schema}
    parser.add_plugin(FieldAliasPlugin(aliases))
    parser.add_plugin(GtLtPlugin())
    try:
        parsed = parser.parse(text, normalize=False)
    except Exception as exc:  # Whoosh raises bare Exceptions for unparseable dates
        raise _invalid("q", f"cannot read the search {text!r}: {exc}", text) from None
    problems = list(_errors(parsed))
    if problems:
        raise _invalid("q", f"cannot read the search {text!r}: {problems[0]}", text)
    return parsed.normalize()


def _errors(node: wq.Query) -> Iterable[str]:
    if getattr(node, "error", None):
        yield str(node.error)
    for child in node.children():
        yield from _errors(child)


def filter_query(schema: Schema, name: str, value: Any) -> wq.Query:
    """Turn one filter ({"family": "shoes"}, {"color": ["red", "blue"]}, ranges) to a query."""
    field = resolve_field(name)
    fieldtype = schema[field]
    if isinstance(value, Mapping):
        return _range(field, fieldtype, value)
    if isinstance(value, list | tuple | set | frozenset):
        if not value:
            raise _invalid(f"filters.{name}", "give at least one value", value)
        return wq.Or([_term(field, fieldtype, item, name) for item in value])
    return _term(field, fieldtype, value, name)


def _term(field: str, fieldtype: Any, value: Any, name: str) -> wq.Query:
    if isinstance(fieldtype, BOOLEAN):
        if not isinstance(value, bool):
            raise _invalid(f"filters.{name}", "must be true or false", value)
        return wq.Term(field, value)
    if isinstance(fieldtype, DATETIME | NUMERIC):
        return _range(field, fieldtype, {"min": value, "max": value})
    if not isinstance(value, str) or not value:
        raise _invalid(f"filters.{name}", "must be a code (a non-empty string)", value)
    return wq.Term(field, value)


def _range(field: str, fieldtype: Any, bounds: Mapping[str, Any]) -> wq.Query:
    unknown = set(bounds) - RANGE_KEYS
    if unknown or not bounds:
        raise _invalid(f"filters.{field}", 'a range is {"min": ..., "max": ...}', dict(bounds))
    low, high = bounds.get("min"), bounds.get("max")
    if isinstance(fieldtype, DATETIME):
        return wq.DateRange(field, _moment(field, low, False), _moment(field, high, True))
    if isinstance(fieldtype, NUMERIC):
        for bound in (low, high):
            if bound is not None and (isinstance(bound, bool) or not isinstance(bound, int)):
                raise _invalid(f"filters.{field}", "range bounds must be whole numbers", bound)
            if bound is not None and not fieldtype.min_value <= bound <= fieldtype.max_value:
                raise _invalid(f"filters.{field}", f"range bounds go from "
                               f"{fieldtype.min_value} to {fieldtype.max_value}", bound)
        return wq.NumericRange(field, low, high)
    raise _invalid(f"filters.{field}", "only dates and completeness take a range")


def _moment(field: str, value: Any, end: bool) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(
                value)
        except ValueError:
            raise _invalid(f"filters.{field}", "dates are ISO 8601 (2026-01-31)", value) from None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.date):
        day = dt.datetime.combine(value, dt.time.max if end else dt.time.min)
        return day
    raise _invalid(f"filters.{field}", "dates are ISO 8601 strings or dates", value)


@dataclass(frozen=True)
class SortOrder:
    """How hits are ordered: by relevance, or by a sortable field, either way."""

    field: str | None
    descending: bool


def sort_order(sort: str | None) -> SortOrder:
    """Read 'relevance', 'identifier', '-updated', 'complete_ecommerce_en_US' and so on."""
    spec = (sort or "relevance").strip()
    descending = spec.startswith("-")
    name = spec.lstrip("-+")
    if name in ("", "relevance", "score"):
        return SortOrder(None, True)
    if name in SORTABLE or (name.startswith(COMPLETE_PREFIX) and FIELD_NAME.match(name)):
        return SortOrder(name, descending)
    raise _invalid("sort", "sort by relevance, identifier, updated, created or "
                           "complete_<channel>_<locale> (prefix '-' for descending)", sort)


def combine(text_query: wq.Query, filters: list[wq.Query]) -> wq.Query:
    """Return the query that matches the text and every filter."""
    if not filters:
        return text_query
    parts = filters if isinstance(text_query, wq.Every) else [text_query, *filters]
    return parts[0] if len(parts) == 1 else wq.And(parts)
