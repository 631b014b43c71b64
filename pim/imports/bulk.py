"""Create a batch of new products in a few statements, with every rule of create_product.

Each row goes through the same checks as `pim.catalog.products.create_product` (the
catalog's value validator, variant levels and axes, unique values, categories) and gets
the same rows: the product, its categories, unique values, completeness and its first
version in the import's changeset. Only the writing differs: one multi-row insert per
table for the whole batch. If the database still refuses the batch, each of its rows is
written again through the service, which says which row is wrong.
`tests/imports/test_bulk.py` holds the two paths to the same result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from pim.catalog import completeness
from pim.catalog.codes import Collector, check_bool, check_code_list
from pim.catalog.models import (
    Category,
    Family,
    Product,
    ProductModel,
    UniqueValue,
)
from pim.catalog.products import FIELDS, FLAT_PROPERTIES
from pim.catalog.structure_cache import structure
from pim.catalog.types import Problem as TypeProblem
from pim.catalog.types import type_for
from pim.catalog.values import ValuesValidator, flatten_values, get_value, without_empty
from pim.catalog.variants import check_parent_level, level_attributes, product_level
from pim.imports.bulk_insert import insert_products
from pim.imports.fitting import fit_values, resolve_same_code
from pim.imports.items import CREATED, Item, Problem, field_problems
from pim.imports.snapshot import StructureCopy
from pim.imports.writing import WriteContext

Outcome = str | list[Problem]


class NoRules:
    """The identifier property is read with the type's defaults, as the service does."""

    def prop(self, name: str, default: Any = None) -> Any:
        return default


