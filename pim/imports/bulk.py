"""Create a batch of new products in a few statements, with every rule of create_product.

Each row goes through the same checks as `pim.catalog.products.create_product` (the
catalog's value validator, variant levels and axes, unique values, categories) and gets
the same rows: the product, its categories, unique values, completeness and its first
version in the import's changeset. Only the writing differs: one multi-row insert per
table for the whole batch. If the database still refuses the batch, each of its rows is
written again through the service, which says which row is wrong.
`tests/imports/test_bulk.py` holds the two paths to the same result.

One creator serves every batch of an import: what it works out once (the structure's
copy, each kind of row's allowed attributes, fitting and completeness rules, the product
models and the axis values under them) is kept until the structure changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from pim.catalog import completeness
from pim.catalog.codes import Collector, check_bool, check_code_list
from pim.catalog.models import Category, Family, Product, ProductModel, UniqueValue
from pim.catalog.products import FIELDS
from pim.catalog.structure_cache import structure
from pim.catalog.types import Problem as TypeProblem
from pim.catalog.types import type_for
from pim.catalog.values import ValuesValidator, get_value
from pim.catalog.variants import check_parent_level, product_level
from pim.imports.bulk_insert import insert_products
from pim.imports.bulk_rows import VariantRules, new_row
from pim.imports.creation import CreationValues
from pim.imports.fitting import resolve_same_code
from pim.imports.items import CREATED, Item, Problem, field_problems
from pim.imports.snapshot import StructureCopy
from pim.imports.writing import WriteContext

Outcome = str | list[Problem]


class NoRules:
    """The identifier property is read with the type's defaults, as the service does."""

    def prop(self, name: str, default: Any = None) -> Any:
        return default


def bulk_creator(session: Session, ctx: WriteContext) -> BulkCreator:
    """Return the import's creator, made again when the structure has changed."""
    creator = ctx.bulk
    if creator is None or creator.session is not session or (
            creator.cache is not structure(session)):
        creator = ctx.bulk = BulkCreator(session, ctx)
    return creator


