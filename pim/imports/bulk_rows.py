"""What a bulk creation works out per variant level, and the rows of one new product.

`VariantRule` holds, for the variant products under one family variant, what
`create_product` checks through `pim.catalog.variants`: the attributes of their level,
their axes, and the axis values a new variant takes among its siblings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pim.catalog import completeness
from pim.catalog.codes import Collector
from pim.catalog.products import FLAT_PROPERTIES
from pim.catalog.values import Values, flatten_values, get_value
from pim.catalog.variants import level_attributes, product_level
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

    def problems(self, item: Item, values: Values, combination: tuple[Any, ...],
                 taken: set[tuple[Any, ...]]) -> list[Problem]:
        """Say what keeps a new variant out: model-level values, missing or taken axes."""
        errors = Collector()
        for code in sorted(values.keys() - self.attributes):
            errors.add("values", f"attribute {code!r} lives on the product model level; "
                                 "it cannot be set on the variant", attribute=code)
        for code, value in zip(self.axes, combination, strict=True):
            if value is None:
                errors.add("values", f"variant axis {code!r} must have a value", attribute=code)
        if self.axes and None not in combination and combination in taken:
            errors.add("values", "another variant under the same parent already has the axis "
                       "values " + ", ".join(
                           f"{c}={v}" for c, v in zip(self.axes, combination, strict=True)))
        return field_problems(item, errors.errors) if errors.errors else []


class VariantRules:
    """Variant rules per family variant, and inherited values per parent, read once."""

    def __init__(self) -> None:
        self._rules: dict[tuple[int, str | None], VariantRule] = {}
        self._inherited: dict[int, Values] = {}

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

    def inherited(self, parent: Any) -> Values:
        """Return the values a variant of `parent` inherits (none without a parent)."""
        if parent is None:
            return {}
        found = self._inherited.get(parent.id)
        if found is None:
            found = {}
            model = parent
            while model is not None:
                for code, entries in (model.values or {}).items():
                    found.setdefault(code, entries)
                model = model.parent
            self._inherited[parent.id] = found
        return found


def new_row(identifier: str, family: Any, parent: Any, categories: list[str],
            values: Values, unique: dict[int, str], enabled: Any,
            rules: completeness.Rules, inherited: Values) -> dict[str, Any]:
    """Return what `insert_products` writes for one checked product (values sorted)."""
    flat = {"identifier": identifier, "family": family.code if family else None,
            "parent": parent.code if parent else None, "categories": sorted(categories),
            "enabled": enabled, "status": "draft"}
    flat = {key: flat[key] for key in FLAT_PROPERTIES}
    flat.update(flatten_values(values))
    merged = {**inherited, **values} if inherited else values
    return {"identifier": identifier, "family": family, "parent": parent,
            "enabled": enabled, "values": values, "categories": categories,
            "unique": unique, "flat": flat,
            "completeness": completeness.rows_for(rules, merged)}


def _axis_value(values: Values, code: str) -> Any:
    data = get_value(values, code, None, None)
    return repr(data) if isinstance(data, dict | list) else data
