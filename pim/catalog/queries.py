"""Read services for lists: products and product models found with Akeneo's `search`.

`parse_search` turns the `search` query parameter into checked conditions; `find_products`
and `find_product_models` return one page (keyset after an id, or an offset), and the
`count_*` functions count every match; `find_product_documents` returns a page of products
already in the API's shape, read without ORM objects. Property filters run in SQL;
attribute value filters run in SQL as a coarse prefilter where that is safe, then exactly
in Python on values merged over parent models, in batches (memory stays flat).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pim.catalog import documents, query_run
from pim.catalog import query_sql as q
from pim.catalog.models import Category, Family, Product, ProductModel
from pim.catalog.query_values import check_value, narrow
from pim.catalog.structure_cache import structure
from pim.catalog.types import Problem
from pim.errors import FieldError, ValidationError

__all__ = ["BadSearch", "Condition", "Page", "count_product_models", "count_products",
           "find_product_documents", "find_product_models", "find_products", "narrow",
           "parse_search"]

# a keyset page with value filters looks at this many rows at most, then hands a cursor
MAX_SCAN = 50_000
TEXT_OPS = ("=", "!=", "IN", "NOT IN", "STARTS WITH", "CONTAINS", "DOES NOT CONTAIN",
            "EMPTY", "NOT EMPTY")
DATE_OPS = ("=", "!=", "<", ">", "BETWEEN", "NOT BETWEEN", "SINCE LAST N DAYS")
CATEGORY_OPS = ("IN", "NOT IN", "IN OR UNCLASSIFIED", "IN CHILDREN", "NOT IN CHILDREN",
                "UNCLASSIFIED")
CODES_OPS = ("IN", "NOT IN", "EMPTY", "NOT EMPTY")
COMPLETENESS_OPS = ("<", "<=", "=", "!=", ">=", ">", *q.ALL_LOCALES)
MODEL_COMPLETENESS_OPS = ("AT LEAST COMPLETE", "AT LEAST INCOMPLETE", "ALL COMPLETE",
                          "ALL INCOMPLETE")
PROPERTIES = {
    "product": {"identifier": TEXT_OPS, "uuid": ("IN", "NOT IN"), "family": CODES_OPS,
                "categories": CATEGORY_OPS, "enabled": ("=", "!="),
                "status": ("=", "!=", "IN", "NOT IN"), "completeness": COMPLETENESS_OPS,
                "created": DATE_OPS, "updated": DATE_OPS, "groups": CODES_OPS,
                "parent": ("=", "IN", "EMPTY", "NOT EMPTY")},
    "product_model": {"code": TEXT_OPS, "identifier": TEXT_OPS, "family": CODES_OPS,
                      "family_variant": ("IN", "NOT IN"), "categories": CATEGORY_OPS,
                      "completeness": MODEL_COMPLETENESS_OPS, "created": DATE_OPS,
                      "updated": DATE_OPS, "parent": ("IN", "EMPTY", "NOT EMPTY")},
}
NO_VALUE = ("EMPTY", "NOT EMPTY", "UNCLASSIFIED", *MODEL_COMPLETENESS_OPS)


class BadSearch(ValidationError):
    """The `search` parameter is not JSON of the expected shape."""


@dataclass(frozen=True)
class Condition:
    """One checked filter: a property or attribute, an operator, a value, where."""

    field: str
    operator: str
    value: Any = None
    locale: str | None = None
    scope: str | None = None
    locales: tuple[str, ...] | None = None


@dataclass
class Page:
    """One page of entities, whether more follow, and the keyset cursor to the next."""

    items: list[Any]
    has_more: bool
    next_after: int | None


def parse_search(session: Session, raw: str | dict | None, *, entity: str = "product",
                 search_locale: str | None = None, search_scope: str | None = None
                 ) -> list[Condition]:
    """Check Akeneo's `search` JSON for products ("product") or models ("product_model")."""
    if raw in (None, "", {}):
        return []
    try:
        data = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        raise BadSearch([FieldError("search", "Search query parameter should be valid "
                                              "JSON.")]) from None
    if not isinstance(data, dict):
        raise BadSearch([FieldError("search", "search is an object of {property: "
                                              "[{operator, value}]}")])
    conditions, errors = [], []
    for name, filters in data.items():
        if not isinstance(filters, list) or not filters:
            errors.append(FieldError("search", f"filters on {name!r} must be a non-empty "
                                               "list of {operator, value}"))
            continue
        for item in filters:
            try:
                conditions.append(_condition(session, entity, name, item, search_locale,
                                             search_scope))
            except Problem as exc:
                errors.append(FieldError("search", str(exc), attribute=None))
    if errors:
        raise ValidationError(errors)
    return conditions