class BulkCreator:
    """Check a batch of new products, then insert the valid ones together."""

    def __init__(self, session: Session, ctx: WriteContext) -> None:
        self.session = session
        self.ctx = ctx
        self.cache = structure(session)
        self.copy = StructureCopy(self.cache)
        self.validator = ValuesValidator(self.copy)  # type: ignore[arg-type]
        self.categories: dict[str, int] = dict(session.execute(
            select(Category.code, Category.id)).all())
        self.models: dict[str, ProductModel] = {}
        # the axis values taken under each parent, as written so far: kept by the import
        # from batch to batch, read once per parent, forgotten when rows are written
        # another way
        self.siblings: dict[int, set[tuple[Any, ...]]] = ctx.siblings
        self.siblings.clear()
        self.variants = VariantRules()
        self.taken: dict[tuple[int, str], str] = {}
        # who held the batch's unique values when it was read (None: nobody)
        self.owners: dict[tuple[int, str], str | None] = {}
        ident = self.copy.identifier_attribute
        self.ident_code = ident.code if ident else None
        self._parse_identifier = type_for("pim_catalog_identifier").parser(
            NoRules(), self.copy.type_context())  # type: ignore[arg-type]
        # per family, or per family variant of a parent: what a row may carry, and why
        self._allowed: dict[tuple[Any, ...], tuple[set[str] | None, str]] = {}
        self._values: dict[tuple[Any, ...], CreationValues] = {}
        self._unique_codes = {code: a.id for code, a in self.copy.attributes.items()
                              if a.unique and a.type != "pim_catalog_identifier"}
        self._rules: dict[int, completeness.Rules] = {}

    def create(self, items: list[Item], fallback: Callable[[Item], Outcome]
               ) -> Iterator[tuple[Item, Outcome]]:
        """Yield each item with its outcome: created, or the problems that refused it."""
        self.taken, self.owners = {}, {}
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
            insert_products(self.session, [row for _, row in ready], self.categories,
                            self.ctx.stamp())
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
        unknown = codes - self.models.keys()
        if unknown:
            self._load_models(select(ProductModel).where(ProductModel.code.in_(unknown))
                              .options(selectinload(ProductModel.parent)))
        self._load_siblings([self.models[c] for c in codes if c in self.models])
        self._prefetch_owners(items)

    def _load_models(self, query: Any) -> None:
        found = {m.code: m for m in self.session.scalars(query)}
        self.models.update(found)
        self._load_siblings(list(found.values()))

    def _load_siblings(self, models: list[ProductModel]) -> None:
        unseen = {m.id: m for m in models if m.id not in self.siblings}
        if not unseen:
            return
        for parent_id in unseen:
            self.siblings[parent_id] = set()
        for parent_id, values in self.session.execute(
                select(Product.parent_id, Product.values)
                .where(Product.parent_id.in_(list(unseen)))):
            rule = self.variants.of(unseen[parent_id], self.ident_code)
            self.siblings[parent_id].add(rule.combination(values))

    def _prefetch_owners(self, items: list[Item]) -> None:
        """Read at once who holds the unique values the rows give (as their cells say)."""
        if not self._unique_codes:
            return
        wanted = set()
        for item in items:
            for code in self._unique_codes.keys() & item.data.get("values", {}).keys():
                data = get_value(item.data["values"], code, None, None)
                if isinstance(data, str):
                    wanted.add((self._unique_codes[code], data))
        if not wanted:
            return
        self.owners.update(dict.fromkeys(wanted))
        found = self.session.execute(
            select(UniqueValue.attribute_id, UniqueValue.data, Product.identifier)
            .join(Product, Product.id == UniqueValue.product_id)
            .where(tuple_(UniqueValue.attribute_id, UniqueValue.data).in_(list(wanted))))
        for attribute_id, data, identifier in found:
            self.owners[(attribute_id, data)] = identifier

    # ---- the checks of create_product ----------------------------------------------------

    def _check(self, item: Item) -> dict[str, Any] | list[Problem]:
        data = dict(item.data)
        if data.get("parent") and data["parent"] not in self.models:
            resolve_same_code(self.session, item, data, "parent", ProductModel)
            self._load_models(select(ProductModel).where(ProductModel.code == data["parent"]))
        if data.get("family") and data["family"] not in self.copy.families:
            resolve_same_code(self.session, item, data, "family", Family)
        errors = Collector()
        if not data.keys() <= FIELDS:
            for key in sorted(set(data) - FIELDS):
                errors.add(str(key), f"property {key!r} does not exist")
        identifier = self._identifier(data, errors)
        family, parent = self._family_and_parent(data, errors)
        categories = self.category_codes(data, errors) if "categories" in data else []
        if "enabled" in data:
            check_bool(data["enabled"], errors, "enabled")
        own = ({self.ident_code: [{"locale": None, "scope": None, "data": identifier}]}
               if self.ident_code else None)
        values, value_errors = self._values_of(family, parent).check(
            self.session, item, data.get("values", {}), parent, own)
        errors.extend(value_errors)
        if errors.errors:
            return field_problems(item, errors.errors)
        combination = None
        if parent is not None:
            rule = self.variants.of(parent, self.ident_code)
            combination = rule.combination(values)
            problems = rule.problems(item, values, combination, self.siblings[parent.id])
            if problems:
                return problems
        wanted = self._unique(item, values)
        if isinstance(wanted, list):
            return wanted
        if parent is not None:
            self.siblings[parent.id].add(combination)
        return new_row(identifier, family, parent, categories, values, wanted,
                       data.get("enabled", True), self._rules_of(family),
                       self.variants.inherited(parent))

    def _identifier(self, data: dict[str, Any], errors: Collector) -> str:
        if "identifier" not in data:
            errors.add("identifier", "a product needs an identifier")
            return ""
        try:
            return self._parse_identifier(data["identifier"])
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
        """Return the attributes a new product of `family` under `parent` may carry, and
        how a refusal says it."""
        key = _kind_key(family, parent, ident)
        found = self._allowed.get(key)
        if found is None:
            found = self._allowed[key] = self._allowed_for(family, parent, ident)
        return found

    def _allowed_for(self, family: Any, parent: ProductModel | None, ident: str | None
                     ) -> tuple[set[str] | None, str]:
        if parent is not None:
            rule = self.variants.of(parent, ident)
            return rule.attributes, (
                f"a variant attribute of {rule.variant_code!r} at level {rule.level}")
        if family is not None:
            return set(family.attribute_codes) | ({ident} if ident else set()), (
                f"in family {family.code!r}")
        return None, ""

    def _values_of(self, family: Any, parent: ProductModel | None) -> CreationValues:
        key = _kind_key(family, parent, self.ident_code)
        found = self._values.get(key)
        if found is None:
            allowed, why = self.allowed_for(family, parent, self.ident_code)
            found = self._values[key] = CreationValues(
                self.copy, self.validator, allowed, why, parent is not None, self.ctx)
        return found

    def _rules_of(self, family: Any) -> completeness.Rules:
        if family is None:
            return []
        found = self._rules.get(family.id)
        if found is None:
            found = self._rules[family.id] = completeness.rules(
                family, self.copy.channels.values())  # type: ignore[arg-type]
        return found

    def _unique(self, item: Item, values: dict[str, Any]) -> dict[int, str] | list[Problem]:
        wanted = {}
        for code in self._unique_codes.keys() & values.keys():
            data = get_value(values, code, None, None)
            if data is not None:
                wanted[self._unique_codes[code]] = str(data)
        if not wanted:
            return wanted
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
        if (attribute_id, data) in self.owners:
            return self.owners[(attribute_id, data)]
        return self.session.scalar(select(Product.identifier).join(UniqueValue).where(
            UniqueValue.attribute_id == attribute_id, UniqueValue.data == data))


def _kind_key(family: Any, parent: ProductModel | None, ident: str | None) -> tuple[Any, ...]:
    """What decides a new product's allowed attributes: its family variant or family."""
    return (parent.family_variant_id if parent is not None else None,
            family.code if family is not None else None, ident)


def existing_products(session: Session, identifiers: list[str]) -> dict[str, Product]:
    """Return the products among `identifiers` that exist already, with their categories."""
    if not identifiers:
        return {}
    return {p.identifier: p for p in session.scalars(
        select(Product).where(Product.identifier.in_(identifiers))
        .options(selectinload(Product.categories)))}
