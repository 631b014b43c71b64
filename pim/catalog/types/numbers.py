"""Number and metric values: decimals as strings, never floats."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from pim.catalog.measures import units_of
from pim.catalog.types.base import AttributeType, Problem, TypeContext, attribute_type

MAX_DIGITS = 30


def to_decimal(value: Any, what: str = "number") -> Decimal:
    """Read an int, a decimal string or a finite float into a Decimal."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise Problem(f"{what} must be a number or a decimal string, got {value!r}")
    text = str(value).strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise Problem(f"{what} {value!r} is not a number") from None
    if not number.is_finite():
        raise Problem(f"{what} {value!r} is not a finite number")
    if len(number.as_tuple().digits) > MAX_DIGITS:
        raise Problem(f"{what} {value!r} has more than {MAX_DIGITS} digits")
    return number


def canonical(number: Decimal, decimals_allowed: bool) -> str | int:
    """Return an int when no decimals are allowed, else a plain decimal string."""
    if not decimals_allowed:
        return int(number)
    return format(number.normalize(), "f")


def check_number(number: Decimal, attribute: Any, what: str) -> None:
    """Apply the attribute's decimal, sign and range rules."""
    if not attribute.prop("decimals_allowed", False) and number != number.to_integral_value():
        raise Problem(f"{what} {number} must be a whole number")
    if not attribute.prop("negative_allowed", True) and number < 0:
        raise Problem(f"{what} {number} cannot be negative")
    low, high = attribute.prop("number_min"), attribute.prop("number_max")
    if low not in (None, "") and number < Decimal(str(low)):
        raise Problem(f"{what} {number} is below the minimum {low}")
    if high not in (None, "") and number > Decimal(str(high)):
        raise Problem(f"{what} {number} is above the maximum {high}")


@attribute_type
class NumberType(AttributeType):
    code = "pim_catalog_number"
    label = "Number"
    properties = ("decimals_allowed", "negative_allowed", "number_min", "number_max")
    unique_allowed = True

    def parse(self, data: Any, attribute: Any, ctx: TypeContext) -> str | int | None:
        if data is None or data == "":
            return None
        number = to_decimal(data)
        check_number(number, attribute, "number")
        return canonical(number, bool(attribute.prop("decimals_allowed", False)))


@attribute_type
class MetricType(AttributeType):
    code = "pim_catalog_metric"
    label = "Measurement"
    properties = (
        "metric_family", "default_metric_unit", "decimals_allowed", "negative_allowed",
        "number_min", "number_max",
    )

    def parse(self, data: Any, attribute: Any, ctx: TypeContext) -> dict[str, Any] | None:
        if data is None:
            return None
        if not isinstance(data, dict) or set(data) - {"amount", "unit"}:
            raise Problem('a measurement is {"amount": ..., "unit": ...}')
        if data.get("amount") in (None, ""):
            return None
        family = attribute.prop("metric_family", "")
        unit = data.get("unit") or attribute.prop("default_metric_unit")
        if unit not in units_of(family):
            raise Problem(f"unit {unit!r} is not in metric family {family}")
        number = to_decimal(data["amount"], "amount")
        check_number(number, attribute, "amount")
        decimals = bool(attribute.prop("decimals_allowed", True))
        return {"amount": canonical(number, decimals), "unit": unit}

    def format(self, data: Any, locale: str | None = None) -> str:
        return f"{data['amount']} {data['unit']}" if data else ""
