"""Product models and variants: which attributes live where, inheritance, axes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pim.catalog.codes import Collector
from pim.catalog.models import Family, FamilyVariant, Product, ProductModel
from pim.catalog.values import Values, get_value


def merged_values(entity: Product | ProductModel) -> Values:
    """Return the entity's values with those inherited from its parents."""
    merged = dict(entity.values or {})
    parent = entity.parent
    while parent is not None:
        for code, entries in (parent.values or {}).items():
            merged.setdefault(code, entries)
        parent = parent.parent
    return dict(sorted(merged.items()))


def inherited_codes(entity: Product | ProductModel) -> set[str]:
    """Attribute codes whose values come from a parent model."""
    own = set(entity.values or {})
    return set(merged_values(entity)) - own


def product_level(variant: FamilyVariant) -> int:
    """The level variant products sit on: 1 or 2."""
    return max(variant.levels, 1)


def level_attributes(variant: FamilyVariant, level: int, identifier: str | None) -> set[str]:
    """Attributes an entity at `level` may carry (the identifier goes on the last level)."""
    codes = variant.attributes_at(level)
    if identifier:
        codes.discard(identifier)
        if level == product_level(variant):
            codes.add(identifier)
    return codes


def allowed_attributes(family: Family | None, identifier: str | None) -> set[str] | None:
    """Attributes a simple product of `family` may carry; None means any."""
    if family is None:
        return None
    codes = set(family.attribute_codes)
    if identifier:
        codes.add(identifier)
    return codes


def check_parent_level(parent: ProductModel, wanted_level: int, errors: Collector) -> None:
    """A variant product hangs on the last model level; a sub-model on a root model."""
    if parent.level != wanted_level:
        errors.add(
            "parent",
            f"product model {parent.code!r} is at level {parent.level}; "
            f"this entity must hang on a level {wanted_level} model",
        )


def check_axes(
    session: Session,
    variant: FamilyVariant,
    level: int,
    values: Values,
    parent_id: int,
    self_id: int | None,
    errors: Collector,
) -> None:
    """Axis values must be filled and unique among the siblings under the same parent."""
    axes = variant.level_set(level)["axes"]
    combination = tuple(_axis_value(values, code) for code in axes)
    for code, value in zip(axes, combination, strict=True):
        if value is None:
            errors.add("values", f"variant axis {code!r} must have a value", attribute=code)
    if None in combination or not axes:
        return
    for sibling_id, sibling_values in _siblings(session, level, variant, parent_id):
        if sibling_id != self_id and combination == tuple(
            _axis_value(sibling_values, code) for code in axes
        ):
            errors.add(
                "values",
                "another variant under the same parent already has the axis values "
                + ", ".join(f"{c}={v}" for c, v in zip(axes, combination, strict=True)),
            )
            return


def _axis_value(values: Values, code: str) -> Any:
    data = get_value(values, code, None, None)
    return repr(data) if isinstance(data, dict | list) else data


def _siblings(session: Session, level: int, variant: FamilyVariant, parent_id: int) -> list:
    if level == product_level(variant):
        query = select(Product.id, Product.values).where(Product.parent_id == parent_id)
    else:
        query = select(ProductModel.id, ProductModel.values).where(
            ProductModel.parent_id == parent_id
        )
    return list(session.execute(query).all())
