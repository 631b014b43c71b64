"""The jobs migration creates exactly the table the model describes."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import pim.models  # noqa: F401
from pim.db import Base


def test_jobs_migration_matches_the_model(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(context, Base.metadata)
    mine = [d for d in diffs if "jobs" in repr(d)]
    assert mine == []
