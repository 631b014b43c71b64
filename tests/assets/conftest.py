"""Fixtures of the asset tests: a real SeaweedFS S3 server and storages on both backends."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from assets.policy import IngestPolicy
from assets.storage import Storage, open_storage
from tests.assets.seaweed import BUCKET, SeaweedS3


def s3_storage(server: SeaweedS3, **options: object) -> Storage:
    """A storage under a fresh prefix of the test bucket."""
    url = f"s3://{BUCKET}/t-{uuid.uuid4().hex[:12]}"
    return open_storage(url, endpoint_url=server.endpoint, region="us-east-1", **options)


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    """The same storage tests on the local disk and on a real S3-compatible server."""
    if request.param == "local":
        return open_storage((tmp_path / "media").as_uri())
    return s3_storage(request.getfixturevalue("seaweed"))


@pytest.fixture()
def local_storage(tmp_path: Path) -> Storage:
    return open_storage((tmp_path / "media").as_uri())


@pytest.fixture()
def policy() -> IngestPolicy:
    """The default ingest rules with small caps that tests can pass."""
    return IngestPolicy(max_bytes=5 * 1024 * 1024, max_pixels=4_000_000)


ASSET_TABLES = ("asset_files", "assets", "asset_tags", "asset_versions", "asset_renditions")


@pytest.fixture()
def footprint(session, storage):
    """A function returning what the asset tables and the storage hold right now."""
    from sqlalchemy import text

    def take() -> dict:
        counts = {t: session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                  for t in ASSET_TABLES}
        return {"rows": counts, "keys": list(storage.list())}

    return take


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def committed_sessions(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A session factory on a migrated database whose commits every thread sees."""
    import os

    from pim.db import make_engine, make_session_factory, upgrade_database
    from tests.conftest import PG_ENV, _postgres_database

    if request.param == "sqlite":
        urls = iter([f"sqlite:///{tmp_path_factory.mktemp('assets-db') / 'assets.db'}"])
    else:
        server = os.environ.get(PG_ENV)
        if not server:
            pytest.skip(f"PostgreSQL run skipped: set {PG_ENV} to a server URL to run it")
        urls = _postgres_database(server)
    engine = make_engine(next(urls))
    upgrade_database(engine)
    yield make_session_factory(engine)
    engine.dispose()
    for _ in urls:  # drops the PostgreSQL database
        pass
