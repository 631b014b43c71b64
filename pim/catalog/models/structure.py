"""Reference data: locales, currencies, channels, attributes and their options, categories."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pim.db import Base, utcnow

CODE = String(100)


class Locale(Base):
    __tablename__ = "locales"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    enabled: Mapped[bool] = mapped_column(default=True)


class Currency(Base):
    __tablename__ = "currencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(3), unique=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    label: Mapped[str | None] = mapped_column(String(100))


class Category(Base):
    """A node of a category tree; a root (no parent) is a tree."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(CODE, unique=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    labels: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    parent: Mapped[Category | None] = relationship(remote_side=[id], lazy="joined", join_depth=1)


class Channel(Base):
    """A sales destination: its locales, currencies, tree, exporter and settings."""

    __tablename__ = "channels"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(CODE, unique=True)
    labels: Mapped[dict[str, Any]] = mapped_column(default=dict)
    locales: Mapped[list[str]] = mapped_column(default=list)
    currencies: Mapped[list[str]] = mapped_column(default=list)
    category_tree_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="RESTRICT")
    )
    exporter: Mapped[str | None] = mapped_column(String(50))
    # mapping, filters, image presets, destination, conversion units: exporter's business
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    category_tree: Mapped[Category | None] = relationship(lazy="joined")


class AttributeGroup(Base):
    __tablename__ = "attribute_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(CODE, unique=True)
    sort_order: Mapped[int] = mapped_column(default=0)
    labels: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Attribute(Base):
    """A property products can carry; `type` is a registered attribute type code."""

    __tablename__ = "attributes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(CODE, unique=True)
    type: Mapped[str] = mapped_column(String(60))
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("attribute_groups.id", ondelete="RESTRICT")
    )
    localizable: Mapped[bool] = mapped_column(default=False)
    scopable: Mapped[bool] = mapped_column(default=False)
    unique: Mapped[bool] = mapped_column(default=False)
    useable_as_grid_filter: Mapped[bool] = mapped_column(default=False)
    sort_order: Mapped[int] = mapped_column(default=0)
    labels: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # validation rules and type options, under Akeneo's property names
    properties: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    group: Mapped[AttributeGroup | None] = relationship(lazy="joined")

    def prop(self, name: str, default: Any = None) -> Any:
        value = (self.properties or {}).get(name)
        return default if value is None else value


class AttributeOption(Base):
    __tablename__ = "attribute_options"
    __table_args__ = (UniqueConstraint("attribute_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attribute_id: Mapped[int] = mapped_column(
        ForeignKey("attributes.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(CODE)
    sort_order: Mapped[int] = mapped_column(default=0)
    labels: Mapped[dict[str, Any]] = mapped_column(default=dict)

    attribute: Mapped[Attribute] = relationship(lazy="joined")
