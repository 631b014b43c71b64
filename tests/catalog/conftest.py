"""Fixtures of the catalog's migration tests."""

from __future__ import annotations

import os

import pytest

from tests.conftest import PG_ENV, _postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def blank_url(request, tmp_path):
    """An empty database, not migrated."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'blank.sqlite3'}"
        return
    server = os.environ.get(PG_ENV)
    if not server:
        pytest.skip(f"PostgreSQL run skipped: set {PG_ENV} to a server URL to run it")
    yield from _postgres_database(server)
