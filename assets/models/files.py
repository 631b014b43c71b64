"""Stored files: the bytes of an upload, kept once per SHA-256 (content-addressed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pim.db import Base, utcnow


class StoredFile(Base):
    """One set of bytes in the storage, shared by every asset version that uploaded them."""

    __tablename__ = "asset_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(100), index=True)
    extension: Mapped[str] = mapped_column(String(10))
    width: Mapped[int | None] = mapped_column(Integer)  # as shown, after EXIF orientation
    height: Mapped[int | None] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(String(512), unique=True)
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    meta_text: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @property
    def is_image(self) -> bool:
        """True for raster images (they have a pixel size)."""
        return self.width is not None and self.height is not None

    @property
    def orientation(self) -> int:
        """The EXIF orientation (1 when absent)."""
        value = (self.meta or {}).get("orientation")
        return value if isinstance(value, int) and 1 <= value <= 8 else 1


def storage_key_for(sha256: str, extension: str) -> str:
    """Return the storage key of the original with this hash."""
    return f"originals/{sha256[:2]}/{sha256[2:4]}/{sha256}{extension}"
