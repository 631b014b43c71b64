"""Run checked search conditions: SQL clauses, a safe prefilter, then exact value tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, false, func, select, true
from sqlalchemy.orm import Session, aliased, selectinload

from pim.catalog import query_sql as q
from pim.catalog.models import FamilyVariant, Product, ProductModel
from pim.catalog.query_values import Predicate, predicate, prefilter
from pim.catalog.structure_cache import structure

BATCH = 500


@dataclass
class Compiled:
    """Conditions turned into SQL clauses and Python tests over merged values."""

    model: type
    clauses: list[Any] = field(default_factory=list)
    prefilters: list[Any] = field(default_factory=list)
    tests: list[Predicate] = field(default_factory=list)


def compile_conditions(session: Session, conditions: list[Any], model: type) -> Compiled:
    """Split conditions into SQL clauses and value tests for `model`."""
    compiled = Compiled(model)
    parent, grand = aliased(ProductModel, name="parent_model"), aliased(
        ProductModel, name="grand_model")
    compiled.parent, compiled.grand = parent, grand  # type: ignore[attr-defined]
    columns = [model.values, parent.values] + ([grand.values] if model is Product else [])
    cache = structure(session)
    for cond in conditions:
        clause = _property_clause(session, model, cond)
        if clause is not None:
            compiled.clauses.append(clause)
            continue
        attribute = cache.attribute(cond.field)
        compiled.tests.append(predicate(attribute, cond.operator, cond.value, cond.locale,
                                        cond.scope))
        coarse = prefilter(attribute, cond.operator, cond.value, columns)
        if coarse is not None:
            compiled.prefilters.append(coarse)
    return compiled


def _property_clause(session: Session, model: type, cond: Any) -> Any:
    op, value, name = cond.operator, cond.value, cond.field
    if name in ("identifier", "code"):
        column = model.identifier if model is Product else model.code
        return q.text_clause(column, op, value)
    if name == "uuid":
        return q.text_clause(Product.uuid, op, value)
    if name == "categories":
        return q.category_clause(session, model, op, value)
    if name in ("created", "updated"):
        if name == "updated" and model is Product:
            return q.updated_clause(op, value)
        return q.date_clause(getattr(model, name), op, value)
    if name == "groups":
        return false() if op in ("IN", "NOT EMPTY") else true()
    if model is Product:
        return _product_clause(session, name, op, value, cond)
    return _model_clause(session, name, op, value, cond)


def _product_clause(session: Session, name: str, op: str, value: Any, cond: Any) -> Any:
    if name == "family":
        return q.code_clause(Product.family_id, op, q.family_ids(session, value or []))
    if name == "enabled":
        return Product.enabled.is_(value) if op == "=" else Product.enabled.is_not(value)
    if name == "status":
        return q.text_clause(Product.status, op, value)
    if name == "completeness":
        channel = structure(session).channels[cond.scope]
        return q.completeness_clause(channel, op, value, list(cond.locales or []) or (
            [cond.locale] if cond.locale else None))
    if name == "parent":
        return q.product_parent_clause(session, op, value)
    return None


def _model_clause(session: Session, name: str, op: str, value: Any, cond: Any) -> Any:
    if name == "family":
        return q.model_family_clause(session, op, value or [])
    if name == "family_variant":
        ids = select(FamilyVariant.id).where(FamilyVariant.code.in_(value))
        column = ProductModel.family_variant_id
        return column.in_(ids) if op == "IN" else column.not_in(ids)
    if name == "completeness":
        channel = structure(session).channels[cond.scope]
        return q.model_completeness_clause(channel, op, list(cond.locales or []) or (
            [cond.locale] if cond.locale else None))
    if name == "parent":
        return q.model_parent_clause(session, op, value)
    return None


def _base(compiled: Compiled, *columns: Any) -> Select:
    query = select(*columns).where(*compiled.clauses)
    if compiled.prefilters:
        model, parent = compiled.model, compiled.parent  # type: ignore[attr-defined]
        query = query.outerjoin(parent, parent.id == model.parent_id)
        if model is Product:
            grand = compiled.grand  # type: ignore[attr-defined]
            query = query.outerjoin(grand, grand.id == parent.parent_id)
        query = query.where(*compiled.prefilters)
    return query


@dataclass
class Scan:
    """How far a scan of candidate rows went, and whether it stopped at its bound."""

    last: int = 0
    stopped: bool = False


def count(session: Session, compiled: Compiled) -> int:
    """Count every match."""
    if not compiled.tests:
        return session.scalar(_base(compiled, func.count(compiled.model.id))) or 0
    return sum(1 for _ in _matching_ids(session, compiled, Scan(), None))


def page(session: Session, compiled: Compiled, *, after: int | None, offset: int, limit: int,
         max_scan: int | None) -> tuple[list[int], bool, int | None]:
    """Return (ids of one page, more follow, keyset cursor to the next page)."""
    model = compiled.model
    if not compiled.tests:
        query = _base(compiled, model.id).order_by(model.id).limit(limit + 1)
        query = query.where(model.id > after) if after is not None else query.offset(offset)
        ids = list(session.scalars(query))
        more = len(ids) > limit
        return ids[:limit], more, ids[limit - 1] if more else None
    found: list[int] = []
    scan = Scan(last=after or 0)
    for match in _matching_ids(session, compiled, scan, max_scan):
        if offset:
            offset -= 1
            continue
        found.append(match)
        if len(found) > limit:
            return found[:limit], True, found[limit - 1]
    if scan.stopped:
        return found, True, scan.last
    return found, False, None


def _matching_ids(session: Session, compiled: Compiled, scan: Scan, max_scan: int | None
                  ) -> Iterator[int]:
    model = compiled.model
    columns = (model.id, model.values, model.parent_id)
    seen = 0
    models: dict[int, tuple[int | None, dict]] = {}
    while True:
        rows = session.execute(_base(compiled, *columns).where(model.id > scan.last)
                               .order_by(model.id).limit(BATCH)).all()
        if not rows:
            return
        _load_models(session, models, {r.parent_id for r in rows if r.parent_id})
        for row in rows:
            merged = _merged(row.values, row.parent_id, models)
            if all(test(merged) for test in compiled.tests):
                yield row.id
        scan.last, seen = rows[-1].id, seen + len(rows)
        if max_scan is not None and seen >= max_scan:
            scan.stopped = True
            return


def _load_models(session: Session, found: dict, ids: set[int]) -> None:
    ids = {i for i in ids if i not in found}
    while ids:
        rows = session.execute(select(ProductModel.id, ProductModel.parent_id,
                                      ProductModel.values).where(ProductModel.id.in_(ids))).all()
        found.update({r.id: (r.parent_id, r.values) for r in rows})
        ids = {r.parent_id for r in rows if r.parent_id and r.parent_id not in found}


def _merged(values: dict, parent_id: int | None, models: dict) -> dict:
    merged = dict(values or {})
    while parent_id:
        parent_id, parent_values = models[parent_id]
        for code, entries in (parent_values or {}).items():
            merged.setdefault(code, entries)
    return merged


def load(session: Session, model: type, ids: list[int]) -> list[Any]:
    """Load entities by id, in the order given, with their categories."""
    if not ids:
        return []
    rows = session.scalars(select(model).where(model.id.in_(ids))
                           .options(selectinload(model.categories))).unique()
    by_id = {row.id: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]
