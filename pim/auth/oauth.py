"""OAuth2 as Akeneo does it: clients, the password and refresh_token grants, bearer tokens."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from sqlalchemy import Select, bindparam, delete, select
from sqlalchemy.orm import Session

from pim.auth.api_models import AccessToken, ApiClient, RefreshToken
from pim.auth.models import User
from pim.auth.tokens import GrantError, Unauthenticated, digest, new_secret, same_digest
from pim.auth.users import authenticate
from pim.db import utcnow
from pim.errors import FieldError, NotFound, ValidationError

BAD_CLIENT = ('Parameter "client_id" is missing or does not match any client, '
              "or secret is invalid")


@dataclass(frozen=True)
class TokenPair:
    """What the token endpoint answers: Akeneo's response body."""

    access_token: str
    refresh_token: str
    expires_in: int

    def as_dict(self) -> dict:
        return {"access_token": self.access_token, "expires_in": self.expires_in,
                "token_type": "bearer", "scope": None, "refresh_token": self.refresh_token}


def create_client(session: Session, label: str, *, commit: bool = True) -> tuple[ApiClient, str]:
    """Create an API client; return it and its secret (shown once, stored hashed)."""
    if not isinstance(label, str) or not label.strip() or len(label) > 255:
        raise ValidationError([FieldError("label", "a client needs a label of 1 to 255 "
                                                   "characters")])
    secret = new_secret()
    client = ApiClient(client_id=new_secret(24), secret_hash=digest(secret), label=label.strip())
    session.add(client)
    if commit:
        session.commit()
    return client, secret


def list_clients(session: Session) -> list[ApiClient]:
    """List API clients, newest first."""
    return list(session.scalars(select(ApiClient).order_by(ApiClient.id.desc())))


def revoke_client(session: Session, client_id: str, *, commit: bool = True) -> ApiClient:
    """Revoke a client and every token it was issued."""
    client = session.scalar(select(ApiClient).where(ApiClient.client_id == client_id))
    if client is None:
        raise NotFound("API client", client_id)
    client.revoked = utcnow()
    session.execute(delete(AccessToken).where(AccessToken.client_id == client.id))
    session.execute(delete(RefreshToken).where(RefreshToken.client_id == client.id))
    if commit:
        session.commit()
    return client


def check_client(session: Session, client_id: str, secret: str) -> ApiClient:
    """Return the live client whose id and secret match, else raise GrantError."""
    client = session.scalar(select(ApiClient).where(ApiClient.client_id == client_id))
    if client is None or client.revoked is not None or not same_digest(secret,
                                                                      client.secret_hash):
        raise GrantError(BAD_CLIENT)
    return client


def password_grant(session: Session, client: ApiClient, username: str, password: str, *,
                   access_ttl: int, refresh_ttl: int) -> TokenPair:
    """Issue tokens to a user who gives the right password."""
    if not username or not password:
        raise GrantError('Parameter "grant_type", "username" and "password" are required')
    user = authenticate(session, username, password)
    if user is None:
        raise GrantError("No user found for the given username and password")
    return _issue(session, client, user, access_ttl, refresh_ttl)


def refresh_grant(session: Session, client: ApiClient, refresh_token: str, *,
                  access_ttl: int, refresh_ttl: int) -> TokenPair:
    """Trade a refresh token (once) for a new pair of tokens."""
    if not refresh_token:
        raise GrantError('Parameter "refresh_token" is required')
    row = session.scalar(select(RefreshToken).where(
        RefreshToken.token_hash == digest(refresh_token)))
    now = utcnow()
    if row is None or row.client_id != client.id or row.used is not None:
        raise GrantError("Invalid refresh token")
    if row.expires <= now:
        raise GrantError("Refresh token has expired")
    if not row.user.active or row.credentials_version != row.user.credentials_version:
        raise GrantError("Invalid refresh token")
    row.used = now
    return _issue(session, client, row.user, access_ttl, refresh_ttl)


def _issue(session: Session, client: ApiClient, user: User, access_ttl: int, refresh_ttl: int
           ) -> TokenPair:
    now = utcnow()
    access, refresh = new_secret(), new_secret()
    session.add(AccessToken(token_hash=digest(access), client_id=client.id, user_id=user.id,
                            credentials_version=user.credentials_version, created=now,
                            expires=now + dt.timedelta(seconds=access_ttl)))
    session.add(RefreshToken(token_hash=digest(refresh), client_id=client.id, user_id=user.id,
                             credentials_version=user.credentials_version, created=now,
                             expires=now + dt.timedelta(seconds=refresh_ttl)))
    _forget_expired(session, now)
    session.commit()
    return TokenPair(access, refresh, access_ttl)


def _forget_expired(session: Session, now: dt.datetime) -> None:
    session.execute(delete(AccessToken).where(AccessToken.expires < now - dt.timedelta(days=1)))
    session.execute(delete(RefreshToken).where(RefreshToken.expires < now))


@functools.cache
def _caller_statement() -> Select:
    # built once, on the tables rather than the ORM classes: building a statement and ORM
    # compilation cost more than running it, and this runs on every API call
    tokens, clients, users = AccessToken.__table__, ApiClient.__table__, User.__table__
    return (select(tokens.c.expires, tokens.c.credentials_version, clients.c.revoked,
                   users.c.id, users.c.username, users.c.role, users.c.active,
                   users.c.credentials_version.label("user_credentials_version"))
            .join(clients, clients.c.id == tokens.c.client_id)
            .join(users, users.c.id == tokens.c.user_id)
            .where(tokens.c.token_hash == bindparam("token_hash")))


def caller_for_access_token(session: Session, token: str) -> tuple[int, str, str]:
    """Return (user id, username, role) behind a live access token, or raise Unauthenticated."""
    row = session.execute(_caller_statement(), {"token_hash": digest(token)}).first()
    if row is None or row[2] is not None:
        raise Unauthenticated("The access token provided is invalid.")
    if row.expires <= utcnow():
        raise Unauthenticated("The access token provided has expired.")
    if not row.active or row[1] != row[7]:
        raise Unauthenticated("The access token provided is invalid.")
    return row.id, row.username, row.role
