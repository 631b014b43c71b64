"""Products as the API answers them, read in two statements without building ORM objects.

A document has the shape of `products.dump_product` (values merged over the parent models,
the product's own categories, sorted). One statement reads the products with their family,
parent models and category codes, whatever the number of products: loading ORM objects
costs a statement per relationship and per grandparent model, and building the objects
costs more than the reading. Values arrive as JSON text decoded by orjson, category codes
as a JSON array aggregated by the database.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Select, Text, bindparam, cast, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from pim.catalog.models import Category, Family, Product, ProductModel, product_categories
from pim.errors import NotFound
from pim.jsontext import loads


@dataclass(frozen=True, slots=True)
class ProductDocument:
    """One product in Akeneo's REST shape, with the version its ETag names."""

    id: int
    identifier: str
    uuid: str
    version: int
    data: dict[str, Any]


def product_documents(session: Session, ids: list[int]) -> list[ProductDocument]:
    """Return the products `ids` as documents, in the order given (unknown ids skipped)."""
    if not ids:
        return []
    rows = session.execute(_products_statement("ids"), {"ids": ids}).all()
    found = {doc.id: doc for doc in _documents(session, rows)}
    return [found[i] for i in ids if i in found]


def product_document(session: Session, identifier: str) -> ProductDocument:
    """Return the product `identifier` as a document."""
    rows = session.execute(_products_statement("identifier"), {"identifier": identifier}).all()
    if not rows:
        raise NotFound("product", identifier)
    return _documents(session, rows)[0]


class json_array_agg(FunctionElement):  # noqa: N801 (named as SQL functions are)
    """Aggregate a column into a JSON array as text: NULL or "[]" when there is no row."""

    type = Text()
    inherit_cache = True


@compiles(json_array_agg, "sqlite")
def _sqlite_json_array_agg(element: json_array_agg, compiler: Any, **kw: Any) -> str:
    return f"json_group_array({compiler.process(element.clauses, **kw)})"


@compiles(json_array_agg, "postgresql")
def _postgresql_json_array_agg(element: json_array_agg, compiler: Any, **kw: Any) -> str:
    return f"CAST(json_agg({compiler.process(element.clauses, **kw)}) AS TEXT)"


@compiles(json_array_agg)
def _other_json_array_agg(element: json_array_agg, compiler: Any, **kw: Any) -> str:
    raise NotImplementedError(f"no JSON array aggregate for {compiler.dialect.name}")


@functools.cache
def _products_statement(key: str) -> Select:
    products, families = Product.__table__, Family.__table__
    parent = ProductModel.__table__.alias("parent_model")
    grand = ProductModel.__table__.alias("grand_model")
    # columns in the order `_documents` unpacks them
    where = (products.c.identifier == bindparam("identifier") if key == "identifier"
             else products.c.id.in_(bindparam("ids", expanding=True)))
    return (
        select(products.c.id, products.c.uuid, products.c.identifier, products.c.enabled,
               products.c.status, families.c.code.label("family"),
               parent.c.code.label("parent"), products.c.created, products.c.updated,
               products.c.version, _text(products.c["values"], "own"),
               _categories_column(products.c.id),
               products.c.parent_id, _text(parent.c["values"], "parent_values"),
               parent.c.parent_id.label("grand_id"), _text(grand.c["values"], "grand_values"),
               grand.c.parent_id.label("beyond_id"))
        .select_from(products.outerjoin(families, families.c.id == products.c.family_id)
                     .outerjoin(parent, parent.c.id == products.c.parent_id)
                     .outerjoin(grand, grand.c.id == parent.c.parent_id))
        .where(where)
    )


def _categories_column(product_id: Any) -> Any:
    """The codes of a product's categories as a JSON array (a correlated subquery)."""
    categories = Category.__table__
    return (select(json_array_agg(categories.c.code))
            .select_from(product_categories.join(
                categories, categories.c.id == product_categories.c.category_id))
            .where(product_categories.c.product_id == product_id)
            .scalar_subquery().label("categories"))


@functools.cache
def _model_statement() -> Select:
    models = ProductModel.__table__
    return select(models.c.parent_id, _text(models.c["values"], "values")).where(
        models.c.id == bindparam("id"))


def _text(column: Any, name: str) -> Any:
    return cast(column, Text).label(name)


def decode(text: str | None) -> dict[str, Any]:
    """Decode a stored values document (None for none)."""
    return loads(text) if text else {}


def _documents(session: Session, rows: list[Any]) -> list[ProductDocument]:
    models: dict[int, dict[str, Any]] = {}
    documents = []
    # rows unpacked by position: attribute access on result rows costs more than the rest
    for row in rows:
        (id_, uuid, identifier, enabled, status, family, parent, created, updated, version,
         own, categories) = row[:12]
        values = decode(own)
        for model_values in _inherited(session, row[12:], models):
            for code, entries in model_values.items():
                values.setdefault(code, entries)
        documents.append(ProductDocument(id_, identifier, uuid, version, {
            "uuid": uuid,
            "identifier": identifier,
            "enabled": enabled,
            "status": status,
            "family": family,
            "categories": sorted(orjson.loads(categories)) if categories else [],
            "groups": [],
            "parent": parent,
            "values": dict(sorted(values.items())),
            "created": _time(created),
            "updated": _time(updated),
            "associations": {},
            "quantified_associations": {},
        }))
    return documents


def _inherited(session: Session, lineage: Any, models: dict[int, dict[str, Any]]
               ) -> Iterator[dict[str, Any]]:
    """Values of the parent models, nearest first, each decoded once per call."""
    parent_id, parent_values, grand_id, grand_values, beyond = lineage
    if parent_id is None:
        return
    if parent_id not in models:
        models[parent_id] = decode(parent_values)
    yield models[parent_id]
    if grand_id is None:
        return
    if grand_id not in models:
        models[grand_id] = decode(grand_values)
    yield models[grand_id]
    while beyond is not None:
        # family variants have two levels at most, so models never sit deeper; read on anyway
        beyond, text = session.execute(_model_statement(), {"id": beyond}).one()
        yield decode(text)


def _time(value: Any) -> str | None:
    return value.isoformat(timespec="seconds") if value else None
