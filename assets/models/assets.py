"""Assets: a code, localized texts, tags, a focal point and the versions of its file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assets.models.files import StoredFile
from pim.db import Base, utcnow


class Asset(Base):
    """A file the merchant manages under a code; its current file is its latest version."""

    __tablename__ = "assets"
    __table_args__ = (
        CheckConstraint("focal_x IS NULL OR (focal_x >= 0 AND focal_x <= 1)", name="focal_x"),
        CheckConstraint("focal_y IS NULL OR (focal_y >= 0 AND focal_y <= 1)", name="focal_y"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(255), unique=True)
    file_id: Mapped[int] = mapped_column(
        ForeignKey("asset_files.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[dict[str, Any]] = mapped_column(default=dict)
    alt_text: Mapped[dict[str, Any]] = mapped_column(default=dict)
    focal_x: Mapped[float | None] = mapped_column(Float)
    focal_y: Mapped[float | None] = mapped_column(Float)
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    search_text: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)

    file: Mapped[StoredFile] = relationship(lazy="joined")
    tag_rows: Mapped[list[AssetTag]] = relationship(
        cascade="all, delete-orphan", order_by="AssetTag.tag"
    )
    versions: Mapped[list[AssetVersion]] = relationship(
        cascade="all, delete-orphan", order_by="AssetVersion.number", back_populates="asset",
        passive_deletes=True,
    )

    @property
    def tags(self) -> list[str]:
        """The asset's tags, sorted."""
        return [row.tag for row in self.tag_rows]

    @property
    def focal_point(self) -> tuple[float, float] | None:
        """The point to keep in view when cropping, as (x, y) in 0..1."""
        if self.focal_x is None or self.focal_y is None:
            return None
        return (self.focal_x, self.focal_y)


class AssetTag(Base):
    """One tag of one asset (a row each, so assets can be filtered by tag)."""

    __tablename__ = "asset_tags"

    asset_id: Mapped[int] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


class AssetVersion(Base):
    """One file an asset has had; replacing the file adds a version and keeps the old one."""

    __tablename__ = "asset_versions"
    __table_args__ = (UniqueConstraint("asset_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    file_id: Mapped[int] = mapped_column(
        ForeignKey("asset_files.id", ondelete="RESTRICT"), index=True
    )
    filename: Mapped[str] = mapped_column(String(1024))
    author: Mapped[str | None] = mapped_column(String(255))
    created: Mapped[dt.datetime] = mapped_column(default=utcnow)

    asset: Mapped[Asset] = relationship(back_populates="versions")
    file: Mapped[StoredFile] = relationship(lazy="joined")
