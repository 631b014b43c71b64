"""History: immutable versions, bulk changesets and the trash."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pim.db import Base, utcnow


class Changeset(Base):
    """One bulk operation (an import, a bulk edit, a revert): its versions share its id."""

    __tablename__ = "changesets"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    author: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    created: Mapped[dt.datetime] = mapped_column(default=utcnow)
    reverted_by: Mapped[str | None] = mapped_column(String(36))


class Version(Base):
    """An immutable record of one change to one entity."""

    __tablename__ = "versions"
    __table_args__ = (
        UniqueConstraint("resource_type", "resource_id", "number"),
        Index("ix_versions_resource", "resource_type", "resource_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_type: Mapped[str] = mapped_column(String(40))
    resource_id: Mapped[int] = mapped_column()
    resource_code: Mapped[str] = mapped_column(String(255))
    number: Mapped[int] = mapped_column()
    author: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(100))
    created: Mapped[dt.datetime] = mapped_column(default=utcnow)
    comment: Mapped[str | None] = mapped_column(Text)
    # {flat key: {"old": ..., "new": ...}}
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # the whole flat state after this version, kept every N versions
    snapshot: Mapped[dict[str, Any] | None] = mapped_column()
    changeset_id: Mapped[str | None] = mapped_column(
        ForeignKey("changesets.id", ondelete="SET NULL"), index=True
    )


class TrashItem(Base):
    """A deleted entity, kept whole so it can be put back."""

    __tablename__ = "trash"
    __table_args__ = (UniqueConstraint("resource_type", "resource_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_type: Mapped[str] = mapped_column(String(40))
    resource_id: Mapped[int] = mapped_column()
    code: Mapped[str] = mapped_column(String(255), index=True)
    snapshot: Mapped[dict[str, Any]] = mapped_column()
    deleted_by: Mapped[str] = mapped_column(String(255))
    deleted: Mapped[dt.datetime] = mapped_column(default=utcnow)
