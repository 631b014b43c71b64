"""SQL clauses for the product search's property filters (portable SQLite/PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, func, not_, or_, select, true
from sqlalchemy.orm import Session, aliased

from pim.catalog.models import (
    Category,
    Channel,
    Completeness,
    Family,
    FamilyVariant,
    Product,
    ProductModel,
    product_categories,
    product_model_categories,
)
from pim.db import utcnow

Clause = ColumnElement[bool]
COMPARE = {"<": "__lt__", "<=": "__le__", "=": "__eq__", "!=": "__ne__", ">=": "__ge__",
           ">": "__gt__"}
ALL_LOCALES = {"GREATER THAN ON ALL LOCALES": ">", "GREATER OR EQUALS THAN ON ALL LOCALES": ">=",
               "LOWER THAN ON ALL LOCALES": "<", "LOWER OR EQUALS THAN ON ALL LOCALES": "<="}


def text_clause(column: Any, operator: str, value: Any) -> Clause:
    """Compare a text column: =, !=, IN, NOT IN exactly; the others ignoring case."""
    folded = func.lower(column)
    clauses: dict[str, Any] = {
        "=": lambda: column == value, "!=": lambda: column != value,
        "IN": lambda: column.in_(value), "NOT IN": lambda: column.not_in(value),
        "STARTS WITH": lambda: folded.startswith(str(value).lower(), autoescape=True),
        "CONTAINS": lambda: folded.contains(str(value).lower(), autoescape=True),
        "DOES NOT CONTAIN": lambda: not_(folded.contains(str(value).lower(), autoescape=True)),
        "EMPTY": lambda: false(), "NOT EMPTY": lambda: true(),
    }
    return clauses[operator]()


def code_clause(column: Any, operator: str, ids: list[int]) -> Clause:
    """IN, NOT IN, EMPTY, NOT EMPTY on a nullable foreign key."""
    if operator == "IN":
        return column.in_(ids)
    if operator == "NOT IN":
        return or_(column.is_(None), column.not_in(ids))
    return column.is_(None) if operator == "EMPTY" else column.is_not(None)


def descendants(session: Session, codes: list[str]) -> list[int]:
    """Ids of the categories `codes` and of everything below them."""
    rows = session.execute(select(Category.id, Category.parent_id, Category.code)).all()
    children: dict[int | None, list[int]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row.id)
    found = [row.id for row in rows if row.code in codes]
    stack = list(found)
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def category_clause(session: Session, owner: Any, operator: str, codes: list[str]) -> Clause:
    """Category filters of products (owner Product) or product models."""
    table, key = ((product_categories, "product_id") if owner is Product
                  else (product_model_categories, "product_model_id"))
    link = table.c[key] == owner.id

    def linked(ids: list[int] | None = None) -> Clause:
        query = select(table.c.category_id).where(link)
        if ids is not None:
            query = query.where(table.c.category_id.in_(ids))
        return exists(query)

    if operator == "UNCLASSIFIED":
        return not_(linked())
    direct = list(session.scalars(select(Category.id).where(Category.code.in_(codes or []))))
    below = descendants(session, codes or []) if "CHILDREN" in operator else direct
    return {
        "IN": lambda: linked(direct),
        "NOT IN": lambda: not_(linked(direct)),
        "IN OR UNCLASSIFIED": lambda: or_(linked(direct), not_(linked())),
        "IN CHILDREN": lambda: linked(below),
        "NOT IN CHILDREN": lambda: not_(linked(below)),
    }[operator]()


def day_bounds(moment: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The start and end of the UTC day of `moment`."""
    start = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + dt.timedelta(days=1)


def date_clause(column: Any, operator: str, value: Any) -> Clause:
    """Created/updated filters: =, != (same day), <, >, BETWEEN, NOT BETWEEN, SINCE LAST N DAYS."""
    if operator == "SINCE LAST N DAYS":
        return column >= utcnow() - dt.timedelta(days=value)
    if operator in ("BETWEEN", "NOT BETWEEN"):
        inside = and_(column >= value[0], column <= value[1])
        return inside if operator == "BETWEEN" else not_(inside)
    if operator in ("=", "!="):
        start, end = day_bounds(value)
        inside = and_(column >= start, column < end)
        return inside if operator == "=" else not_(inside)
    return column < value if operator == "<" else column > value


