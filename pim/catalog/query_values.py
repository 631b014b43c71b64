"""Attribute value filters of the product search, and the narrowing of returned values.

Value filters are checked in Python on each candidate's values merged over its parent
models (JSON is not queried the same way on SQLite and PostgreSQL); `prefilter` gives an
SQL clause that keeps only rows whose JSON text could match, when that can be told safely.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, String, cast, func, or_

from pim.catalog.measures import MEASURES, convert
from pim.catalog.types import Problem, type_for
from pim.catalog.types.dates import parse_date
from pim.catalog.types.numbers import to_decimal
from pim.catalog.values import Values, get_value

TEXT = ("pim_catalog_identifier", "pim_catalog_text", "pim_catalog_textarea",
        "pim_catalog_url", "pim_catalog_file", "pim_catalog_image")
NUMBERS = ("pim_catalog_number", "pim_catalog_metric", "pim_catalog_price_collection")
CHOICES = ("pim_catalog_simpleselect", "pim_catalog_multiselect",
           "pim_catalog_asset_collection", "pim_catalog_product_link")
EMPTINESS = ("EMPTY", "NOT EMPTY")
OPERATORS: dict[str, tuple[str, ...]] = {
    **{t: ("STARTS WITH", "CONTAINS", "DOES NOT CONTAIN", "=", "!=", *EMPTINESS) for t in TEXT},
    **{t: ("<", "<=", "=", "!=", ">=", ">", *EMPTINESS) for t in NUMBERS},
    **{t: ("IN", "NOT IN", *EMPTINESS) for t in CHOICES},
    "pim_catalog_boolean": ("=", "!=", *EMPTINESS),
    "pim_catalog_date": ("<", "=", "!=", ">", "BETWEEN", "NOT BETWEEN", *EMPTINESS),
}
NEGATIVE = ("!=", "NOT IN", "DOES NOT CONTAIN", "NOT BETWEEN")
Predicate = Callable[[Values], bool]


def check_value(attribute: Any, operator: str, value: Any) -> Any:
    """Return the filter value normalized for `attribute`'s type, or raise Problem."""
    if operator not in OPERATORS.get(attribute.type, ()):
        raise Problem(f"filter on attribute {attribute.code!r} does not support operator "
                      f"{operator!r} (allowed: {', '.join(OPERATORS.get(attribute.type, ()))})")
    if operator in EMPTINESS:
        return None
    if attribute.type in TEXT:
        if not isinstance(value, str):
            raise Problem(f"operator {operator!r} on {attribute.code!r} expects a string")
        return value
    if attribute.type in NUMBERS:
        return _number_value(attribute, value)
    if attribute.type in CHOICES:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or not value:
            raise Problem(f"operator {operator!r} on {attribute.code!r} expects a list of codes")
        return [v.casefold() for v in value]
    if attribute.type == "pim_catalog_boolean":
        if not isinstance(value, bool):
            raise Problem(f"operator {operator!r} on {attribute.code!r} expects true or false")
        return value
    return _date_value(operator, value)


def _number_value(attribute: Any, value: Any) -> Any:
    if isinstance(value, dict):
        amount = to_decimal(value.get("amount"), "amount")
        if attribute.type == "pim_catalog_metric":
            family = attribute.prop("metric_family")
            unit = value.get("unit")
            if unit not in MEASURES.get(family, ("", {}))[1]:
                raise Problem(f"unit {unit!r} is not in metric family {family}")
            return ("metric", convert(amount, unit, MEASURES[family][0], family))
        if attribute.type == "pim_catalog_price_collection":
            currency = value.get("currency")
            if not isinstance(currency, str):
                raise Problem('a price filter is {"amount": ..., "currency": ...}')
            return ("price", amount, currency)
        raise Problem("a number filter expects a number")
    return ("plain", to_decimal(value, "filter value"))


def _date_value(operator: str, value: Any) -> Any:
    if operator in ("BETWEEN", "NOT BETWEEN"):
        if not isinstance(value, list) or len(value) != 2:
            raise Problem(f"operator {operator!r} expects two dates")
        return (parse_date(value[0]), parse_date(value[1]))
    return parse_date(value)


def predicate(attribute: Any, operator: str, value: Any, locale: str | None,
              scope: str | None) -> Predicate:
    """Return a test of merged values for one checked value condition."""
    code, empty = attribute.code, type_for(attribute.type).is_empty
    match = _matcher(attribute, operator, value)

    def test(values: Values) -> bool:
        data = get_value(values, code, locale, scope)
        missing = data is None or empty(data)
        if operator == "EMPTY":
            return missing
        if operator == "NOT EMPTY":
            return not missing
        return not missing and match(data)

    return test


