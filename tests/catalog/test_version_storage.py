"""How versions are stored: a creation keeps its snapshot only; the migration both ways."""

from __future__ import annotations

import json

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text

import pim.models  # noqa: F401
from pim.catalog import services as s
from pim.catalog.models import Version
from pim.db import Base, alembic_config, make_engine, make_session_factory
from tests.builders import product, small_catalog, value

# two steps down the branch of the version storage: below it and the migration after it
BEFORE_VERSION_STORAGE = "0008_write_indexes@-2"


def test_a_creation_stores_its_snapshot_and_says_every_value_is_new(session):
    small_catalog(session)
    created = product(session, values={"name": value("Trail shoe", "en_US"),
                                       "stock": value(7)})
    s.update_product(session, created.identifier, {"values": {"stock": value(8)}},
                     author="ed")
    first, second = session.scalars(select(Version).where(
        Version.resource_type == "product", Version.resource_id == created.id)
        .order_by(Version.number))
    assert first.stored_changes is None
    assert first.changes == {
        "categories": {"old": None, "new": ["men"]}, "enabled": {"old": None, "new": True},
        "family": {"old": None, "new": "shoes"},
        "identifier": {"old": None, "new": "shoe-1"},
        "name-en_US": {"old": None, "new": "Trail shoe"},
        "sku": {"old": None, "new": "shoe-1"}, "status": {"old": None, "new": "draft"},
        "stock": {"old": None, "new": 7}}
    assert second.stored_changes == second.changes == {"stock": {"old": 7, "new": 8}}
    assert s.diff_versions(session, "product", "shoe-1", 1, 2) == second.changes


def test_the_versions_table_matches_the_model(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(context, Base.metadata)
    assert [d for d in diffs if "versions" in repr(d)] == []


def test_the_migration_keeps_every_version_both_ways(blank_url):
    config = alembic_config(blank_url)
    command.upgrade(config, "heads")
    command.downgrade(config, BEFORE_VERSION_STORAGE)
    engine = make_engine(blank_url)
    try:
        _check_both_ways(config, engine)
    finally:
        engine.dispose()


def _check_both_ways(config, engine) -> None:
    with engine.begin() as conn:  # a version written before the migration, in full
        conn.execute(text(
            "INSERT INTO versions (resource_type, resource_id, resource_code, number, author, "
            "source, created, changes, snapshot) VALUES ('product', 999999, 'old', 1, 'ed', "
            "'ui', CURRENT_TIMESTAMP, :changes, :snapshot)"),
            {"changes": '{"sku": {"old": null, "new": "old"}}', "snapshot": '{"sku": "old"}'})
    command.upgrade(config, "heads")
    with make_session_factory(engine)() as session:
        small_catalog(session)
        product(session, "new")
        session.commit()
        stored = dict(session.execute(select(Version.resource_code, Version.stored_changes)
                                      .where(Version.resource_type == "product")).all())
    assert stored == {"old": {"sku": {"old": None, "new": "old"}}, "new": None}
    engine.dispose()  # the downgrade rebuilds the table
    command.downgrade(config, BEFORE_VERSION_STORAGE)
    with engine.connect() as conn:
        nulls = conn.execute(text("SELECT count(*) FROM versions WHERE changes IS NULL"))
        assert nulls.scalar() == 0
        rows = conn.execute(text("SELECT resource_code, changes FROM versions "
                                 "WHERE resource_type = 'product' ORDER BY resource_code"))
        found = {code: changes if isinstance(changes, dict) else json.loads(changes)
                 for code, changes in rows}
    assert found["old"] == {"sku": {"old": None, "new": "old"}}
    assert found["new"]["name-en_US"] == {"old": None, "new": "Trail shoe"}
