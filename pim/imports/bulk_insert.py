"""Write checked product rows with one COPY or executemany per table, straight to the driver.

Every value is prepared once: JSON documents (values, versions, completeness) are encoded
with orjson and read by the column's own type (JSONB on PostgreSQL, which COPY fills); the
batch's timestamp goes through the column type's own bind processing, so it is stored
exactly as the ORM stores it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, select
from sqlalchemy.orm import Session

from pim.catalog.models import Completeness, Product, UniqueValue, Version, product_categories
from pim.db import utcnow
from pim.jsontext import dumps
from pim.search.sync import note_products
from pim.uuids import uuid7s

if TYPE_CHECKING:
    from pim.imports.bulk_rows import Prepared

PRODUCT_COLUMNS = ("uuid", "identifier", "family_id", "parent_id", "enabled", "status",
                   "values", "created", "updated", "version")
VERSION_COLUMNS = ("resource_type", "resource_id", "resource_code", "number", "author",
                   "source", "comment", "created", "changes", "snapshot", "changeset_id")
COMPLETENESS_COLUMNS = ("product_id", "channel_id", "locale", "required", "missing", "ratio",
                        "missing_attributes")


def encode(data: Any) -> str:
    """Encode JSON data as text."""
    return dumps(data).decode()


def insert_many(connection: Connection, table: Table, columns: Sequence[str],
                rows: list[tuple]) -> None:
    """Insert rows of prepared values: COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(c) for c in columns)
    if dialect.name == "postgresql":
        # COPY streams the rows in one command; JSON text is read by the column's type
        with connection.connection.driver_connection.cursor() as cursor, \
                cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    connection.exec_driver_sql(
        f"INSERT INTO {quote(table.name)} ({names}) VALUES ({', '.join([mark] * len(columns))})",
        rows)


def insert_products(session: Session, rows: list[Prepared], stamp: dict[str, Any]
                    ) -> list[int]:
    """Insert products with their categories, unique values, completeness and versions."""
    connection = session.connection()
    now = utcnow()
    dialect = connection.dialect
    stored_now = Product.__table__.c.created.type.dialect_impl(dialect).bind_processor(dialect)
    when = stored_now(now) if stored_now else now
    uuids = uuid7s(len(rows))
    insert_many(connection, Product.__table__, PRODUCT_COLUMNS, [
        (uuids[n], row.identifier, row.family_id, row.parent_id, row.enabled, "draft",
         row.values, when, when, 1) for n, row in enumerate(rows)])
    ids = dict(connection.execute(select(Product.identifier, Product.id).where(
        Product.identifier.in_([row.identifier for row in rows]))).all())
    links, uniques, complete, versions = [], [], [], []
    author, source, changeset = stamp["author"], stamp["source"], stamp["changeset_id"]
    for row in rows:
        product_id = ids[row.identifier]
        links += [(product_id, category) for category in row.category_ids]
        uniques += [(a, d, product_id) for a, d in row.unique.items()]
        complete += [(product_id, *c) for c in row.completeness]
        # a creation's changes are its snapshot's values: not stored (see Version.changes)
        versions.append(("product", product_id, row.identifier, 1, author, source, None, when,
                         None, row.snapshot, changeset))
    insert_many(connection, product_categories, ("product_id", "category_id"), links)
    insert_many(connection, UniqueValue.__table__, ("attribute_id", "data", "product_id"),
                uniques)
    insert_many(connection, Completeness.__table__, COMPLETENESS_COLUMNS, complete)
    insert_many(connection, Version.__table__, VERSION_COLUMNS, versions)
    note_products(session, ids.values())
    return [ids[row.identifier] for row in rows]
