"""What each role may do: viewers read, editors write content, reviewers approve,
admins manage the catalog structure, users and tokens."""

from __future__ import annotations

from typing import Final

READ: Final = "read"
WRITE_CONTENT: Final = "write_content"
APPROVE: Final = "approve"
MANAGE_STRUCTURE: Final = "manage_structure"
MANAGE_USERS: Final = "manage_users"
ACTIONS = (READ, WRITE_CONTENT, APPROVE, MANAGE_STRUCTURE, MANAGE_USERS)

PERMISSIONS: dict[str, frozenset[str]] = {
    "viewer": frozenset({READ}),
    "editor": frozenset({READ, WRITE_CONTENT}),
    "reviewer": frozenset({READ, WRITE_CONTENT, APPROVE}),
    "admin": frozenset(ACTIONS),
}

DESCRIPTIONS = {
    READ: "read the catalog",
    WRITE_CONTENT: "change product content",
    APPROVE: "approve products",
    MANAGE_STRUCTURE: "manage the catalog structure",
    MANAGE_USERS: "manage users and tokens",
}


def role_allows(role: str, action: str) -> bool:
    """Tell whether `role` may perform `action`."""
    return action in PERMISSIONS.get(role, frozenset())


def refusal(role: str, action: str) -> str:
    """Say, in a sentence, why `role` may not perform `action`."""
    return f"Access forbidden. The {role} role is not allowed to {DESCRIPTIONS[action]}."