def updated_clause(operator: str, value: Any) -> Clause:
    """A product matches `updated` when it or one of its parent models does (as Akeneo)."""
    parent = aliased(ProductModel)
    grand = aliased(ProductModel)
    own = date_clause(Product.updated, operator, value)
    via_parent = exists(select(parent.id).where(
        parent.id == Product.parent_id, date_clause(parent.updated, operator, value)))
    via_grand = exists(select(grand.id).join(parent, parent.parent_id == grand.id).where(
        parent.id == Product.parent_id, date_clause(grand.updated, operator, value)))
    return or_(own, via_parent, via_grand)


def product_parent_clause(session: Session, operator: str, value: Any) -> Clause:
    """Products below a model (=), directly under models (IN), simple or variant."""
    if operator in ("EMPTY", "NOT EMPTY"):
        return Product.parent_id.is_(None) if operator == "EMPTY" else Product.parent_id.is_not(
            None)
    codes = [value] if operator == "=" else value
    ids = list(session.scalars(select(ProductModel.id).where(ProductModel.code.in_(codes))))
    if operator == "IN":
        return Product.parent_id.in_(ids)
    subs = select(ProductModel.id).where(ProductModel.parent_id.in_(ids))
    return or_(Product.parent_id.in_(ids), Product.parent_id.in_(subs))


def model_parent_clause(session: Session, operator: str, value: Any) -> Clause:
    """Sub-models of root models (IN), root models (EMPTY), sub-models (NOT EMPTY)."""
    if operator == "IN":
        ids = select(ProductModel.id).where(ProductModel.code.in_(value))
        return ProductModel.parent_id.in_(ids)
    return code_clause(ProductModel.parent_id, operator, [])


def family_ids(session: Session, codes: list[str]) -> list[int]:
    """Ids of the families `codes`."""
    return list(session.scalars(select(Family.id).where(Family.code.in_(codes))))


def model_family_clause(session: Session, operator: str, codes: list[str]) -> Clause:
    """Family filters of product models, through their family variant."""
    if operator in ("EMPTY", "NOT EMPTY"):
        return false() if operator == "EMPTY" else true()
    variants = select(FamilyVariant.id).where(FamilyVariant.family_id.in_(
        family_ids(session, codes)))
    column = ProductModel.family_variant_id
    return column.in_(variants) if operator == "IN" else column.not_in(variants)


def _ratio(channel_id: int, locales: list[str], product_id: Any, op: str, value: int
           ) -> Clause:
    return exists(select(Completeness.product_id).where(
        Completeness.product_id == product_id, Completeness.channel_id == channel_id,
        Completeness.locale.in_(locales), getattr(Completeness.ratio, COMPARE[op])(value)))


def completeness_clause(channel: Channel, operator: str, value: Any,
                        locales: list[str] | None) -> Clause:
    """Completeness of products on a channel: any locale, or all the given locales."""
    chosen = locales or list(channel.locales)
    if operator in ALL_LOCALES:
        return and_(*(_ratio(channel.id, [loc], Product.id, ALL_LOCALES[operator], value)
                      for loc in chosen))
    return _ratio(channel.id, chosen, Product.id, operator, value)


def model_completeness_clause(channel: Channel, operator: str, locales: list[str] | None
                              ) -> Clause:
    """AT LEAST / ALL COMPLETE / INCOMPLETE over a product model's variant products."""
    chosen = locales or list(channel.locales)
    variant = aliased(Product)
    sub = aliased(ProductModel)
    below = or_(variant.parent_id == ProductModel.id, variant.parent_id.in_(
        select(sub.id).where(sub.parent_id == ProductModel.id)))
    complete = and_(*(_ratio(channel.id, [loc], variant.id, "=", 100) for loc in chosen))
    some = exists(select(variant.id).where(below))
    if operator == "AT LEAST COMPLETE":
        return exists(select(variant.id).where(below, complete))
    if operator == "AT LEAST INCOMPLETE":
        return exists(select(variant.id).where(below, not_(complete)))
    if operator == "ALL COMPLETE":
        return and_(some, not_(exists(select(variant.id).where(below, not_(complete)))))
    return and_(some, not_(exists(select(variant.id).where(below, complete))))
