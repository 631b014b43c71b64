"""Product types: families, their attributes and per-channel requirements, variants."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pim.catalog.models.structure import Attribute, Channel
from pim.db import Base, utcnow


class Family(Base):
    __tablename__ = "families"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    labels: Mapped[dict[str, Any]] = mapped_column(default=dict)
    attribute_as_label: Mapped[str | None] = mapped_column(String(100))
    attribute_as_image: Mapped[str | None] = mapped_column(String(100))
    updated: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    attribute_links: Mapped[list[FamilyAttribute]] = relationship(
        cascade="all, delete-orphan", order_by="FamilyAttribute.position"
    )
    requirements: Mapped[list[FamilyRequirement]] = relationship(cascade="all, delete-orphan")

    @property
    def attribute_codes(self) -> list[str]:
        return [link.attribute.code for link in self.attribute_links]

    def required_codes(self, channel_code: str) -> list[str]:
        return sorted(
            r.attribute.code for r in self.requirements if r.channel.code == channel_code
        )


class FamilyAttribute(Base):
    __tablename__ = "family_attributes"

    family_id: Mapped[int] = mapped_column(
        ForeignKey("families.id", ondelete="CASCADE"), primary_key=True
    )
    attribute_id: Mapped[int] = mapped_column(
        ForeignKey("attributes.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(default=0)

    attribute: Mapped[Attribute] = relationship(lazy="joined")


class FamilyRequirement(Base):
    """An attribute the family requires before a product is complete on a channel."""

    __tablename__ = "family_requirements"

    family_id: Mapped[int] = mapped_column(
        ForeignKey("families.id", ondelete="CASCADE"), primary_key=True
    )
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    attribute_id: Mapped[int] = mapped_column(
        ForeignKey("attributes.id", ondelete="RESTRICT"), primary_key=True, index=True
    )

    attribute: Mapped[Attribute] = relationship(lazy="joined")
    channel: Mapped[Channel] = relationship(lazy="joined")


class FamilyVariant(Base):
    """How a family's products vary: axes and attributes for one or two levels."""

    __tablename__ = "family_variants"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    family_id: Mapped[int] = mapped_column(
        ForeignKey("families.id", ondelete="RESTRICT"), index=True
    )
    labels: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Akeneo's shape: [{"level": 1, "axes": [...], "attributes": [...]}, ...]
    variant_attribute_sets: Mapped[list[Any]] = mapped_column(default=list)
    updated: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    family: Mapped[Family] = relationship(lazy="joined")

    @property
    def levels(self) -> int:
        return len(self.variant_attribute_sets or [])

    def level_set(self, level: int) -> dict[str, Any]:
        for item in self.variant_attribute_sets or []:
            if item["level"] == level:
                return item
        return {"level": level, "axes": [], "attributes": []}

    def attributes_at(self, level: int) -> set[str]:
        """Attribute codes that live on `level` (0 is the root product model)."""
        if level == 0:
            lower: set[str] = set()
            for item in self.variant_attribute_sets or []:
                lower.update(item["attributes"])
                lower.update(item["axes"])
            return set(self.family.attribute_codes) - lower
        item = self.level_set(level)
        return set(item["attributes"]) | set(item["axes"])
