"""The indexes written on each import: the migration that trims them, both ways."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, select, text

import pim.models  # noqa: F401
from pim.catalog.models import Completeness
from pim.db import alembic_config, make_engine, make_session_factory
from tests.builders import product, small_catalog, value

BEFORE = "0008_write_indexes@-1"
TRIMMED = {"completeness": {"ix_completeness_channel_locale_ratio"},
           "versions": {"ix_versions_changeset_id"},
           "unique_values": {"ix_unique_values_product_id"}}
FORMER = {"completeness": {"ix_completeness_channel_id", "ix_completeness_ratio"},
          "versions": {"ix_versions_changeset_id", "ix_versions_resource"},
          "unique_values": {"ix_unique_values_attribute_id", "ix_unique_values_product_id"}}


def test_the_migration_keeps_completeness_and_trims_the_indexes_both_ways(blank_url):
    config = alembic_config(blank_url)
    command.upgrade(config, "heads")
    command.downgrade(config, BEFORE)
    engine = make_engine(blank_url)
    try:
        with make_session_factory(engine)() as session:
            small_catalog(session)
            product(session, "shoe-1")
            product(session, "shoe-2", values={"name": value("Trail", "en_US"),
                                               "description": value("Grip", "en_US", "ecommerce")})
            session.commit()
        before = _completeness(engine)
        assert len(before) >= 2 and _indexes(engine) == FORMER
        engine.dispose()  # the migration rebuilds a table on SQLite
        command.upgrade(config, "heads")
        assert _completeness(engine) == before
        assert _indexes(engine) == TRIMMED
        assert _clustered(engine) == (engine.dialect.name == "sqlite")
        engine.dispose()
        command.downgrade(config, BEFORE)
        assert _completeness(engine) == before
        assert _indexes(engine) == FORMER
        assert not _clustered(engine)
    finally:
        engine.dispose()


def _completeness(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(select(Completeness.__table__).order_by(
            Completeness.product_id, Completeness.channel_id, Completeness.locale))]


def _indexes(engine) -> dict[str, set[str]]:
    found = inspect(engine)
    # PostgreSQL also lists the index behind each unique constraint
    return {table: {index["name"] for index in found.get_indexes(table)
                    if not index.get("duplicates_constraint")} for table in TRIMMED}


def _clustered(engine) -> bool:
    """Tell whether SQLite stores the completeness rows without a rowid."""
    if engine.dialect.name != "sqlite":
        return False
    with engine.connect() as conn:
        sql = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'completeness'"))
        return "WITHOUT ROWID" in sql.scalar_one()
