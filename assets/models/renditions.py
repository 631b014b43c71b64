"""Renditions: a derived image per (stored file, spec), generated once and kept."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assets.models.files import StoredFile
from pim.db import Base, utcnow


class Rendition(Base):
    """A derived image of a stored file; `focal_key` tells crops around other points apart."""

    __tablename__ = "asset_renditions"
    __table_args__ = (UniqueConstraint("file_id", "spec", "focal_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("asset_files.id", ondelete="CASCADE"))
    spec: Mapped[str] = mapped_column(String(255))
    focal_key: Mapped[str] = mapped_column(String(32), default="")
    storage_key: Mapped[str] = mapped_column(String(512))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    created: Mapped[dt.datetime] = mapped_column(default=utcnow)

    file: Mapped[StoredFile] = relationship(lazy="joined")
