"""Completeness per product x channel x locale: stored, and recomputed in batches."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from pim.catalog.models import Attribute, Channel, Completeness, Family, Product, ProductModel
from pim.catalog.structure_cache import structure
from pim.catalog.types import type_for
from pim.catalog.types.base import EMPTY_VALUES
from pim.catalog.values import Values, flatten_values, value_key

BATCH = 1000


def requirements(family: Family) -> dict[int, list[Attribute]]:
    """Return a family's required attributes per channel id."""
    by_channel: dict[int, list[Attribute]] = {}
    for requirement in family.requirements:
        by_channel.setdefault(requirement.channel_id, []).append(requirement.attribute)
    return by_channel


# what one channel and locale requires: each attribute, the flat key of the value to look
# for, and how its type tells the value fills the requirement (None: any value but an
# empty one, tested inline), in the order of the attribute codes
Check = tuple[str, str, Callable[[Any, list[str]], bool] | None, list[str]]
Rules = list[tuple[int, str, list[Check]]]


def rules(family: Family | None, channels: Iterable[Channel]) -> Rules:
    """Return what completeness checks of a family, per channel and locale of each channel."""
    if family is None:
        return []
    required_by_channel = requirements(family)
    found = []
    for channel in channels:
        required = sorted(required_by_channel.get(channel.id, []), key=lambda a: a.code)
        for locale in channel.locales:
            found.append((channel.id, locale, [
                (a.code, value_key(a.code, locale if a.localizable else None,
                                   channel.code if a.scopable else None),
                 type_for(a.type).completeness_test(), channel.currencies)
                for a in required]))
    return found


def compute(family: Family | None, channels: Iterable[Channel], values: Values
            ) -> list[dict[str, Any]]:
    """Return the completeness rows of a product with `values` (merged over its parents)."""
    return rows_for(rules(family, channels), flatten_values(values))


ROW_FIELDS = ("channel_id", "locale", "required", "missing", "ratio", "missing_attributes")


def rows_for(compiled: Rules, flat: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the completeness rows of flat values (merged over the parents) under a
    family's compiled `rules`."""
    return [dict(zip(ROW_FIELDS, row, strict=True)) for row in row_tuples(compiled, flat)]


def row_tuples(compiled: Rules, flat: dict[str, Any],
               spell: Callable[[list[str]], Any] = list) -> list[tuple[Any, ...]]:
    """Return `rows_for` as tuples of the `ROW_FIELDS`, for bulk writers; `spell` makes
    the last field of the sorted codes of the missing attributes (a list by default)."""
    rows = []
    for channel_id, locale, checks in compiled:
        missing = [code for code, key, complete, currencies in checks
                   if (flat.get(key) in EMPTY_VALUES if complete is None
                       else not complete(flat.get(key), currencies))]
        count = len(checks)
        rows.append((channel_id, locale, count, len(missing),
                     100 if count == 0 else (100 * (count - len(missing))) // count,
                     spell(missing)))
    return rows


def refresh(session: Session, product: Product, merged: Values) -> None:
    """Store the completeness of one product in the current transaction."""
    channels = structure(session).channels.values()
    rows = {(r["channel_id"], r["locale"]): r for r in compute(product.family, channels, merged)}
    for stored in list(product.completeness):
        row = rows.pop((stored.channel_id, stored.locale), None)
        if row is None:
            product.completeness.remove(stored)
            continue
        for name in ("required", "missing", "ratio", "missing_attributes"):
            if getattr(stored, name) != row[name]:
                setattr(stored, name, row[name])
    for row in rows.values():
        product.completeness.append(Completeness(**row))


def recompute(
    session: Session,
    *,
    family_ids: Iterable[int] | None = None,
    product_ids: Iterable[int] | None = None,
) -> int:
    """Recompute stored completeness set-wise, a batch of products per statement."""
    channels = session.scalars(select(Channel)).all()
    compiled = {f.id: rules(f, channels) for f in session.scalars(select(Family))}
    done = 0
    for batch in _product_batches(session, family_ids, product_ids):
        parents = _model_values(session, {p.parent_id for p in batch if p.parent_id})
        rows = []
        for product in batch:
            merged = _merged(product.values, product.parent_id, parents)
            for row in rows_for(compiled.get(product.family_id, []), flatten_values(merged)):
                rows.append({"product_id": product.id, **row})
        ids = [p.id for p in batch]
        session.execute(delete(Completeness).where(Completeness.product_id.in_(ids)))
        if rows:
            session.execute(insert(Completeness), rows)
        done += len(batch)
    session.expire_all()
    return done


def _product_batches(
    session: Session, family_ids: Iterable[int] | None, product_ids: Iterable[int] | None
) -> Iterator[list[Any]]:
    query = select(Product.id, Product.family_id, Product.parent_id, Product.values)
    if family_ids is not None:
        query = query.where(Product.family_id.in_(list(family_ids)))
    if product_ids is not None:
        query = query.where(Product.id.in_(list(product_ids)))
    last = 0
    while True:
        batch = session.execute(
            query.where(Product.id > last).order_by(Product.id).limit(BATCH)
        ).all()
        if not batch:
            return
        last = batch[-1].id
        yield batch


def _model_values(session: Session, ids: set[int]) -> dict[int, tuple[int | None, Values]]:
    """Values of the given product models and of their parents."""
    found: dict[int, tuple[int | None, Values]] = {}
    while ids:
        rows = session.execute(
            select(ProductModel.id, ProductModel.parent_id, ProductModel.values).where(
                ProductModel.id.in_(list(ids))
            )
        ).all()
        found.update({r.id: (r.parent_id, r.values) for r in rows})
        ids = {r.parent_id for r in rows if r.parent_id and r.parent_id not in found}
    return found


def _merged(values: Values, parent_id: int | None, models: dict[int, tuple[int | None, Values]]
            ) -> Values:
    merged = dict(values)
    while parent_id:
        parent_id, parent_values = models[parent_id]
        for code, entries in parent_values.items():
            merged.setdefault(code, entries)
    return merged
