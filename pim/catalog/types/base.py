"""The attribute type protocol and its registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pim.catalog.models import Attribute


class Problem(ValueError):
    """Data that an attribute type refuses; the message says why."""


@dataclass
class TypeContext:
    """What types need to know beyond the data: options, currencies, limits."""

    options: Callable[[Attribute], dict[str, str]] = lambda attribute: {}
    currencies: frozenset[str] = frozenset()
    max_text_length: int = 65_535
    product_exists: Callable[[str], bool] = lambda identifier: True
    extra: dict[str, Any] = field(default_factory=dict)


# what counts as no value, unless a type says otherwise (compared with ==)
EMPTY_VALUES: tuple[Any, ...] = (None, "", [], {})


class AttributeType:
    """Parse, validate, normalize, compare and format one attribute type's data."""

    code: str = ""
    label: str = ""
    # which Akeneo properties this type understands (validation rules and options)
    properties: tuple[str, ...] = ()
    # whether the value may be required by a family for completeness
    requirable: bool = True
    unique_allowed: bool = False

    def parse(self, data: Any, attribute: Attribute, ctx: TypeContext) -> Any:
        """Return the normalized form of `data` or raise Problem."""
        return self.parser(attribute, ctx)(data)

    def parser(self, attribute: Attribute, ctx: TypeContext) -> Callable[[Any], Any]:
        """Return `parse` for one attribute, its rules read once: for many values.

        A type overrides one of the two: `parser` where reading the rules costs more
        than applying them (numbers, prices), `parse` otherwise.
        """
        if type(self).parse is AttributeType.parse:
            raise NotImplementedError(f"{type(self).__name__} overrides neither parse "
                                      "nor parser")
        parse = self.parse
        return lambda data: parse(data, attribute, ctx)

    def is_empty(self, data: Any) -> bool:
        """Tell whether `data` counts as no value (for completeness and clearing)."""
        return data in EMPTY_VALUES

    def is_complete(self, data: Any, currencies: list[str]) -> bool:
        """Tell whether `data` fills a requirement on a channel with `currencies`."""
        return not self.is_empty(data)

    def completeness_test(self) -> Callable[[Any, list[str]], bool] | None:
        """Return `is_complete`, or None where it only asks for a value that is not one
        of the `EMPTY_VALUES` (completeness rules then test it inline, row after row)."""
        plain = (type(self).is_complete is AttributeType.is_complete
                 and type(self).is_empty is AttributeType.is_empty)
        return None if plain else self.is_complete

    def format(self, data: Any, locale: str | None = None) -> str:
        """Render `data` as plain text for display and search."""
        if data is None:
            return ""
        if isinstance(data, list):
            return ", ".join(str(item) for item in data)
        return str(data)

    def search_text(self, data: Any, attribute: Attribute, labels: dict[str, Any]) -> str:
        """Return the words a full-text search should find for this value."""
        return self.format(data)


TYPES: dict[str, AttributeType] = {}


def attribute_type(cls: type[AttributeType]) -> type[AttributeType]:
    """Register an attribute type class under its code."""
    TYPES[cls.code] = cls()
    return cls


def type_for(code: str) -> AttributeType:
    """Return the registered type for `code`."""
    try:
        return TYPES[code]
    except KeyError:
        raise Problem(f"unknown attribute type {code!r}") from None


def check_text(value: Any, *, what: str = "value") -> str:
    """Refuse anything but a string of valid Unicode without NUL characters."""
    if not isinstance(value, str):
        raise Problem(f"{what} must be a string, got {type(value).__name__}")
    if not value.isascii():  # only text beyond ASCII can hold a lone surrogate
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise Problem(f"{what} contains invalid Unicode (a lone surrogate)") from None
    if "\x00" in value:
        raise Problem(f"{what} contains a NUL character")
    return value
