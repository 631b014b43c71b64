"""Token plumbing shared by OAuth and personal tokens: minting and digests."""

from __future__ import annotations

import hashlib
import secrets

from pim.errors import PrismError


class Unauthenticated(PrismError):
    """No credentials, or credentials that are unknown, expired or revoked."""

    code = "unauthenticated"


class GrantError(PrismError):
    """A token request that cannot be granted (bad client, user, grant or refresh token)."""

    code = "invalid_grant"


def new_secret(nbytes: int = 32) -> str:
    """Return a fresh random secret, URL-safe."""
    return secrets.token_urlsafe(nbytes)


def digest(secret: str) -> str:
    """Return the SHA-256 hex digest under which a high-entropy secret is stored."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def same_digest(secret: str, stored: str) -> bool:
    """Compare a secret with a stored digest in constant time."""
    return secrets.compare_digest(digest(secret), stored)
