"""Personal API tokens: a user's own bearer token, read or write, stored hashed, revocable."""

from __future__ import annotations

import datetime as dt
import functools

from sqlalchemy import Select, bindparam, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from pim.auth.api_models import PersonalToken
from pim.auth.models import User
from pim.auth.tokens import Unauthenticated, digest, new_secret
from pim.auth.users import get_user
from pim.db import utcnow
from pim.errors import FieldError, NotFound, ValidationError

PREFIX = "prism_pat_"
SCOPES = ("read", "write")
# last-used times are written at most this often, to keep reads cheap
LAST_USED_EVERY = dt.timedelta(seconds=60)


def create_personal_token(session: Session, username: str, scope: str, *,
                          label: str | None = None, commit: bool = True
                          ) -> tuple[PersonalToken, str]:
    """Create a token for `username`; return it and the plain token (shown once)."""
    if scope not in SCOPES:
        raise ValidationError([FieldError("scope", f"scope must be one of {', '.join(SCOPES)}")])
    user = get_user(session, username)
    plain = PREFIX + new_secret()
    token = PersonalToken(token_hash=digest(plain), prefix=plain[:len(PREFIX) + 6],
                          user_id=user.id, label=label, scope=scope)
    session.add(token)
    if commit:
        session.commit()
    return token, plain


def list_personal_tokens(session: Session, username: str | None = None) -> list[PersonalToken]:
    """List personal tokens (of one user when given), newest first."""
    query = select(PersonalToken).order_by(PersonalToken.id.desc())
    if username:
        query = query.where(PersonalToken.user_id == get_user(session, username).id)
    return list(session.scalars(query))


def revoke_personal_token(session: Session, token_id: int, *, commit: bool = True
                          ) -> PersonalToken:
    """Revoke a personal token by its id; it stops working at once."""
    token = session.get(PersonalToken, token_id)
    if token is None:
        raise NotFound("personal token", token_id)
    token.revoked = token.revoked or utcnow()
    if commit:
        session.commit()
    return token


def is_personal_token(raw: str) -> bool:
    """Tell whether a bearer value is a personal token rather than an OAuth access token."""
    return raw.startswith(PREFIX)


@functools.cache
def _caller_statement() -> Select:
    # built once, on the tables rather than the ORM classes: building a statement and ORM
    # compilation cost more than running it, and this runs on every API call
    tokens, users = PersonalToken.__table__, User.__table__
    return (select(tokens.c.id, tokens.c.scope, tokens.c.revoked, tokens.c.last_used,
                   users.c.id.label("user_id"), users.c.username, users.c.role,
                   users.c.active)
            .join(users, users.c.id == tokens.c.user_id)
            .where(tokens.c.token_hash == bindparam("token_hash")))


def caller_for_personal_token(session: Session, raw: str) -> tuple[int, str, str, str]:
    """Return (user id, username, role, scope) behind a live personal token; note its use."""
    row = session.execute(_caller_statement(), {"token_hash": digest(raw)}).first()
    if row is None or row.revoked is not None or not row.active:
        raise Unauthenticated("The access token provided is invalid.")
    now = utcnow()
    last_used = row.last_used.replace(tzinfo=dt.UTC) if row.last_used and (
        row.last_used.tzinfo is None) else row.last_used
    if last_used is None or now - last_used > LAST_USED_EVERY:
        _note_use(session, row.id, now)
    return row.user_id, row.username, row.role, row.scope


def _note_use(session: Session, token_id: int, now: dt.datetime) -> None:
    # best effort: a request that loses SQLite's write lock to another one skips the note
    try:
        session.execute(update(PersonalToken).where(PersonalToken.id == token_id)
                        .values(last_used=now))
        session.commit()
    except OperationalError:
        session.rollback()
