"""API test fixtures: a small catalog, one user per role, bearer headers for each."""

from __future__ import annotations

import base64

import pytest
from argon2 import PasswordHasher

from pim.auth import oauth, passwords, personal, users
from tests.builders import small_catalog

ROLES = ("viewer", "editor", "reviewer", "admin")
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def quick_argon2(monkeypatch):
    """Real argon2 with light parameters: hashing at full cost is slow by design."""
    monkeypatch.setattr(passwords, "_hasher",
                        lambda: PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture()
def catalog(session):
    small_catalog(session)
    return session


@pytest.fixture()
def people(session):
    """One user per role, named after it."""
    return {role: users.create_user(session, role, PASSWORD, role) for role in ROLES}


@pytest.fixture()
def headers(session, people):
    """Bearer headers of a write-scope personal token for each role (and a read-only one)."""
    found = {}
    for role in ROLES:
        _, plain = personal.create_personal_token(session, role, "write")
        found[role] = {"Authorization": f"Bearer {plain}"}
    _, plain = personal.create_personal_token(session, "admin", "read")
    found["admin-read"] = {"Authorization": f"Bearer {plain}"}
    return found


@pytest.fixture()
def api_client(session):
    """An OAuth client: (client_id, secret, basic header)."""
    client, secret = oauth.create_client(session, "tests")
    raw = base64.b64encode(f"{client.client_id}:{secret}".encode()).decode()
    return client.client_id, secret, {"Authorization": f"Basic {raw}"}


def collection(lines: list[str]) -> dict:
    """Keyword arguments of a collection PATCH request."""
    return {"data": "\n".join(lines), "content_type": "application/vnd.akeneo.collection+json"}
