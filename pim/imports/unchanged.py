"""Tell, without writing, that a row would leave its product exactly as it is.

Re-importing a file should cost a read, not a save: the row is checked with the
catalog's validator, merged into the product's values as `update_product` merges a
patch, and its flat form compared with the product's. Only a row that provably changes
nothing is skipped; any other row goes through `update_product` (which also refuses
what is wrong).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from pim.catalog.codes import Collector, check_bool
from pim.catalog.models import Family, Product, ProductModel
from pim.catalog.products import dump_product, flatten_product
from pim.catalog.types import Problem as TypeProblem
from pim.catalog.types import type_for
from pim.catalog.values import flatten_values, merge_values
from pim.imports.fitting import fit_values, resolve_same_code
from pim.imports.items import Item
from pim.imports.prechecks import NoRules, Prechecks


def is_unchanged(checks: Prechecks, item: Item, product: Product) -> bool:
    """Tell whether writing `item` over `product` would change nothing at all."""
    warned = len(item.warnings)
    same = _same(checks, checks.session, item, product)
    if not same:
        del item.warnings[warned:]  # the service's run says them again
    return same


def _same(checks: Prechecks, session: Session, item: Item, product: Product) -> bool:
    data = dict(item.data)
    resolve_same_code(session, item, data, "parent", ProductModel)
    resolve_same_code(session, item, data, "family", Family)
    parent_code = product.parent.code if product.parent else None
    family_code = product.family.code if product.family else None
    if data.get("parent", parent_code) != parent_code:
        return False
    if data.get("family", family_code) != family_code:
        return False
    try:
        identifier = type_for("pim_catalog_identifier").parse(
            data.get("identifier"), NoRules(), checks.copy.type_context())
    except TypeProblem:
        return False
    errors = Collector()
    categories = checks.category_codes(data, errors) if "categories" in data else sorted(
        c.code for c in product.categories)
    if "enabled" in data:
        check_bool(data["enabled"], errors, "enabled")
    family = checks.copy.families.get(family_code) if family_code else None
    ident = checks.copy.identifier_attribute
    ident_code = ident.code if ident else None
    allowed, why = checks.allowed_for(family, product.parent, ident_code)
    values = fit_values(session, item, data.get("values", {}), allowed, product.parent,
                        checks.ctx)
    changes, value_errors = checks.validator.validate(values, allowed, why)
    if errors.errors or value_errors or identifier != product.identifier:
        return False
    merged = merge_values(product.values or {}, changes)
    if ident_code:
        merged[ident_code] = [{"locale": None, "scope": None, "data": identifier}]
    after: dict[str, Any] = {
        "identifier": identifier, "family": family_code, "parent": parent_code,
        "categories": sorted(categories), "enabled": data.get("enabled", product.enabled),
        "status": product.status}
    after.update(flatten_values(dict(sorted(merged.items()))))
    return after == flatten_product(dump_product(product, merged=False))
