"""Credentials of the API: OAuth clients, access and refresh tokens, personal tokens.

Secrets and tokens are stored as SHA-256 digests only; the plain value is shown once.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pim.auth.models import User
from pim.db import Base, utcnow


class ApiClient(Base):
    """An application allowed to ask for tokens (Akeneo's "connection")."""

    __tablename__ = "api_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(255))
    created: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked: Mapped[dt.datetime | None] = mapped_column()


class AccessToken(Base):
    """A short-lived bearer token issued to a user through a client."""

    __tablename__ = "api_access_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("api_clients.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    credentials_version: Mapped[int] = mapped_column(Integer)
    created: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires: Mapped[dt.datetime] = mapped_column(index=True)

    user: Mapped[User] = relationship(lazy="joined")
    client: Mapped[ApiClient] = relationship(lazy="joined")


class RefreshToken(Base):
    """A longer-lived token that buys a new access token once."""

    __tablename__ = "api_refresh_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("api_clients.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    credentials_version: Mapped[int] = mapped_column(Integer)
    created: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires: Mapped[dt.datetime] = mapped_column(index=True)
    used: Mapped[dt.datetime | None] = mapped_column()

    user: Mapped[User] = relationship(lazy="joined")


class PersonalToken(Base):
    """A user's own long-lived API token, read-only or read-write, revocable."""

    __tablename__ = "personal_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    label: Mapped[str | None] = mapped_column(String(255))
    scope: Mapped[str] = mapped_column(String(10))
    created: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_used: Mapped[dt.datetime | None] = mapped_column()
    revoked: Mapped[dt.datetime | None] = mapped_column()

    user: Mapped[User] = relationship(lazy="joined")


class RateLimitHit(Base):
    """How many requests one key made in one fixed window (shared by every worker)."""

    __tablename__ = "api_rate_limits"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window: Mapped[int] = mapped_column(Integer, primary_key=True)
    hits: Mapped[int] = mapped_column(Integer, default=0)
