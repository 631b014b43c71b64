"""Products, product models and their stored completeness."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pim.catalog.models.families import Family, FamilyVariant
from pim.catalog.models.structure import Category
from pim.db import Base, utcnow
from pim.uuids import uuid7

product_categories = Table(
    "product_categories",
    Base.metadata,
    Column("product_id", ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "category_id", ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True,
        index=True,
    ),
)

product_model_categories = Table(
    "product_model_categories",
    Base.metadata,
    Column(
        "product_model_id", ForeignKey("product_models.id", ondelete="CASCADE"), primary_key=True
    ),
    Column(
        "category_id", ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True,
        index=True,
    ),
)


class ProductModel(Base):
    """Values shared by the variant products below it (one or two levels)."""

    __tablename__ = "product_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(255), unique=True)
    family_variant_id: Mapped[int] = mapped_column(
        ForeignKey("family_variants.id", ondelete="RESTRICT"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("product_models.id", ondelete="RESTRICT"), index=True
    )
    values: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    family_variant: Mapped[FamilyVariant] = relationship(lazy="joined")
    parent: Mapped[ProductModel | None] = relationship(remote_side=[id], lazy="joined")
    categories: Mapped[list[Category]] = relationship(secondary=product_model_categories)

    __mapper_args__ = {"version_id_col": version}

    @property
    def level(self) -> int:
        """0 for a root model, 1 for a sub-model."""
        return 0 if self.parent_id is None else 1

    @property
    def family(self) -> Family:
        return self.family_variant.family


class Product(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(
        String(36), unique=True, default=uuid7
    )
    identifier: Mapped[str] = mapped_column(String(255), unique=True)
    family_id: Mapped[int | None] = mapped_column(
        ForeignKey("families.id", ondelete="RESTRICT"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("product_models.id", ondelete="RESTRICT"), index=True
    )
    enabled: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    values: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    family: Mapped[Family | None] = relationship(lazy="joined")
    parent: Mapped[ProductModel | None] = relationship(lazy="joined")
    categories: Mapped[list[Category]] = relationship(secondary=product_categories)
    completeness: Mapped[list[Completeness]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True,
        order_by="(Completeness.channel_id, Completeness.locale)",
    )
    unique_values: Mapped[list[UniqueValue]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )

    __mapper_args__ = {"version_id_col": version}


class Completeness(Base):
    """How complete one product is for one channel and locale, and what is missing."""

    __tablename__ = "completeness"
    # an import writes several rows per product: two trees to write each into (on SQLite
    # the rows are stored in the primary key's order), the second one the key of the
    # completeness filters, and of the deletion of a channel
    __table_args__ = (Index("ix_completeness_channel_locale_ratio", "channel_id", "locale",
                            "ratio"),
                      {"sqlite_with_rowid": False})

    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), primary_key=True
    )
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True
    )
    locale: Mapped[str] = mapped_column(String(20), primary_key=True)
    required: Mapped[int] = mapped_column(default=0)
    missing: Mapped[int] = mapped_column(default=0)
    ratio: Mapped[int] = mapped_column(default=100)
    missing_attributes: Mapped[list[str]] = mapped_column(default=list)


class UniqueValue(Base):
    """One value of a unique attribute, held by exactly one product."""

    __tablename__ = "unique_values"
    # also the index of an attribute's values (its first column)
    __table_args__ = (UniqueConstraint("attribute_id", "data"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attribute_id: Mapped[int] = mapped_column(
        ForeignKey("attributes.id", ondelete="CASCADE")
    )
    data: Mapped[str] = mapped_column(String(255))
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
