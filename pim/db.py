"""Persistence plumbing: the declarative base, engines and sessions per app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, DateTime, Engine, MetaData, TypeDecorator, create_engine, event
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import StaticPool

from pim.errors import UnmigratedDatabase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# how much of a SQLite database file is read through a memory map
SQLITE_MMAP_BYTES = 256 * 1024 * 1024
# each SQLite connection's page cache, at most (taken as needed), and the size of the
# write-ahead log, in pages, at which a commit copies it back into the database
SQLITE_CACHE_KIB = 16 * 1024
SQLITE_CHECKPOINT_PAGES = 10_000

# JSON on every database, JSONB where PostgreSQL offers it.
JSONType = JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
# JSON kept as written, for documents only ever read whole (history): PostgreSQL checks
# json text as it comes in, where jsonb would take it apart
JSONTextType = JSON(none_as_null=True).with_variant(postgresql.JSON(none_as_null=True),
                                                    "postgresql")


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every database (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> Any:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC times")
        return value.astimezone(dt.UTC) if value is not None else None

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> Any:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC) if value is not None else None


class Base(DeclarativeBase):
    """Declarative base of every Prism table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        dict[str, Any]: JSONType,
        list[Any]: JSONType,
        list[str]: JSONType,
        dt.datetime: UTCDateTime(),
    }


def utcnow() -> dt.datetime:
    """Return the current time, timezone-aware, in UTC."""
    return dt.datetime.now(dt.UTC)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a sane busy timeout."""
    if url.startswith("sqlite"):
        database = url.split("///", 1)[-1]
        if database in ("", ":memory:"):
            kwargs.setdefault("poolclass", StaticPool)
        else:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # let SQLAlchemy, not pysqlite, emit BEGIN, so savepoints and DDL are transactional
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # read pages straight from the OS cache instead of copying them into each connection's
    # 2 MB page cache: a list page at an offset walks thousands of pages
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    # a bulk write (an import's batch of products, versions and completeness rows) keeps
    # its pages in the cache until commit, and the log is copied back in larger steps
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cursor.execute(f"PRAGMA wal_autocheckpoint={SQLITE_CHECKPOINT_PAGES}")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def make_session_factory(bind: Any, **kwargs: Any) -> sessionmaker[Session]:
    """Return the session factory the app and its services use."""
    return sessionmaker(bind=bind, expire_on_commit=False, **kwargs)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Yield a session that is closed afterwards; the caller commits."""
    session = factory()
    try:
        yield session
    finally:
        session.close()


def alembic_config(url: str) -> Any:
    """Build the Alembic configuration for Prism's migrations on `url`."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_database(engine: Engine) -> None:
    """Apply every pending migration to the database behind `engine`."""
    from alembic import command

    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")


def pending_migrations(engine: Engine) -> set[str]:
    """Return the migration heads the database has not reached yet."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(str(engine.url)))
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    expected = set(script.get_heads())
    reached = set()
    for head in current:
        reached.update(rev.revision for rev in script.iterate_revisions(head, "base"))
    return expected - reached


def check_migrated(engine: Engine) -> None:
    """Refuse to go on with a database that lacks migrations."""
    missing = pending_migrations(engine)
    if missing:
        raise UnmigratedDatabase(
            f"The database at {engine.url.render_as_string(hide_password=True)} is not "
            f"migrated (missing {', '.join(sorted(missing))}). Run: prism db upgrade"
        )
