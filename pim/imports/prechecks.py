"""The checks of `create_product` that one row needs alone, and what it then writes.

`Prechecks.prepare` takes a new product's row through every rule of
`pim.catalog.products.create_product` that does not depend on the rows beside it (keys,
identifier, family and parent, categories, values, variant level and axes present) and
returns the rows to write, encoded: a `Prepared`. What depends on other rows (a unique
value or an axis combination taken by another product) is checked by the writer
(`pim.imports.bulk`). Prechecks only read the catalog, so they can run in another
process, ahead of the writes (`pim.imports.ahead`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from pim.catalog import completeness
from pim.catalog.codes import Collector, check_bool, check_code_list
from pim.catalog.models import Category, Family, ProductModel
from pim.catalog.products import FIELDS
from pim.catalog.structure_cache import structure
from pim.catalog.types import Problem as TypeProblem
from pim.catalog.types import type_for
from pim.catalog.values import ValuesValidator, get_value
from pim.catalog.variants import check_parent_level, product_level
from pim.imports.bulk_rows import Prepared, VariantRules, prepared_row
from pim.imports.cells import ValuePlan
from pim.imports.creation import CreationValues
from pim.imports.fitting import resolve_same_code
from pim.imports.items import Item, Problem, field_problems
from pim.imports.snapshot import StructureCopy
from pim.imports.writing import WriteContext


class NoRules:
    """The identifier property is read with the type's defaults, as the service does."""

    def prop(self, name: str, default: Any = None) -> Any:
        return default


class Prechecks:
    """Check new products' rows one by one against the structure and product models."""

    def __init__(self, session: Session, ctx: WriteContext) -> None:
        self.session = session
        self.ctx = ctx
        self.cache = structure(session)
        self.copy = StructureCopy(self.cache)
        self.validator = ValuesValidator(self.copy)  # type: ignore[arg-type]
        self.categories: dict[str, int] = dict(session.execute(
            select(Category.code, Category.id)).all())
        self.models: dict[str, ProductModel] = {}
        self.variants = VariantRules()
        ident = self.copy.identifier_attribute
        self.ident_code = ident.code if ident else None
        self._parse_identifier = type_for("pim_catalog_identifier").parser(
            NoRules(), self.copy.type_context())  # type: ignore[arg-type]
        # per family, or per family variant of a parent: what a row may carry, and why
        self._allowed: dict[tuple[Any, ...], tuple[set[str] | None, str]] = {}
        self._values: dict[tuple[Any, ...], CreationValues] = {}
        self.unique_codes = {code: a.id for code, a in self.copy.attributes.items()
                             if a.unique and a.type != "pim_catalog_identifier"}
        self._rules: dict[int, completeness.Rules] = {}

    def load_models(self, codes: set[str]) -> list[ProductModel]:
        """Read the product models named that are not read yet; return those newly read."""
        unknown = codes - self.models.keys()
        if not unknown:
            return []
        found = list(self.session.scalars(
            select(ProductModel).where(ProductModel.code.in_(unknown))
            .options(selectinload(ProductModel.parent))))
        self.models.update((m.code, m) for m in found)
        return found

    def prepare(self, item: Item, plan: ValuePlan | None = None
                ) -> Prepared | list[Problem] | None:
        """Return what a new product's row writes, or the problems that refuse it.

        An item read without its values (`pim.imports.ahead`) has them read from its
        cells through `plan` by the one pass; None when that pass stands aside (the row
        is then read whole and checked by the full steps, elsewhere).
        """
        data = dict(item.data)
        if data.get("parent") and data["parent"] not in self.models:
            resolve_same_code(self.session, item, data, "parent", ProductModel)
            self.load_models({data["parent"]})
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
        if "values" in data or plan is None:
            values, value_errors = self._values_of(family, parent).check(
                self.session, item, data.get("values", {}), parent, own)
            errors.extend(value_errors)
        elif errors.errors:
            return None  # its values may hold more problems: the full steps say them all
        else:
            found = self._values_of(family, parent).check_cells(
                item, item.rows[0].cells, plan, own)
            if found is None:
                return None
            values = found
        if errors.errors:
            return field_problems(item, errors.errors)
        combination = None
        if parent is not None:
            rule = self.variants.of(parent, self.ident_code)
            combination = rule.combination(values)
            problems = rule.level_problems(item, values, combination)
            if problems:
                return problems
        return prepared_row(
            identifier, family, parent, [self.categories[c] for c in categories], categories,
            values, self.unique_values(values), data.get("enabled", True),
            self._rules_of(family), self.variants.inherited(parent), combination)

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

    def unique_values(self, values: dict[str, Any]) -> dict[int, str]:
        """Return {attribute id: value} of the unique attributes among `values`."""
        wanted = {}
        for code in self.unique_codes.keys() & values.keys():
            data = get_value(values, code, None, None)
            if data is not None:
                wanted[self.unique_codes[code]] = str(data)
        return wanted

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


def _kind_key(family: Any, parent: ProductModel | None, ident: str | None) -> tuple[Any, ...]:
    """What decides a new product's allowed attributes: its family variant or family."""
    return (parent.family_variant_id if parent is not None else None,
            family.code if family is not None else None, ident)
