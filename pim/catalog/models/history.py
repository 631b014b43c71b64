"""History: immutable versions, bulk changesets and the trash."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pim.db import Base, JSONTextType, utcnow


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
        # also the index of an entity's versions (its first two columns)
        UniqueConstraint("resource_type", "resource_id", "number"),
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
    # {flat key: {"old": ..., "new": ...}}; null for a creation, whose changes are the
    # values of its snapshot, every one new (see `changes`)
    stored_changes: Mapped[dict[str, Any] | None] = mapped_column("changes", JSONTextType)
    # the whole flat state after this version, kept every N versions
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSONTextType)
    changeset_id: Mapped[str | None] = mapped_column(
        ForeignKey("changesets.id", ondelete="SET NULL"), index=True
    )


    @property
    def changes(self) -> dict[str, dict[str, Any]]:
        """What this version changed: {flat key: {"old": ..., "new": ...}}."""
        if self.stored_changes is None:
            return creation_changes(self.snapshot or {})
        return self.stored_changes


def creation_changes(state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return the changes of an entity created in `state` (flat): every value is new."""
    return {key: {"old": None, "new": state[key]} for key in sorted(state)
            if state[key] is not None}


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
