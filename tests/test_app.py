"""The application factory and its refusal to run on an unmigrated database."""

import pytest

from pim import create_app
from pim.db import make_engine, pending_migrations
from pim.errors import UnmigratedDatabase


def test_app_refuses_unmigrated_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    with pytest.raises(UnmigratedDatabase, match="prism db upgrade"):
        create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path)})


def test_migrated_database_has_no_pending_migrations(engine):
    assert pending_migrations(engine) == set()


def test_app_starts_on_migrated_database(app):
    assert app.extensions["prism.engine"] is not None


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_migrations_create_exactly_the_tables_the_models_describe(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    import pim.models  # noqa: F401
    from pim.db import Base

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