def _matcher(attribute: Any, operator: str, value: Any) -> Callable[[Any], bool]:
    kind = attribute.type
    if operator in EMPTINESS:
        return lambda data: True
    if kind in TEXT:
        return _text_matcher(operator, value.casefold())
    if kind in CHOICES:
        wanted = set(value)
        if operator == "IN":
            return lambda data: bool(_codes(data) & wanted)
        return lambda data: not _codes(data) & wanted
    if kind == "pim_catalog_boolean":
        return (lambda data: data == value) if operator == "=" else (lambda data: data != value)
    if kind == "pim_catalog_date":
        return _date_matcher(operator, value)
    return _number_matcher(attribute, operator, value)


def _codes(data: Any) -> set[str]:
    items = data if isinstance(data, list) else [data]
    return {str(item).casefold() for item in items}


def _text_matcher(operator: str, needle: str) -> Callable[[Any], bool]:
    tests: dict[str, Callable[[str], bool]] = {
        "STARTS WITH": lambda text: text.startswith(needle),
        "CONTAINS": lambda text: needle in text,
        "DOES NOT CONTAIN": lambda text: needle not in text,
        "=": lambda text: text == needle,
        "!=": lambda text: text != needle,
    }
    test = tests[operator]
    return lambda data: test(str(data).casefold())


COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b, ">=": lambda a, b: a >= b, ">": lambda a, b: a > b,
}


def _date_matcher(operator: str, value: Any) -> Callable[[Any], bool]:
    if operator == "BETWEEN":
        return lambda data: value[0] <= dt.date.fromisoformat(data) <= value[1]
    if operator == "NOT BETWEEN":
        return lambda data: not value[0] <= dt.date.fromisoformat(data) <= value[1]
    compare = COMPARE[operator]
    return lambda data: compare(dt.date.fromisoformat(data), value)


def _number_matcher(attribute: Any, operator: str, value: Any) -> Callable[[Any], bool]:
    compare = COMPARE[operator]
    amounts = _amounts(attribute, value)
    wanted = value[1]
    if operator == "!=":
        return lambda data: bool(amounts(data)) and all(a != wanted for a in amounts(data))
    return lambda data: any(compare(a, wanted) for a in amounts(data))


def _amounts(attribute: Any, value: Any) -> Callable[[Any], list[Decimal]]:
    kind, family = attribute.type, attribute.prop("metric_family")
    if kind == "pim_catalog_number":
        return lambda data: [Decimal(str(data))]
    if kind == "pim_catalog_metric":
        target = MEASURES[family][0] if value[0] == "metric" else attribute.prop(
            "default_metric_unit")
        return lambda data: [convert(Decimal(str(data["amount"])), data["unit"], target, family)]
    currency = value[2] if value[0] == "price" else None
    return lambda data: [Decimal(str(p["amount"])) for p in data
                         if currency is None or p["currency"] == currency]


def prefilter(attribute: Any, operator: str, value: Any, columns: list[Any]
              ) -> ColumnElement[bool] | None:
    """An SQL clause keeping rows whose values' JSON text may match; None when unsafe."""
    if operator in NEGATIVE or operator in EMPTINESS:
        return None
    if attribute.type in TEXT and operator in ("=", "CONTAINS", "STARTS WITH"):
        needles = [value.casefold()]
    elif attribute.type in CHOICES and operator == "IN":
        needles = [f'"{code}' for code in value]
    else:
        return None
    if not all(_plain_ascii(n) for n in needles):
        return None
    texts = [func.lower(cast(column, String)) for column in columns]
    return or_(*(text.contains(n, autoescape=True) for text in texts for n in needles))


def _plain_ascii(text: str) -> bool:
    stripped = text.lstrip('"')
    return text.isascii() and text.isprintable() and '\\' not in text and '"' not in stripped


def narrow(values: Values, *, scope: str | None = None, locales: list[str] | None = None,
           attributes: list[str] | None = None) -> Values:
    """Keep only the values of one channel, some locales and some attributes."""
    kept: Values = {}
    for code, entries in values.items():
        if attributes is not None and code not in attributes:
            continue
        chosen = [e for e in entries
                  if (scope is None or e.get("scope") in (None, scope))
                  and (locales is None or e.get("locale") is None or e.get("locale") in locales)]
        if chosen:
            kept[code] = chosen
    return kept
