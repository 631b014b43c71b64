"""Typed values a mapping produces before an exporter renders them: prices, measures, images."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

CENTS = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Price:
    """An amount in one currency (never a float)."""

    amount: Decimal
    currency: str

    def text(self) -> str:
        return f"{self.amount.quantize(CENTS)} {self.currency}"


@dataclass(frozen=True, slots=True)
class Measure:
    """An amount with a unit of a metric family."""

    amount: Decimal
    unit: str
    family: str

    def text(self) -> str:
        return f"{plain_number(self.amount)} {self.unit}"


@dataclass(frozen=True, slots=True)
class Image:
    """An image a channel will fetch: its absolute URL and its pixel size when known."""

    url: str
    width: int | None = None
    height: int | None = None
    asset: str = ""

    def text(self) -> str:
        return self.url


def plain_number(number: Decimal) -> str:
    """Write a decimal without exponent or trailing zeros: 0.350 -> 0.35, 10 -> 10."""
    text = format(number.normalize(), "f")
    return text


# the types whose empty values count as no value (a tuple: faster to test than a union)
SIZED = (str, list, tuple)


def is_empty(value: Any) -> bool:
    """Tell whether a mapped value counts as no value: None, "", [] or ()."""
    # no comparison with "", [] and (): it would call the __eq__ of prices and measures
    if value is None:
        return True
    if isinstance(value, SIZED):
        return not value
    return False


def as_text(value: Any) -> str:
    """Render a mapped value as plain text (lists joined by commas)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, list | tuple):
        return ", ".join(as_text(item) for item in value if not is_empty(item))
    if hasattr(value, "text"):
        return value.text()
    return str(value)


def as_list(value: Any) -> list[Any]:
    """Return a mapped value as a list of its non-empty items."""
    if is_empty(value):
        return []
    if isinstance(value, list | tuple):
        return [item for item in value if not is_empty(item)]
    return [value]


def canonical(value: Any) -> Any:
    """Turn a rendered record value into plain JSON data (for hashes and previews)."""
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, Price | Measure | Image):
        return value.text()
    return value
