"""Publication tables: each run, its records and problems, what is live, feed secrets."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pim.db import Base, JSONType, utcnow

QUEUED, RUNNING, SUCCEEDED, FAILED = "queued", "running", "succeeded", "failed"
STATUSES = (QUEUED, RUNNING, SUCCEEDED, FAILED)
FULL, DELTA, ROLLBACK = "full", "delta", "rollback"
MODES = (FULL, DELTA, ROLLBACK)


class Publication(Base):
    """One publish of one channel: from one read snapshot to the places it went."""

    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("channels.id", ondelete="CASCADE"), index=True)
    channel_code: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(50))
    mode: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=QUEUED, index=True)
    # set to the channel id while queued or running: the unique constraint lets one
    # publication of a channel run at a time
    running_channel_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    # a delta: the live publication it builds on; a rollback: the one it puts back
    base_id: Mapped[int | None] = mapped_column(
        ForeignKey("publications.id", ondelete="SET NULL"))
    job_id: Mapped[str | None] = mapped_column(String(36))
    created_by: Mapped[str | None] = mapped_column(String(255))
    created: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started: Mapped[dt.datetime | None] = mapped_column()
    finished: Mapped[dt.datetime | None] = mapped_column()
    considered: Mapped[int] = mapped_column(default=0)
    exported: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)
    filtered: Mapped[int] = mapped_column(default=0)
    removed: Mapped[int] = mapped_column(default=0)
    file_name: Mapped[str | None] = mapped_column(String(255))
    media_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None] = mapped_column(BigInteger)
    checksum: Mapped[str | None] = mapped_column(String(64))
    archive_key: Mapped[str | None] = mapped_column(String(512))
    # [{"type": "folder", "where": "/srv/feeds/google.xml", "status": "delivered"}, ...]
    deliveries: Mapped[list[Any]] = mapped_column(default=list)
    isolation: Mapped[str | None] = mapped_column(String(60))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    error: Mapped[str | None] = mapped_column(Text)

    @property
    def is_finished(self) -> bool:
        return self.status in (SUCCEEDED, FAILED)


class PublicationRecord(Base):
    """A product a publication wrote (or removed): its version and its record's hash."""

    __tablename__ = "publication_records"

    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publications.id", ondelete="CASCADE"), primary_key=True)
    product_id: Mapped[int] = mapped_column(primary_key=True)
    identifier: Mapped[str] = mapped_column(String(255))
    product_version: Mapped[int] = mapped_column()
    record_hash: Mapped[str] = mapped_column(String(64))
    removed: Mapped[bool] = mapped_column(default=False)


class PublicationProblem(Base):
    """Why a publication skipped a product: the field, the rule and the value."""

    __tablename__ = "publication_problems"

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publications.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column()
    identifier: Mapped[str] = mapped_column(String(255))
    field: Mapped[str] = mapped_column(String(100))
    rule: Mapped[str] = mapped_column(String(50))
    message: Mapped[str] = mapped_column(Text)
    value: Mapped[Any] = mapped_column(JSONType, nullable=True)


class ChannelListing(Base):
    """What one channel has of one product now: the version and record that are live."""

    __tablename__ = "channel_listings"

    channel_id: Mapped[int] = mapped_column(
        ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True)
    # no foreign key: a deleted product stays listed until a publication removes it
    product_id: Mapped[int] = mapped_column(primary_key=True)
    identifier: Mapped[str] = mapped_column(String(255))
    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publications.id", ondelete="CASCADE"), index=True)
    product_version: Mapped[int] = mapped_column()
    record_hash: Mapped[str] = mapped_column(String(64))
    published: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ChannelFeed(Base):
    """The secret of a channel's feed URL, kept only as its SHA-256."""

    __tablename__ = "channel_feeds"

    channel_id: Mapped[int] = mapped_column(
        ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True)
    secret_sha256: Mapped[str] = mapped_column(String(64))
    created: Mapped[dt.datetime] = mapped_column(default=utcnow)