def _condition(session: Session, entity: str, name: str, item: Any, search_locale: str | None,
               search_scope: str | None) -> Condition:
    if not isinstance(item, dict) or not isinstance(item.get("operator"), str):
        raise Problem(f"each filter on {name!r} is an object with an operator")
    operator, value = item["operator"], item.get("value")
    locales = item.get("locales")
    if locales is not None and not (isinstance(locales, list) and all(
            isinstance(x, str) for x in locales)):
        raise Problem(f"locales of the filter on {name!r} must be a list of locale codes")
    if name in PROPERTIES[entity]:
        value = _property_value(session, entity, name, operator, value, item)
        return Condition(name, operator, value, item.get("locale"), item.get("scope"),
                         tuple(locales) if locales else None)
    return _value_condition(session, name, operator, value, item.get("locale", search_locale),
                            item.get("scope", search_scope))


def _property_value(session: Session, entity: str, name: str, operator: str, value: Any,
                    item: dict) -> Any:
    allowed = PROPERTIES[entity][name]
    if operator not in allowed:
        raise Problem(f'Filter on property "{name}" does not support operator "{operator}" '
                      f"(allowed: {', '.join(allowed)})")
    if operator in NO_VALUE:
        if name == "completeness":
            _channel(session, item.get("scope"))
        return None
    if name in ("created", "updated"):
        return _dates(operator, value)
    if name == "enabled":
        if not isinstance(value, bool):
            raise Problem("the enabled filter expects true or false")
        return value
    if name == "completeness":
        _channel(session, item.get("scope"))
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise Problem("the completeness filter expects a whole number from 0 to 100")
        return value
    if name == "parent" and operator == "=":
        return _text(value, name)
    if operator in ("IN", "NOT IN") or name == "categories":
        return _codes(session, name, value)
    return _text(value, name)


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise Problem(f"the filter on {name!r} expects a string")
    return value


