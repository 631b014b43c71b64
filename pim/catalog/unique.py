"""Unique attributes: a value held by one product at most."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pim.catalog.codes import Collector
from pim.catalog.models import Product, UniqueValue
from pim.catalog.structure_cache import StructureCache
from pim.catalog.values import Values, get_value


def unique_data(cache: StructureCache, values: Values) -> dict[int, str]:
    """Return {attribute id: text} of the unique attributes filled in `values`."""
    found = {}
    for code in values:
        attribute = cache.attribute(code)
        if attribute is None or not attribute.unique or attribute.type == "pim_catalog_identifier":
            continue
        data = get_value(values, code, None, None)
        if data is not None:
            found[attribute.id] = str(data)
    return found


def check_unique(session: Session, cache: StructureCache, product: Product, wanted: dict[int, str],
                 errors: Collector) -> None:
    """Report unique values another product already holds."""
    for attribute_id, data in wanted.items():
        query = select(Product.identifier).join(UniqueValue).where(
            UniqueValue.attribute_id == attribute_id, UniqueValue.data == data)
        if product.id is not None:
            query = query.where(Product.id != product.id)
        owner = session.scalar(query)
        if owner is not None:
            code = next(a.code for a in cache.attributes.values() if a.id == attribute_id)
            errors.add("values", f"value {data!r} is already used by product {owner!r}; "
                                 "this attribute is unique", attribute=code)


def sync_unique(product: Product, wanted: dict[int, str]) -> None:
    """Make the product's unique rows match `wanted`, keeping unchanged rows."""
    kept = []
    for row in list(product.unique_values):
        if wanted.get(row.attribute_id) == row.data:
            kept.append(row)
    have = {row.attribute_id for row in kept}
    kept += [UniqueValue(attribute_id=a, data=d) for a, d in wanted.items() if a not in have]
    if kept != list(product.unique_values):
        product.unique_values = kept
