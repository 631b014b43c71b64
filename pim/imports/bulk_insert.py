"""Write checked product rows with one COPY or executemany per table, straight to the driver.

Every value is prepared once: JSON documents (values, versions, completeness) are encoded
with orjson and read by the column's own type (JSONB on PostgreSQL, which COPY fills); the
batch's timestamp goes through the column type's own bind processing, so it is stored
exactly as the ORM stores it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, select
from sqlalchemy.orm import Session

from pim.catalog.models import Completeness, Product, UniqueValue, Version, product_categories
from pim.db import utcnow
from pim.jsontext import dumps
from pim.search.sync import note_products

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


def insert_products(session: Session, rows: list[dict[str, Any]], categories: dict[str, int],
                    stamp: dict[str, Any]) -> list[int]:
    """Insert products with their categories, unique values, completeness and versions."""
    connection = session.connection()
    now = utcnow()
    stored_now = Product.__table__.c.created.type.bind_processor(connection.dialect)
    when = stored_now(now) if stored_now else now
    insert_many(connection, Product.__table__, PRODUCT_COLUMNS,
                [_product(row, when) for row in rows])
    ids = dict(connection.execute(select(Product.identifier, Product.id).where(
        Product.identifier.in_([row["identifier"] for row in rows]))).all())
    links, uniques, complete, versions = [], [], [], []
    for row in rows:
        product_id = ids[row["identifier"]]
        links += [(product_id, categories[code]) for code in row["categories"]]
        uniques += [(a, d, product_id) for a, d in row["unique"].items()]
        complete += [(product_id, c["channel_id"], c["locale"], c["required"], c["missing"],
                      c["ratio"], encode(c["missing_attributes"])) for c in row["completeness"]]
        versions.append(_version(product_id, row, when, stamp))
    insert_many(connection, product_categories, ("product_id", "category_id"), links)
    insert_many(connection, UniqueValue.__table__, ("attribute_id", "data", "product_id"),
                uniques)
    insert_many(connection, Completeness.__table__, COMPLETENESS_COLUMNS, complete)
    insert_many(connection, Version.__table__, VERSION_COLUMNS, versions)
    note_products(session, ids.values())
    return [ids[row["identifier"]] for row in rows]


def _product(row: dict[str, Any], when: Any) -> tuple:
    return (str(uuid.uuid4()), row["identifier"],
            row["family"].id if row["family"] else None,
            row["parent"].id if row["parent"] else None, row["enabled"], "draft",
            encode(row["values"]), when, when, 1)


def _version(product_id: int, row: dict[str, Any], when: Any, stamp: dict[str, Any]) -> tuple:
    return ("product", product_id, row["identifier"], 1, stamp["author"], stamp["source"],
            None, when, None, encode(row["flat"]),
            stamp["changeset_id"])
