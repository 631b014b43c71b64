"""Typed values a mapping produces before an exporter renders them: prices, measures, images."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import orjson

CENTS = Decimal("0.01")


def json_bytes(data: Any, default: Callable[[Any], Any] | None = None,
               sort_keys: bool = False) -> bytes:
    """Write JSON with orjson; with the json module when a number is beyond 64 bits.

    orjson refuses integers it cannot hold in 64 bits, and a number value may have 30
    digits: those documents take the slower path, which writes the same JSON.
    """
    try:
        return orjson.dumps(data, default=default,
                            option=orjson.OPT_SORT_KEYS if sort_keys else None)
    except orjson.JSONEncodeError as exc:
        if "64-bit" not in str(exc):
            raise

    def plain(value: Any) -> Any:  # what orjson writes by itself
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return dataclasses.asdict(value)
        if isinstance(value, dt.date | dt.time):
            return value.isoformat()
        if default is None:
            raise TypeError(f"{type(value).__name__} is not JSON serializable")
        return default(value)

    # orjson sorts the keys of dicts, never the fields of a dataclass
    return json.dumps(_sorted_keys(data) if sort_keys else data, default=plain,
                      ensure_ascii=False, separators=(",", ":")).encode()


def _sorted_keys(data: Any) -> Any:
    if type(data) is dict:
        return {key: _sorted_keys(data[key]) for key in sorted(data)}
    if type(data) in (list, tuple):
        return [_sorted_keys(item) for item in data]
    return data


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
