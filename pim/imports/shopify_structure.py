"""The structure a Shopify file needs (attributes, options, family, family variants),
worked out from a first reading of the file and created as items of the import.

Everything is created only when missing ("ensure"): an existing attribute, option or
family variant is left as it is; the `shopify` family only gains the attributes it lacks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy.orm import Session

from pim.catalog import services as s
from pim.catalog.structure_cache import structure
from pim.errors import NotFound
from pim.imports.akeneo import write_currency
from pim.imports.columns import StructureView
from pim.imports.items import CREATED, UNCHANGED, UPDATED, Item
from pim.imports.shopify_layout import FIELDS, VARIANT, axis_code, option_code
from pim.imports.writing import WriteContext

FAMILY = "shopify"


class StructureNeeds:
    """What the products of one Shopify file need to exist before they are written."""

    def __init__(self, file: str, view: StructureView, currency: str, locale: str | None
                 ) -> None:
        self.file = file
        self.view = view
        self.currency = currency
        self.label_locale = locale or "en_US"
        self.codes: dict[str, str] = {}
        self.options: dict[str, dict[str, str]] = {}
        self.variant_sets: dict[tuple[str, ...], None] = {}
        self.fields: set[str] = set()

    def axis(self, name: str) -> str:
        """Return the attribute code of an option name."""
        if name not in self.codes:
            self.codes[name] = axis_code(name, self.view)
        return self.codes[name]

    def variant_code(self, axes: list[str]) -> str:
        """Return the family variant code of a list of axes."""
        return "_".join([FAMILY, *axes])[:100]

    def survey(self, handle: str, options: list[tuple[int, str, list[str]]], variants: int,
               columns: dict[str, str]) -> None:
        """Note the options and variants of one product."""
        self.fields = {f.name for f in FIELDS if f.name in columns}
        for _, name, values in options:
            found = self.options.setdefault(self.axis(name), {})
            for value in values:
                if value.strip():
                    found.setdefault(option_code(value), value.strip())
        if variants > 1 and options:
            self.variant_sets[tuple(self.axis(name) for _, name, _ in options)] = None

    def items(self) -> Iterator[Item]:
        """Yield the structure items, each before what depends on it."""
        if self.currency not in self.view.currencies:
            yield self._item("currency", self.currency, {"code": self.currency,
                                                         "activated": True})
        ident = self.view.identifier or "sku"
        if self.view.identifier is None:
            yield self._attribute(ident, "pim_catalog_identifier", "SKU", {"unique": True})
        present = [f for f in FIELDS if f.name in self.fields]
        for f in present:
            yield self._attribute(f.attribute, f.type, f.label, dict(f.properties))
        for name, code in self.codes.items():
            yield self._attribute(code, "pim_catalog_simpleselect", name, {})
        for code, values in self.options.items():
            for option, label in values.items():
                item = self._item("attribute_option", f"{code}.{option}", {
                    "code": option, "labels": {self.label_locale: label[:255]}})
                item.extra["attribute"] = code
                yield item
        attributes = [ident, *(f.attribute for f in present), *self.codes.values()]
        label = "name" if "title" in self.fields else None
        yield self._item("family", FAMILY, {
            "code": FAMILY, "attributes": list(dict.fromkeys(attributes)),
            "attribute_as_label": label, "labels": {self.label_locale: "Shopify products"}})
        variant_level = [f.attribute for f in present if f.level == VARIANT]
        for axes in self.variant_sets:
            code = self.variant_code(list(axes))
            yield self._item("family_variant", code, {
                "code": code, "family": FAMILY,
                "labels": {self.label_locale: "Shopify variants by " + ", ".join(axes)},
                "variant_attribute_sets": [{"level": 1, "axes": list(axes),
                                            "attributes": [*variant_level, *axes]}]})

    def _attribute(self, code: str, type_: str, label: str, properties: dict[str, Any]
                   ) -> Item:
        return self._item("attribute", code, {
            "code": code, "type": type_, "labels": {self.label_locale: label[:255]},
            **properties})

    def _item(self, kind: str, key: str, data: dict[str, Any]) -> Item:
        return Item(kind=kind, key=key, data=data, rows=[], origin=self.file)


def ensure_attribute(session: Session, item: Item, ctx: WriteContext) -> str:
    """Create the attribute unless it exists."""
    if structure(session).attribute(item.data["code"]) is not None:
        return UNCHANGED
    s.create_attribute(session, item.data, **ctx.stamp())
    return CREATED


def ensure_option(session: Session, item: Item, ctx: WriteContext) -> str:
    """Create the option unless its attribute has it (in any case) already."""
    attribute = structure(session).attribute(item.extra["attribute"])
    if attribute is not None and item.data["code"].lower() in structure(session).options(
            attribute):
        return UNCHANGED
    s.save_option(session, item.extra["attribute"], item.data, **ctx.stamp())
    return CREATED


def ensure_family(session: Session, item: Item, ctx: WriteContext) -> str:
    """Create the family, or add the attributes it lacks."""
    try:
        family = s.get_family(session, item.data["code"])
    except NotFound:
        s.create_family(session, item.data, **ctx.stamp())
        return CREATED
    have = list(family.attribute_codes)
    missing = [code for code in item.data["attributes"] if code not in have]
    if not missing:
        return UNCHANGED
    s.update_family(session, family.code, {"attributes": have + missing}, **ctx.stamp())
    return UPDATED


def ensure_family_variant(session: Session, item: Item, ctx: WriteContext) -> str:
    """Create the family variant unless it exists."""
    try:
        s.get_family_variant(session, item.data["code"])
        return UNCHANGED
    except NotFound:
        s.create_family_variant(session, item.data, **ctx.stamp())
        return CREATED


STRUCTURE_WRITERS: dict[str, Callable[[Session, Item, WriteContext], str]] = {
    "currency": write_currency, "attribute": ensure_attribute,
    "attribute_option": ensure_option, "family": ensure_family,
    "family_variant": ensure_family_variant,
}
