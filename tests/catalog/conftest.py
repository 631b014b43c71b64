"""Fixtures of the catalog's migration tests."""

from __future__ import annotations

import pytest

from tests.conftest import empty_database


@pytest.fixture(params=["sqlite", "postgresql"])
def blank_url(request, tmp_path):
    """An empty database, not migrated."""
    yield from empty_database(request.param, tmp_path / "blank.sqlite3")
