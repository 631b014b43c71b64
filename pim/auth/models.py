"""People who use Prism and their roles."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from pim.db import Base, utcnow

ROLES = ("viewer", "editor", "reviewer", "admin")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    email: Mapped[str | None] = mapped_column(String(255))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="viewer")
    active: Mapped[bool] = mapped_column(default=True)
    ui_locale: Mapped[str] = mapped_column(String(20), default="en_US")
    created: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # bumped on password change so every session and token minted before is refused
    credentials_version: Mapped[int] = mapped_column(default=1)

    # flask-login's protocol
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.credentials_version}"