def _codes(session: Session, name: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Problem(f"the filter on {name!r} expects a list of codes")
    model = {"family": Family, "categories": Category}.get(name)
    if model is not None:
        known = set(session.scalars(select(model.code).where(model.code.in_(value))))
        unknown = [v for v in value if v not in known]
        if unknown:
            label = "family" if name == "family" else "category"
            raise Problem(f"{label} {unknown[0]!r} does not exist")
    return value


def _channel(session: Session, scope: Any) -> Any:
    channel = structure(session).channels.get(scope) if isinstance(scope, str) else None
    if channel is None:
        raise Problem(f"the completeness filter needs an existing channel as scope, got "
                      f"{scope!r}")
    return channel


def parse_moment(value: Any) -> dt.datetime:
    """Read 'YYYY-MM-DD hh:mm:ss', ISO 8601 or a date into an aware UTC datetime."""
    if not isinstance(value, str):
        raise Problem(f"{value!r} is not a date-time (YYYY-MM-DD hh:mm:ss)")
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise Problem(f"{value!r} is not a date-time (YYYY-MM-DD hh:mm:ss)") from None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _dates(operator: str, value: Any) -> Any:
    if operator == "SINCE LAST N DAYS":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise Problem("SINCE LAST N DAYS expects a whole number of days")
        return value
    if operator in ("BETWEEN", "NOT BETWEEN"):
        if not isinstance(value, list) or len(value) != 2:
            raise Problem(f"{operator} expects two date-times")
        return (parse_moment(value[0]), parse_moment(value[1]))
    return parse_moment(value)


def _value_condition(session: Session, code: str, operator: str, value: Any,
                     locale: Any, scope: Any) -> Condition:
    cache = structure(session)
    attribute = cache.attribute(code)
    if attribute is None:
        raise Problem(f'Filter on property "{code}" is not supported: no such property or '
                      "attribute")
    if attribute.localizable and locale not in cache.locales:
        raise Problem(f"attribute {code!r} is localizable: give an enabled locale, not "
                      f"{locale!r}")
    if not attribute.localizable and locale is not None:
        raise Problem(f"attribute {code!r} is not localizable: give no locale")
    if attribute.scopable and scope not in cache.channels:
        raise Problem(f"attribute {code!r} is scopable: give an existing channel, not {scope!r}")
    if not attribute.scopable and scope is not None:
        raise Problem(f"attribute {code!r} is not scopable: give no scope")
    if attribute.type == "pim_catalog_identifier":
        if operator not in TEXT_OPS:
            raise Problem(f'Filter on "{code}" does not support operator "{operator}"')
        return Condition("identifier", operator, value if operator in NO_VALUE else (
            _codes(session, code, value) if operator in ("IN", "NOT IN") else _text(value, code)))
    return Condition(code, operator, check_value(attribute, operator, value), locale, scope)


def find_products(session: Session, conditions: list[Condition], *, after: int | None = None,
                  offset: int = 0, limit: int = 10) -> Page:
    """Return one page of matching products by id: after a keyset cursor (0 for the first
    page; value filters then look at a bounded number of rows), or at an offset."""
    return _find(session, Product, conditions, after, offset, limit)


def count_products(session: Session, conditions: list[Condition]) -> int:
    """Count the products matching every condition."""
    return query_run.count(session, query_run.compile_conditions(session, conditions, Product))


def find_product_models(session: Session, conditions: list[Condition], *,
                        after: int | None = None, offset: int = 0, limit: int = 10) -> Page:
    """Return one page of matching product models by id."""
    return _find(session, ProductModel, conditions, after, offset, limit)


def count_product_models(session: Session, conditions: list[Condition]) -> int:
    """Count the product models matching every condition."""
    compiled = query_run.compile_conditions(session, conditions, ProductModel)
    return query_run.count(session, compiled)


def find_product_documents(session: Session, conditions: list[Condition], *,
                           after: int | None = None, offset: int = 0, limit: int = 10) -> Page:
    """Return one page of matching products as `documents.ProductDocument`s."""
    return _find(session, Product, conditions, after, offset, limit,
                 load=documents.product_documents)


def _find(session: Session, model: type, conditions: list[Condition], after: int | None,
          offset: int, limit: int, load: Callable[[Session, list[int]], list[Any]] | None = None
          ) -> Page:
    compiled = query_run.compile_conditions(session, conditions, model)
    ids, more, cursor = query_run.page(session, compiled, after=after, offset=offset,
                                       limit=limit,
                                       max_scan=MAX_SCAN if after is not None else None)
    items = load(session, ids) if load else query_run.load(session, model, ids)
    return Page(items, more, cursor)


def in_channel_tree(session: Session, channel_code: str) -> Condition:
    """The condition of the `scope` list parameter: categorized in the channel's tree."""
    channel = structure(session).channels.get(channel_code)
    if channel is None:
        raise ValidationError([FieldError("scope", f'Scope "{channel_code}" does not exist.')])
    tree = channel.category_tree.code if channel.category_tree else None
    return Condition("categories", "IN CHILDREN", [tree] if tree else [])


REFERENCE_FILTERS = {
    "code": ("IN",), "type": ("IN",), "updated": (">",), "parent": ("=",),
    "is_root": ("=",), "enabled": ("=",),
}


def filter_reference(entities: list[Any], raw: str | None, allowed: tuple[str, ...]
                     ) -> list[Any]:
    """Filter reference data (attributes, families, categories...) with Akeneo's `search`."""
    if raw in (None, ""):
        return entities
    try:
        data = json.loads(raw)
    except ValueError:
        raise BadSearch([FieldError("search", "Search query parameter should be valid "
                                              "JSON.")]) from None
    if not isinstance(data, dict):
        raise BadSearch([FieldError("search", "search is an object of {property: "
                                              "[{operator, value}]}")])
    tests, errors = [], []
    for name, filters in data.items():
        for item in filters if isinstance(filters, list) else [None]:
            try:
                tests.append(_reference_test(name, item, allowed))
            except Problem as exc:
                errors.append(FieldError("search", str(exc)))
    if errors:
        raise ValidationError(errors)
    return [e for e in entities if all(test(e) for test in tests)]


def _reference_test(name: str, item: Any, allowed: tuple[str, ...]) -> Any:
    if name not in allowed:
        raise Problem(f'Filter on property "{name}" is not supported (use '
                      f"{', '.join(allowed) or 'no filter'})")
    if not isinstance(item, dict) or item.get("operator") not in REFERENCE_FILTERS[name]:
        raise Problem(f'Filter on property "{name}" supports the operator '
                      f"{' '.join(REFERENCE_FILTERS[name])} only")
    value = item.get("value")
    if name in ("code", "type"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise Problem(f"the filter on {name!r} expects a list of codes")
        return lambda e: getattr(e, name) in value
    if name == "updated":
        moment = parse_moment(value)
        return lambda e: e.updated is not None and e.updated > moment
    if name == "parent":
        return lambda e: e.parent is not None and e.parent.code == value
    if not isinstance(value, bool):
        raise Problem(f"the filter on {name!r} expects true or false")
    if name == "is_root":
        return lambda e: (e.parent_id is None) is value
    return lambda e: bool(getattr(e, name)) is value


def changeset_kinds(session: Session, changeset_id: str) -> dict[str, int]:
    """How many versions of each kind of entity a changeset wrote."""
    from sqlalchemy import func

    from pim.catalog.models import Version

    rows = session.execute(select(Version.resource_type, func.count()).where(
        Version.changeset_id == changeset_id).group_by(Version.resource_type)).all()
    return {kind: count for kind, count in rows}
