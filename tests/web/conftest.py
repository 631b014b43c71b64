"""Fixtures of the UI tests: a small catalog, users of every role, signed-in clients.

The app and the small catalog are built once per test module, inside a transaction that
stays open for the module; each test runs in a savepoint of it, rolled back after the test.
A module that uses `catalog` therefore shows it to every test after the first that asks
for it: keep tests that need an empty catalog in modules that never ask for it.
"""

from __future__ import annotations

import pytest
from sqlalchemy.orm import sessionmaker

from pim import create_app
from pim.auth.models import User
from pim.auth.passwords import hash_password
from tests.builders import product, small_catalog

PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def password_hash() -> str:
    return hash_password(PASSWORD)


@pytest.fixture(scope="module")
def module_connection(engine):
    """One connection per module and backend, in a transaction rolled back at its end."""
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        if outer.is_active:
            outer.rollback()


@pytest.fixture()
def connection(module_connection):
    """The test's view of the module's connection: a savepoint rolled back after the test."""
    nested = module_connection.begin_nested()
    yield module_connection
    if nested.is_active:
        nested.rollback()


@pytest.fixture(scope="module")
def module_app(module_connection, engine, tmp_path_factory):
    """One app per module and backend (building one costs a second), on the module's
    connection: each test's writes still roll back with the test's savepoint."""
    factory = sessionmaker(bind=module_connection, expire_on_commit=False,
                           join_transaction_mode="create_savepoint")
    app = create_app({
        "TESTING": True, "INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
        "ENGINE": engine, "SESSION_FACTORY": factory, "SECRET_KEY": "test-secret",
        "JOBS_INLINE": True, "SEARCH_ENABLED": False, "WTF_CSRF_ENABLED": False,
    })
    yield app
    from pim import search

    search.shutdown(app)


@pytest.fixture()
def app(module_app):
    return module_app


@pytest.fixture(scope="module")
def shared_catalog(module_connection) -> None:
    """The small catalog and product shoe-1, built once for the module."""
    factory = sessionmaker(bind=module_connection, expire_on_commit=False,
                           join_transaction_mode="create_savepoint")
    with factory() as session:
        small_catalog(session)
        product(session, "shoe-1")
        session.commit()


@pytest.fixture()
def catalog(shared_catalog, session):
    return session


@pytest.fixture()
def users(session, password_hash):
    made = {}
    for role in ("viewer", "editor", "reviewer", "admin"):
        user = User(username=f"{role}-user", password_hash=password_hash, role=role, active=True,
                    credentials_version=1)
        session.add(user)
        made[role] = user
    session.commit()
    return made


def sign_in(client, user) -> None:
    """Open a signed-in session for `user` without the cost of a password check."""
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = f"{user.id}:{user.credentials_version}"
        flask_session["_fresh"] = True


@pytest.fixture()
def as_role(app, users):
    def client_for(role: str):
        client = app.test_client()
        sign_in(client, users[role])
        return client
    return client_for


@pytest.fixture()
def editor(as_role):
    return as_role("editor")


@pytest.fixture()
def viewer(as_role):
    return as_role("viewer")


@pytest.fixture()
def admin(as_role):
    return as_role("admin")