class BulkCreator:
    """Check a batch of new products, then insert the valid ones together."""

    def __init__(self, session: Session, ctx: WriteContext) -> None:
        self.session = session
        self.ctx = ctx
        self.copy = StructureCopy(structure(session))
        self.validator = ValuesValidator(self.copy)  # type: ignore[arg-type]
        self.categories: dict[str, int] = dict(session.execute(
            select(Category.code, Category.id)).all())
        self.models: dict[str, ProductModel] = {}
        # the variants under each parent, as written so far: kept by the import from batch
        # to batch, loaded once per parent, forgotten when rows are written another way
        self.siblings: dict[int, list[tuple[Any, ...]]] = ctx.siblings
        self.taken: dict[tuple[int, str], str] = {}
        # per family, or per family variant of a parent: what a row may carry, and why
        self._allowed: dict[tuple[Any, ...], tuple[set[str] | None, str]] = {}
        self._unique_codes = {code for code, a in self.copy.attributes.items()
                              if a.unique and a.type != "pim_catalog_identifier"}
        self._requirements: dict[int, dict[int, list[Any]]] = {}

    def create(self, items: list[Item], fallback: Callable[[Item], Outcome]
               ) -> Iterator[tuple[Item, Outcome]]:
        """Yield each item with its outcome: created, or the problems that refused it."""
        self._prefetch(items)
        ready = []
        for item in items:
            checked = self._check(item)
            if isinstance(checked, list):
                yield item, checked
            else:
                ready.append((item, checked))
        if not ready:
            return
        savepoint = self.session.begin_nested()
        try:
            self._insert([row for _, row in ready])
            savepoint.commit()
        except SQLAlchemyError:
            savepoint.rollback()
            self.siblings.clear()  # what the rows below write is read again
            for item, _ in ready:
                yield item, fallback(item)
            return
        for item, _ in ready:
            yield item, CREATED

    # ---- reading what the batch refers to ---------------------------------------------

    def _prefetch(self, items: list[Item]) -> None:
        codes = {item.data["parent"] for item in items if item.data.get("parent")}
        if codes:
            self._load_models(select(ProductModel).where(ProductModel.code.in_(codes))
                              .options(selectinload(ProductModel.parent)))

    def _load_models(self, query: Any) -> None:
        found = {m.code: m for m in self.session.scalars(query)}
        self.models.update(found)
        unseen = [m.id for m in found.values() if m.id not in self.siblings]
        if not unseen:
            return
        for parent_id in unseen:
            self.siblings[parent_id] = []
        for parent_id, product_id, values in self.session.execute(
                select(Product.parent_id, Product.id, Product.values)
                .where(Product.parent_id.in_(unseen))):
            self.siblings[parent_id].append((product_id, values))

    # ---- the checks of create_product ----------------------------------------------------

    def _check(self, item: Item) -> dict[str, Any] | list[Problem]:
        data = dict(item.data)
        if data.get("parent") and data["parent"] not in self.models:
            resolve_same_code(self.session, item, data, "parent", ProductModel)
            self._load_models(select(ProductModel).where(ProductModel.code == data["parent"]))
        if data.get("family") and data["family"] not in self.copy.families:
            resolve_same_code(self.session, item, data, "family", Family)
        errors = Collector()
        unknown = set(data) - FIELDS
        for key in sorted(unknown):
            errors.add(str(key), f"property {key!r} does not exist")
        identifier = self._identifier(data, errors)
        family, parent = self._family_and_parent(data, errors)
        categories = self.category_codes(data, errors) if "categories" in data else []
        if "enabled" in data:
            check_bool(data["enabled"], errors, "enabled")
        ident = self.copy.identifier_attribute
        ident_code = ident.code if ident else None
        allowed, why = self.allowed_for(family, parent, ident_code)
        values = fit_values(self.session, item, _filled(data.get("values", {})), allowed,
                            parent, self.ctx, self.copy)
        changes, value_errors = self.validator.validate(values, allowed, why)
        errors.extend(value_errors)
        if errors.errors:
            return field_problems(item, errors.errors)
        values = without_empty(changes)
        if ident_code:
            values[ident_code] = [{"locale": None, "scope": None, "data": identifier}]
        if parent is not None:
            problems = self._check_variant(item, parent, values, ident_code)
            if problems:
                return problems
        wanted = self._unique(item, values)
        if isinstance(wanted, list):
            return wanted
        if parent is not None:
            self.siblings[parent.id].append((None, values))
        return self._row(item, identifier, family, parent, categories, values, wanted, data)

    def _identifier(self, data: dict[str, Any], errors: Collector) -> str:
        if "identifier" not in data:
            errors.add("identifier", "a product needs an identifier")
            return ""
        try:
            return type_for("pim_catalog_identifier").parse(
                data["identifier"], NoRules(), self.copy.type_context())
        except TypeProblem as exc:
            errors.add("identifier", str(exc))
            return ""

    def _family_and_parent(self, data: dict[str, Any], errors: Collector
                           ) -> tuple[Any, ProductModel | None]:
        parent = None
        if data.get("parent"):
            parent = self.models.get(data["parent"])
            if parent is None:
                errors.add("parent", f"parent {data['parent']!r} does not exist")
        family = None
        if data.get("family"):
            family = self.copy.families.get(data["family"])
            if family is None:
                errors.add("family", f"family {data['family']!r} does not exist")
        if parent is not None:
            parent_family = parent.family_variant.family
            if data.get("family") and family is not None and family.id != parent_family.id:
                errors.add("family", f"a variant of {parent.code!r} belongs to family "
                                     f"{parent_family.code!r}")
            family = self.copy.families[parent_family.code]
            check_parent_level(parent, product_level(parent.family_variant) - 1, errors)
        return family, parent

    def category_codes(self, data: dict[str, Any], errors: Collector) -> list[str]:
        codes = check_code_list(data["categories"], errors, "categories")
        for code in codes:
            if code not in self.categories:
                errors.add("categories", f"category {code!r} does not exist")
        return [c for c in codes if c in self.categories]

    def allowed_for(self, family: Any, parent: ProductModel | None, ident: str | None
                    ) -> tuple[set[str] | None, str]:
        key = (parent.family_variant_id if parent is not None else None,
               family.code if family is not None else None, ident)
        found = self._allowed.get(key)
        if found is None:
            found = self._allowed[key] = self._allowed_for(family, parent, ident)
        return found

    def _allowed_for(self, family: Any, parent: ProductModel | None, ident: str | None
                     ) -> tuple[set[str] | None, str]:
        if parent is not None:
            variant = parent.family_variant
            level = product_level(variant)
            return level_attributes(variant, level, ident), (
                f"a variant attribute of {variant.code!r} at level {level}")
        if family is not None:
            return set(family.attribute_codes) | ({ident} if ident else set()), (
                f"in family {family.code!r}")
        return None, ""

    def _check_variant(self, item: Item, parent: ProductModel, values: dict[str, Any],
                       ident: str | None) -> list[Problem]:
        errors = Collector()
        variant = parent.family_variant
        level = product_level(variant)
        for code in sorted(set(values) - level_attributes(variant, level, ident)):
            errors.add("values", f"attribute {code!r} lives on the product model level; "
                                 "it cannot be set on the variant", attribute=code)
        axes = variant.level_set(level)["axes"]
        combination = tuple(_axis_value(values, code) for code in axes)
        for code, value in zip(axes, combination, strict=True):
            if value is None:
                errors.add("values", f"variant axis {code!r} must have a value", attribute=code)
        if axes and None not in combination:
            for _, sibling in self.siblings.get(parent.id, []):
                if combination == tuple(_axis_value(sibling, code) for code in axes):
                    errors.add("values", "another variant under the same parent already has "
                               "the axis values " + ", ".join(
                                   f"{c}={v}" for c, v in zip(axes, combination, strict=True)))
                    break
        if errors.errors:
            return field_problems(item, errors.errors)
        return []

    def _unique(self, item: Item, values: dict[str, Any]) -> dict[int, str] | list[Problem]:
        wanted = {}
        for code in values:
            if code not in self._unique_codes:
                continue
            attribute = self.copy.attributes[code]
            data = get_value(values, code, None, None)
            if data is not None:
                wanted[attribute.id] = str(data)
        errors = Collector()
        for attribute_id, data in wanted.items():
            owner = self.taken.get((attribute_id, data)) or self._owner(attribute_id, data)
            if owner is not None:
                code = next(a.code for a in self.copy.attributes.values()
                            if a.id == attribute_id)
                errors.add("values", f"value {data!r} is already used by product {owner!r}; "
                                     "this attribute is unique", attribute=code)
        if errors.errors:
            return field_problems(item, errors.errors)
        for attribute_id, data in wanted.items():
            self.taken[(attribute_id, data)] = item.key
        return wanted

    def _owner(self, attribute_id: int, data: str) -> str | None:
        return self.session.scalar(select(Product.identifier).join(UniqueValue).where(
            UniqueValue.attribute_id == attribute_id, UniqueValue.data == data))

    # ---- the rows of create_product ------------------------------------------------------

    def _row(self, item: Item, identifier: str, family: Any, parent: ProductModel | None,
             categories: list[str], values: dict[str, Any], unique: dict[int, str],
             data: dict[str, Any]) -> dict[str, Any]:
        values = dict(sorted(values.items()))
        enabled = data.get("enabled", True)
        flat = {"identifier": identifier, "family": family.code if family else None,
                "parent": parent.code if parent else None,
                "categories": sorted(categories), "enabled": enabled, "status": "draft"}
        flat = {key: flat[key] for key in FLAT_PROPERTIES}
        flat.update(flatten_values(values))
        merged = _merged(values, parent)
        required = None
        if family is not None:
            required = self._requirements.get(family.id)
            if required is None:
                required = self._requirements[family.id] = completeness.requirements(family)
        return {"identifier": identifier, "family": family, "parent": parent,
                "enabled": enabled, "values": values, "categories": categories,
                "unique": unique, "flat": flat,
                "completeness": completeness.compute(
                    family, self.copy.channels.values(), merged,  # type: ignore[arg-type]
                    required)}

    def _insert(self, rows: list[dict[str, Any]]) -> None:
        insert_products(self.session, rows, self.categories, self.ctx.stamp())


def _filled(values: dict[str, list]) -> dict[str, list]:
    """Drop the empty cells of a new product: on create they are no value at all."""
    kept = {}
    for code, entries in values.items():
        if len(entries) == 1:  # most attributes: one cell
            data = entries[0]["data"]
            if data is not None and data != "":
                kept[code] = entries
            continue
        filled = [e for e in entries if e["data"] is not None and e["data"] != ""]
        if filled:
            kept[code] = filled
    return kept


def _axis_value(values: dict[str, Any], code: str) -> Any:
    data = get_value(values, code, None, None)
    return repr(data) if isinstance(data, dict | list) else data


def _merged(values: dict[str, Any], parent: ProductModel | None) -> dict[str, Any]:
    merged = dict(values)
    while parent is not None:
        for code, entries in (parent.values or {}).items():
            merged.setdefault(code, entries)
        parent = parent.parent
    return merged


def existing_products(session: Session, identifiers: list[str]) -> dict[str, Product]:
    """Return the products among `identifiers` that exist already, with their categories."""
    if not identifiers:
        return {}
    return {p.identifier: p for p in session.scalars(
        select(Product).where(Product.identifier.in_(identifiers))
        .options(selectinload(Product.categories)))}

