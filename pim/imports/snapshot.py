"""Plain copies of the structure a save reads, for checking many rows quickly.

The catalog's own validator and completeness code run unchanged over these copies;
reading a plain attribute is many times cheaper than reading a mapped one, which is
what checking a hundred thousand rows mostly does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pim.catalog.structure_cache import StructureCache
from pim.catalog.types import TypeContext


class AttributeCopy:
    """An attribute's code, type, flags and properties, as plain Python."""

    __slots__ = ("code", "id", "localizable", "properties", "scopable", "type", "unique")

    def __init__(self, attribute: Any) -> None:
        self.id = attribute.id
        self.code = attribute.code
        self.type = attribute.type
        self.localizable = bool(attribute.localizable)
        self.scopable = bool(attribute.scopable)
        self.unique = bool(attribute.unique)
        self.properties = dict(attribute.properties or {})

    def prop(self, name: str, default: Any = None) -> Any:
        value = self.properties.get(name)
        return default if value is None else value


@dataclass(frozen=True)
class ChannelCopy:
    id: int
    code: str
    locales: list[str]
    currencies: list[str]


@dataclass(frozen=True)
class RequirementCopy:
    channel_id: int
    attribute: AttributeCopy


@dataclass
class FamilyCopy:
    """What completeness reads of a family: its requirements per channel."""

    id: int
    code: str
    attribute_codes: list[str]
    requirements: list[RequirementCopy] = field(default_factory=list)


class StructureCopy:
    """The parts of a StructureCache the value validator and completeness read."""

    def __init__(self, cache: StructureCache) -> None:
        self.cache = cache
        self.attributes = {code: AttributeCopy(a) for code, a in cache.attributes.items()}
        self.locales = set(cache.locales)
        self.channels = {c.code: ChannelCopy(c.id, c.code, list(c.locales), list(c.currencies))
                         for c in cache.channels.values()}
        self.currencies = cache.currencies
        ident = cache.identifier_attribute
        self.identifier_attribute = self.attributes.get(ident.code) if ident else None
        self.families: dict[str, FamilyCopy] = {}
        for family in cache.families.values():
            copy = FamilyCopy(family.id, family.code, list(family.attribute_codes))
            copy.requirements = [RequirementCopy(r.channel_id, self.attributes[r.attribute.code])
                                 for r in family.requirements]
            self.families[family.code] = copy
        self._types = cache.type_context()

    def attribute(self, code: str) -> AttributeCopy | None:
        return self.attributes.get(code)

    def options(self, attribute: Any) -> dict[str, str]:
        return self.cache.options(attribute)

    def type_context(self) -> TypeContext:
        return self._types
