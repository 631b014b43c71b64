"""Databases that several threads and processes share: migrated, committed, real."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from pim import create_app
from pim.db import make_engine, upgrade_database
from pim.jobs import shutdown_jobs
from tests.conftest import PG_ENV

REDIS_URL = "redis://127.0.0.1:6379/0"


def _postgres_database(server_url: str) -> Iterator[str]:
    name = f"prism_jobs_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shared_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated database whose commits every thread and process sees."""
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path_factory.mktemp('jobs') / 'jobs.db'}"])
    else:
        server = os.environ.get(PG_ENV)
        if not server:
            pytest.skip(f"PostgreSQL run skipped: set {PG_ENV} to a server URL to run it")
        urls = _postgres_database(server)
    url = next(urls)
    engine = make_engine(url)
    upgrade_database(engine)
    engine.dispose()
    yield url
    for _ in urls:  # drops the PostgreSQL database
        pass


@pytest.fixture()
def shared_app_factory(shared_database_url: str, tmp_path: Path):
    """Build apps on the shared database; their job threads and engines end with the test."""
    apps = []

    def build(**config: object):
        settings = {
            "DATABASE_URL": shared_database_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": "test-secret",
            "JOBS_INLINE": False,
            "REDIS_URL": None,
            "SEARCH_ENABLED": False,
            "JOB_MODULES": ["tests.jobs.handlers"],
            **config,
        }
        app = create_app(settings)
        apps.append(app)
        return app

    yield build
    for app in apps:
        shutdown_jobs(app)
        app.extensions["prism.engine"].dispose()
