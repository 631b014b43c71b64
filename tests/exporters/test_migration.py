"""The publications migration creates exactly the tables the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import pim.models  # noqa: F401
from pim.db import Base

TABLES = ("publications", "publication_records", "publication_problems", "channel_listings",
          "channel_feeds")


def test_publications_migration_matches_the_models(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(context, Base.metadata)
    mine = [d for d in diffs if any(name in repr(d) for name in TABLES)]
    assert mine == []
