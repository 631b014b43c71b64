"""People: create and list users, check passwords. The UI login and the API share these."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pim.auth.models import ROLES, User
from pim.auth.passwords import MIN_LENGTH, hash_password, needs_rehash, verify_password
from pim.errors import AlreadyExists, FieldError, NotFound, ValidationError

USERNAME = re.compile(r"^[\w.@+-]{1,100}$")
# verified against when the user does not exist, so both paths take the same time
_DUMMY_HASH: list[str] = []


def get_user(session: Session, username: str) -> User:
    """Return the user `username`."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound("user", username)
    return user


def list_users(session: Session) -> list[User]:
    """List users by username."""
    return list(session.scalars(select(User).order_by(User.username)))


def create_user(session: Session, username: str, password: str, role: str, *,
                email: str | None = None, commit: bool = True) -> User:
    """Create a user with a hashed password, after checking every field."""
    errors = []
    if not isinstance(username, str) or not USERNAME.match(username):
        errors.append(FieldError("username", "a username is 1 to 100 letters, digits or . @ + - _"))
    if role not in ROLES:
        errors.append(FieldError("role", f"role must be one of {', '.join(ROLES)}"))
    errors.extend(_password_problems(password))
    if errors:
        raise ValidationError(errors)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AlreadyExists("user", username)
    user = User(username=username, password_hash=hash_password(password), role=role,
                email=email, active=True, credentials_version=1)
    session.add(user)
    if commit:
        session.commit()
    return user


def _password_problems(password: Any) -> list[FieldError]:
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        return [FieldError("password", f"a password has at least {MIN_LENGTH} characters")]
    return []


def set_password(session: Session, username: str, password: str, *, commit: bool = True
                 ) -> User:
    """Change a password; every token and session minted before stops working."""
    problems = _password_problems(password)
    if problems:
        raise ValidationError(problems)
    user = get_user(session, username)
    user.password_hash = hash_password(password)
    user.credentials_version += 1
    if commit:
        session.commit()
    return user


def set_role(session: Session, username: str, role: str, *, commit: bool = True) -> User:
    """Give a user another role."""
    if role not in ROLES:
        raise ValidationError([FieldError("role", f"role must be one of {', '.join(ROLES)}")])
    user = get_user(session, username)
    user.role = role
    if commit:
        session.commit()
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """Return the active user whose username and password match, else None."""
    user = session.scalar(select(User).where(User.username == username)) if isinstance(
        username, str) else None
    if user is None or not isinstance(password, str):
        verify_password(_dummy_hash(), password if isinstance(password, str) else "")
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        session.commit()
    return user


def _dummy_hash() -> str:
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(hash_password("not a real password"))
    return _DUMMY_HASH[0]
