"""The reference data a save needs, loaded once per session and unit of work."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from pim.catalog.models import (
    Attribute,
    AttributeOption,
    Channel,
    Currency,
    Family,
    Locale,
    Product,
)
from pim.catalog.types import TypeContext

KEY = "prism.structure"


class StructureCache:
    """Attributes, options, locales, channels and currencies, read lazily and kept."""

    def __init__(self, session: Session, max_text_length: int = 65_535) -> None:
        self.session = session
        self.max_text_length = max_text_length
        self._attributes: dict[str, Attribute] | None = None
        self._options: dict[int, dict[str, str]] = {}
        self._locales: set[str] | None = None
        self._channels: dict[str, Channel] | None = None
        self._currencies: frozenset[str] | None = None
        self._families: dict[int, Family] | None = None

    @property
    def attributes(self) -> dict[str, Attribute]:
        if self._attributes is None:
            rows = self.session.scalars(select(Attribute)).all()
            self._attributes = {a.code: a for a in rows}
        return self._attributes

    def attribute(self, code: str) -> Attribute | None:
        return self.attributes.get(code)

    @property
    def identifier_attribute(self) -> Attribute | None:
        for attribute in self.attributes.values():
            if attribute.type == "pim_catalog_identifier":
                return attribute
        return None

    def options(self, attribute: Attribute) -> dict[str, str]:
        """Option codes of `attribute`, keyed by their lower-case form."""
        if attribute.id not in self._options:
            codes = self.session.scalars(
                select(AttributeOption.code).where(AttributeOption.attribute_id == attribute.id)
            ).all()
            self._options[attribute.id] = {c.lower(): c for c in codes}
        return self._options[attribute.id]

    @property
    def locales(self) -> set[str]:
        if self._locales is None:
            self._locales = set(
                self.session.scalars(select(Locale.code).where(Locale.enabled.is_(True)))
            )
        return self._locales

    @property
    def channels(self) -> dict[str, Channel]:
        if self._channels is None:
            self._channels = {c.code: c for c in self.session.scalars(select(Channel))}
        return self._channels

    @property
    def currencies(self) -> frozenset[str]:
        if self._currencies is None:
            self._currencies = frozenset(
                self.session.scalars(select(Currency.code).where(Currency.enabled.is_(True)))
            )
        return self._currencies

    @property
    def families(self) -> dict[int, Family]:
        """Families by id with their attributes and requirements loaded, held for reuse."""
        if self._families is None:
            rows = self.session.scalars(select(Family).options(
                selectinload(Family.attribute_links), selectinload(Family.requirements)))
            self._families = {f.id: f for f in rows}
        return self._families

    def hold_families(self) -> None:
        """Load families with their attributes and requirements once for this session."""
        self.families  # noqa: B018

    def type_context(self) -> TypeContext:
        return TypeContext(
            options=self.options,
            currencies=self.currencies,
            max_text_length=self.max_text_length,
            product_exists=self._product_exists,
        )

    def _product_exists(self, identifier: str) -> bool:
        found = self.session.scalar(select(Product.id).where(Product.identifier == identifier))
        return found is not None


def structure(session: Session, **kwargs: Any) -> StructureCache:
    """Return the session's structure cache, creating it on first use."""
    cache = session.info.get(KEY)
    if cache is None:
        cache = session.info[KEY] = StructureCache(session, **kwargs)
    return cache


def forget_structure(session: Session) -> None:
    """Drop the cache after a change to attributes, options, channels or locales."""
    session.info.pop(KEY, None)
