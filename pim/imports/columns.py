"""Akeneo's value columns: `<attribute>[-<locale>][-<channel>]`, `price-EUR`, `weight-unit`.

A column is read against a view of the catalog's structure: the attributes, locales,
channels and currencies it has, plus those the import itself declares in its structure
files (a folder import creates its attributes before its products).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from pim.catalog.structure_cache import structure
from pim.imports.cells import METRIC, PRICE, ValueColumn


@dataclass(frozen=True)
class AttributeInfo:
    """What reading a column needs to know of an attribute."""

    code: str
    type: str
    localizable: bool = False
    scopable: bool = False


@dataclass
class StructureView:
    """Attributes, enabled locales, channels and currencies a column may name."""

    attributes: dict[str, AttributeInfo] = field(default_factory=dict)
    locales: set[str] = field(default_factory=set)
    channels: dict[str, list[str]] = field(default_factory=dict)
    currencies: set[str] = field(default_factory=set)
    identifier: str | None = None

    @classmethod
    def of(cls, session: Session) -> StructureView:
        """Read the catalog's structure as it is now."""
        cache = structure(session)
        attributes = {a.code: AttributeInfo(a.code, a.type, a.localizable, a.scopable)
                      for a in cache.attributes.values()}
        ident = cache.identifier_attribute
        return cls(attributes=attributes, locales=set(cache.locales),
                   channels={c.code: list(c.locales) for c in cache.channels.values()},
                   currencies=set(cache.currencies), identifier=ident.code if ident else None)

    def declare_attribute(self, info: AttributeInfo) -> None:
        """Add an attribute an earlier file of the import creates."""
        self.attributes.setdefault(info.code, info)
        if info.type == "pim_catalog_identifier" and self.identifier is None:
            self.identifier = info.code

    def declare_channel(self, code: str, locales: list[str], currencies: list[str]) -> None:
        """Add a channel an earlier file of the import creates, with its locales."""
        self.channels.setdefault(code, list(locales))
        self.locales.update(locales)
        self.currencies.update(currencies)


def value_column(name: str, view: StructureView) -> ValueColumn | str | None:
    """Read a value column: a ValueColumn, a reason it is wrong, or None if no attribute."""
    code, *rest = name.split("-")
    info = view.attributes.get(code)
    if info is None:
        return None
    locale = scope = None
    if info.localizable:
        if not rest:
            return f"attribute {code!r} is localizable: the column is {code}-<locale>..."
        locale = rest.pop(0)
        if locale not in view.locales:
            return f"locale {locale!r} is not enabled"
    if info.scopable:
        if not rest:
            return f"attribute {code!r} is scopable: the column names a channel"
        scope = rest.pop(0)
        if scope not in view.channels:
            return f"channel {scope!r} does not exist"
        if locale is not None and locale not in view.channels[scope]:
            return f"locale {locale!r} is not activated for channel {scope!r}"
    part = "data"
    if info.type == PRICE:
        if not rest:
            return f"attribute {code!r} is a price: the column ends with a currency, e.g. -EUR"
        part = rest.pop(0)
        if part not in view.currencies:
            return f"currency {part!r} is not enabled"
    elif info.type == METRIC and rest == ["unit"]:
        part = rest.pop(0)
    if rest:
        return f"{'-'.join(rest)!r} does not fit attribute {code!r}"
    return ValueColumn(name, code, info.type, locale, scope, part)


ASSOCIATION_PARTS = ("groups", "products", "product_models", "product_uuids")


def is_association(name: str) -> bool:
    """Tell whether `name` is an Akeneo association column such as `X_SELL-products`."""
    parts = name.split("-")
    if len(parts) == 3 and parts[2] == "quantity":
        parts = parts[:2]
    return len(parts) == 2 and parts[1] in ASSOCIATION_PARTS and parts[0].replace("_", "").isalnum()
