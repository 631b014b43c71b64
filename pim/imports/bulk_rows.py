"""What a bulk creation works out per variant level, and the rows of one new product.

`VariantRule` holds, for the variant products under one family variant, what
`create_product` checks through `pim.catalog.variants`: the attributes of their level,
their axes, and the axis values a new variant takes among its siblings.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any

from pim.catalog import completeness
from pim.catalog.codes import Collector
from pim.catalog.products import FLAT_PROPERTIES
from pim.catalog.values import Values, flatten_values, get_value
from pim.catalog.variants import level_attributes, product_level
from pim.errors import FieldError
from pim.imports.bulk_insert import encode
from pim.imports.items import Item, Problem, field_problems


@dataclass(frozen=True)
class VariantRule:
    """The level, attributes and axes of the variant products of one family variant."""

    variant_code: str
    level: int
    attributes: set[str]
    axes: tuple[str, ...]

    def combination(self, values: Values) -> tuple[Any, ...]:
        """Return a variant's axis values, as compared among siblings."""
        return tuple(_axis_value(values, code) for code in self.axes)

    def level_problems(self, item: Item, values: Values, combination: tuple[Any, ...]
                       ) -> list[Problem]:
        """Say what keeps a new variant out on its own: model-level values, empty axes."""
        errors = Collector()
        for code in sorted(values.keys() - self.attributes):
            errors.add("values", f"attribute {code!r} lives on the product model level; "
                                 "it cannot be set on the variant", attribute=code)
        for code, value in zip(self.axes, combination, strict=True):
            if value is None:
                errors.add("values", f"variant axis {code!r} must have a value", attribute=code)
        return field_problems(item, errors.errors) if errors.errors else []

    def taken_problems(self, item: Item, combination: tuple[Any, ...],
                       taken: set[tuple[Any, ...]]) -> list[Problem]:
        """Say whether a sibling holds the same axis values already."""
        if not self.axes or combination not in taken:
            return []
        return field_problems(item, [FieldError(
            "values", "another variant under the same parent already has the axis values "
            + ", ".join(f"{c}={v}" for c, v in zip(self.axes, combination, strict=True)))])


@dataclass(slots=True)
class Prepared:
    """A new product that passed every check of its own, as the rows it writes."""

    identifier: str
    family_id: int | None
    parent_code: str | None
    parent_id: int | None
    enabled: Any
    category_ids: list[int]
    # JSON text of its values and of its first version's snapshot
    values: str
    snapshot: str
    # (channel id, locale, required, missing, ratio, JSON of the missing attributes)
    completeness: list[tuple[Any, ...]]
    # {attribute id: value} of its unique attributes
    unique: dict[int, str]
    # its variant axis values, for a variant product
    combination: tuple[Any, ...] | None


PREPARED_FIELDS = tuple(f.name for f in fields(Prepared))


def astuple(prepared: Prepared) -> tuple[Any, ...]:
    """Return a prepared row's fields in order (`Prepared(*fields)` makes it again)."""
    return tuple(getattr(prepared, name) for name in PREPARED_FIELDS)


class VariantRules:
    """Variant rules per family variant, and inherited values per parent, read once."""

    def __init__(self) -> None:
        self._rules: dict[tuple[int, str | None], VariantRule] = {}
        self._inherited: dict[int, dict[str, dict[str, Any]]] = {}

    def of(self, parent: Any, ident: str | None) -> VariantRule:
        """Return the rule of the variant products under `parent`."""
        key = (parent.family_variant_id, ident)
        found = self._rules.get(key)
        if found is None:
            variant = parent.family_variant
            level = product_level(variant)
            found = self._rules[key] = VariantRule(
                variant.code, level, level_attributes(variant, level, ident),
                tuple(variant.level_set(level)["axes"]))
        return found

    def inherited(self, parent: Any) -> dict[str, dict[str, Any]]:
        """Return the values a variant of `parent` inherits, flat by attribute code (none
        without a parent)."""
        if parent is None:
            return {}
        found = self._inherited.get(parent.id)
        if found is None:
            merged: Values = {}
            model = parent
            while model is not None:
                for code, entries in (model.values or {}).items():
                    merged.setdefault(code, entries)
                model = model.parent
            found = self._inherited[parent.id] = {
                code: flatten_values({code: entries}) for code, entries in merged.items()}
        return found


def prepared_row(identifier: str, family: Any, parent: Any, category_ids: list[int],
                 categories: list[str], values: Values, unique: dict[int, str], enabled: Any,
                 rules: completeness.Rules, inherited: dict[str, dict[str, Any]],
                 combination: tuple[Any, ...] | None) -> Prepared:
    """Return the rows one checked new product writes, encoded (values sorted)."""
    flat = {"identifier": identifier, "family": family.code if family else None,
            "parent": parent.code if parent else None, "categories": sorted(categories),
            "enabled": enabled, "status": "draft"}
    flat = {key: flat[key] for key in FLAT_PROPERTIES}
    own = flatten_values(values)
    flat.update(own)
    merged = own
    if inherited:  # an attribute the variant has hides the models' values of it
        merged = dict(own)
        for code, keys in inherited.items():
            if code not in values:
                merged.update(keys)
    rows = completeness.row_tuples(rules, merged, _missing_json)
    return Prepared(identifier, family.id if family else None, parent.code if parent else None,
                    parent.id if parent else None, enabled, category_ids, encode(values),
                    encode(flat), rows, unique, combination)


def _missing_json(missing: list[str]) -> str:
    """The JSON of a list of missing attributes: products of a family share a few."""
    return _encoded_missing(tuple(missing))


@lru_cache(maxsize=4096)
def _encoded_missing(missing: tuple[str, ...]) -> str:
    return encode(list(missing))


def _axis_value(values: Values, code: str) -> Any:
    data = get_value(values, code, None, None)
    return repr(data) if isinstance(data, dict | list) else data
