"""The assets migration creates exactly the tables the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import pim.models  # noqa: F401
from pim.db import Base

TABLES = ("asset_files", "assets", "asset_tags", "asset_versions", "asset_renditions",
          "asset_link_rules")


def test_assets_migration_matches_the_models(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(context, Base.metadata)
    mine = [d for d in diffs if any(f"'{table}'" in repr(d) for table in TABLES)]
    assert mine == []
    assert set(TABLES) <= set(Base.metadata.tables)
