"""Who is calling the API: the user behind a bearer token and what they may do."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from pim.auth.models import User
from pim.auth.oauth import caller_for_access_token
from pim.auth.personal import caller_for_personal_token, is_personal_token
from pim.auth.roles import READ, refusal, role_allows
from pim.errors import PermissionDenied


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: username, role, and token scope ("read" or "write")."""

    user_id: int
    username: str
    role: str
    scope: str = "write"

    def can(self, action: str) -> bool:
        """Tell whether the caller may perform `action`."""
        if self.scope == "read" and action != READ:
            return False
        return role_allows(self.role, action)

    def require(self, action: str) -> None:
        """Raise PermissionDenied unless the caller may perform `action`."""
        if self.can(action):
            return
        if self.scope == "read" and role_allows(self.role, action):
            raise PermissionDenied("Access forbidden. This token is read-only.")
        raise PermissionDenied(refusal(self.role, action))


def principal_for_user(user: User, scope: str = "write") -> Principal:
    """Describe `user` as a caller with the given token scope."""
    return Principal(user.id, user.username, user.role, scope)


def principal_for_bearer(session: Session, token: str) -> Principal:
    """Resolve a bearer token (OAuth access token or personal token) to its caller."""
    if is_personal_token(token):
        return Principal(*caller_for_personal_token(session, token))
    return Principal(*caller_for_access_token(session, token))
