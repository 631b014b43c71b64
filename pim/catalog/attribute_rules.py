"""Validation rules and options an attribute carries, checked per property."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from pim.catalog.codes import LOCALE_CODE, Collector
from pim.catalog.measures import MEASURES
from pim.catalog.types import AttributeType, Problem
from pim.catalog.types.dates import parse_date

RULES = (None, "email", "url", "regexp")


def _positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise Problem("must be a whole number")
    try:
        number = int(value)
    except ValueError:
        raise Problem("must be a whole number") from None
    if number <= 0:
        raise Problem("must be above 0")
    return number


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Problem("must be true or false")
    return value


def _decimal(value: Any) -> str:
    if isinstance(value, bool):
        raise Problem("must be a number")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise Problem("must be a number") from None
    if not number.is_finite():
        raise Problem("must be a finite number")
    return format(number.normalize(), "f")


def _date(value: Any) -> str:
    return parse_date(value).isoformat()


def _rule(value: Any) -> str | None:
    if value not in RULES:
        raise Problem(f"must be one of {', '.join(str(r) for r in RULES)}")
    return value


def _regexp(value: Any) -> str:
    if not isinstance(value, str):
        raise Problem("must be a regular expression")
    body = value[1:value.rfind("/")] if value.startswith("/") and value.rfind("/") > 0 else value
    try:
        re.compile(body)
    except re.error as exc:
        raise Problem(f"is not a valid regular expression ({exc})") from None
    return value


def _extensions(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [v for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Problem("must be a list of file extensions")
    return [v.strip().lower().lstrip(".") for v in value]


def _metric_family(value: Any) -> str:
    if value not in MEASURES:
        raise Problem(f"{value!r} is not a metric family (known: {', '.join(sorted(MEASURES))})")
    return value


def _unit(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise Problem("must be a unit code")
    return value


def _locales(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(
        isinstance(v, str) and LOCALE_CODE.match(v) for v in value
    ):
        raise Problem("must be a list of locale codes")
    return sorted(set(value))


PARSERS: dict[str, Callable[[Any], Any]] = {
    "max_characters": _positive_int,
    "validation_rule": _rule,
    "validation_regexp": _regexp,
    "wysiwyg_enabled": _flag,
    "decimals_allowed": _flag,
    "negative_allowed": _flag,
    "number_min": _decimal,
    "number_max": _decimal,
    "date_min": _date,
    "date_max": _date,
    "metric_family": _metric_family,
    "default_metric_unit": _unit,
    "allowed_extensions": _extensions,
    "max_file_size": _decimal,
    "auto_option_sorting": _flag,
    "available_locales": _locales,
}


def check_properties(type_: AttributeType | None, data: dict[str, Any],
                     current: dict[str, Any], errors: Collector) -> dict[str, Any]:
    """Return the attribute's properties after applying `data`, reporting bad ones."""
    names = set(type_.properties if type_ else ()) | {"available_locales"}
    properties = {k: v for k, v in current.items() if k in names}
    for name in names & set(data):
        value = data[name]
        if value is None or value == "" or value == []:
            properties.pop(name, None)
            continue
        try:
            properties[name] = PARSERS[name](value)
        except Problem as exc:
            errors.add(name, f"{name} {exc}")
    _check_together(type_, properties, errors)
    return dict(sorted(properties.items()))


def _check_together(type_: AttributeType | None, properties: dict, errors: Collector) -> None:
    if type_ is None:
        return
    if type_.code == "pim_catalog_metric":
        family = properties.get("metric_family")
        unit = properties.get("default_metric_unit")
        if not family or not unit:
            errors.add("metric_family", "a measurement needs metric_family and "
                                        "default_metric_unit")
        elif unit not in MEASURES[family][1]:
            errors.add("default_metric_unit", f"unit {unit!r} is not in metric family {family}")
    low, high = properties.get("number_min"), properties.get("number_max")
    if low is not None and high is not None and Decimal(low) > Decimal(high):
        errors.add("number_min", "number_min is above number_max")
    if properties.get("validation_rule") == "regexp" and not properties.get("validation_regexp"):
        errors.add("validation_regexp", "validation_rule regexp needs validation_regexp")
