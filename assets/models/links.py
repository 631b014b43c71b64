"""Link rules: attach uploaded assets to products by a file name pattern."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pim.db import Base, utcnow


class LinkRule(Base):
    """`{identifier}_{position}.jpg` -> asset collection attribute `images`, say."""

    __tablename__ = "asset_link_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    pattern: Mapped[str] = mapped_column(String(255))
    attribute: Mapped[str] = mapped_column(String(100))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[dt.datetime] = mapped_column(default=utcnow)
