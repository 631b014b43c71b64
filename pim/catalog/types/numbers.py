"""Number and metric values: decimals as strings, never floats."""

from __future__ import annotations

from collections.abc import Callable
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
    # the exponent counts too: 1e5000 has one digit but would be written with 5001
    _, digits, exponent = number.as_tuple()
    if len(digits) > MAX_DIGITS or exponent < -MAX_DIGITS or number.adjusted() >= MAX_DIGITS:
        raise Problem(f"{what} {value!r} has more than {MAX_DIGITS} digits")
    return number


def canonical(number: Decimal, decimals_allowed: bool) -> str | int:
    """Return an int when no decimals are allowed, else a plain decimal string."""
    if not decimals_allowed:
        return int(number)
    return format(number.normalize(), "f")


class NumberRules:
    """An attribute's decimal, sign and range rules, read once."""

    __slots__ = ("decimals", "high", "low", "negative")

    def __init__(self, attribute: Any, *, decimals: bool = False, negative: bool = True
                 ) -> None:
        self.decimals = bool(attribute.prop("decimals_allowed", decimals))
        self.negative = bool(attribute.prop("negative_allowed", negative))
        low, high = attribute.prop("number_min"), attribute.prop("number_max")
        self.low = None if low in (None, "") else (low, Decimal(str(low)))
        self.high = None if high in (None, "") else (high, Decimal(str(high)))

    def check(self, number: Decimal, what: str) -> None:
        """Refuse `number` if it breaks a rule; the message names it as `what`."""
        if not self.decimals and number != number.to_integral_value():
            raise Problem(f"{what} {number} must be a whole number")
        if not self.negative and number < 0:
            raise Problem(f"{what} {number} cannot be negative")
        if self.low is not None and number < self.low[1]:
            raise Problem(f"{what} {number} is below the minimum {self.low[0]}")
        if self.high is not None and number > self.high[1]:
            raise Problem(f"{what} {number} is above the maximum {self.high[0]}")


# numbers a reader remembers, by their text: a catalog repeats its amounts and ratings
MEMO_SIZE = 4096


def number_reader(rules: NumberRules, what: str, finish: Callable[[Decimal, Any], Any]
                  ) -> Callable[[Any], Any]:
    """Return read(value): `value` as a number under `rules`, then finish(number, value)
    (an int or text).

    Reading is the same for the same text, so a text read right is remembered.
    """
    memo: dict[str, Any] = {}

    def read(value: Any) -> Any:
        text = type(value) is str
        if text and value in memo:
            return memo[value]
        number = to_decimal(value, what)
        rules.check(number, what)
        result = finish(number, value)
        if text:
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            memo[value] = result
        return result

    return read


def check_number(number: Decimal, attribute: Any, what: str) -> None:
    """Apply the attribute's decimal, sign and range rules."""
    NumberRules(attribute).check(number, what)


@attribute_type
class NumberType(AttributeType):
    code = "pim_catalog_number"
    label = "Number"
    properties = ("decimals_allowed", "negative_allowed", "number_min", "number_max")
    unique_allowed = True

    def parser(self, attribute: Any, ctx: TypeContext) -> Callable[[Any], Any]:
        rules = NumberRules(attribute)
        read = number_reader(rules, "number", lambda n, _: canonical(n, rules.decimals))

        def parse(data: Any) -> str | int | None:
            if data is None or data == "":
                return None
            return read(data)

        return parse


@attribute_type
class MetricType(AttributeType):
    code = "pim_catalog_metric"
    label = "Measurement"
    properties = (
        "metric_family", "default_metric_unit", "decimals_allowed", "negative_allowed",
        "number_min", "number_max",
    )

    def parser(self, attribute: Any, ctx: TypeContext) -> Callable[[Any], Any]:
        family = attribute.prop("metric_family", "")
        default_unit = attribute.prop("default_metric_unit")
        decimals = bool(attribute.prop("decimals_allowed", True))
        read = number_reader(NumberRules(attribute), "amount",
                             lambda n, _: canonical(n, decimals))
        try:
            units: Any = units_of(family)
        except Problem as exc:  # said when a measurement is given, not before
            units = exc

        def parse(data: Any) -> dict[str, Any] | None:
            if data is None:
                return None
            if not isinstance(data, dict) or data.keys() - {"amount", "unit"}:
                raise Problem('a measurement is {"amount": ..., "unit": ...}')
            if data.get("amount") in (None, ""):
                return None
            if isinstance(units, Problem):
                raise Problem(str(units))
            unit = data.get("unit") or default_unit
            if not isinstance(unit, str) or unit not in units:
                raise Problem(f"unit {unit!r} is not in metric family {family}")
            return {"amount": read(data["amount"]), "unit": unit}

        return parse

    def format(self, data: Any, locale: str | None = None) -> str:
        return f"{data['amount']} {data['unit']}" if data else ""
