"""The product editor's form: built from the family, read back into an Akeneo patch."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from pim.catalog import services as s
from pim.catalog.measures import units_of
from pim.catalog.models import Attribute, Product, ProductModel
from pim.catalog.types import Problem
from pim.catalog.variants import level_attributes, merged_values, product_level
from pim.errors import FieldError
from pim.web.templating import label
from pim.web.widgets import (
    Widget,
    anchor,
    input_name,
    parse_slot_key,
    slot_key,
    widget_for,
)

Entity = Product | ProductModel
IDENTIFIER = "pim_catalog_identifier"
SELECTS = ("pim_catalog_simpleselect", "pim_catalog_multiselect")


@dataclass
class Slot:
    """One editable value: an attribute in one locale and channel."""

    key: str
    name: str
    id: str
    locale: str | None
    scope: str | None
    data: Any
    error: str | None = None
    unavailable: str | None = None


@dataclass
class Row:
    """One attribute of the form with its slots and what its widget needs."""

    attribute: Attribute
    widget: Widget | None
    editable: bool
    required: bool
    slots: list[Slot]
    inherited_from: str | None = None
    options: list[tuple[str, str]] = field(default_factory=list)
    units: list[str] = field(default_factory=list)


@dataclass
class Group:
    """Attributes of one attribute group, in the family's order."""

    code: str
    label: str
    rows: list[Row]


@dataclass(frozen=True)
class Where:
    """The locale, second locale and channel the editor shows."""

    locale: str
    compare: str | None
    channel: Any  # Channel

    def locales(self) -> list[str]:
        if self.compare and self.compare != self.locale:
            return [self.locale, self.compare]
        return [self.locale]


def editable_codes(session: Session, entity: Entity) -> set[str] | None:
    """Attribute codes the entity itself carries (None: any, for a product without family)."""
    ident = _identifier_code(session)
    if isinstance(entity, ProductModel):
        return level_attributes(entity.family_variant, entity.level, ident) - {ident}
    if entity.parent is not None:
        variant = entity.parent.family_variant
        return level_attributes(variant, product_level(variant), ident) - {ident}
    if entity.family is None:
        return None
    return set(entity.family.attribute_codes) - {ident}


def _identifier_code(session: Session) -> str | None:
    found = s.list_attributes(session, types=[IDENTIFIER])
    return found[0].code if found else None


def inherited_from(entity: Entity, code: str) -> str | None:
    """Return the code of the parent model whose value of `code` the entity shows."""
    parent = entity.parent
    while parent is not None:
        if code in (parent.values or {}):
            return parent.code
        parent = parent.parent
    return None


def build_groups(session: Session, entity: Entity, where: Where, *,
                 submitted: dict[str, Any] | None = None,
                 errors: dict[str, str] | None = None) -> list[Group]:
    """Lay out the entity's attributes in groups, one row per attribute."""
    family = entity.family
    editable = editable_codes(session, entity)
    values = merged_values(entity)
    codes = family.attribute_codes if family else sorted(values)
    attributes = {a.code: a for a in s.list_attributes(session, codes=codes)}
    required = set(family.required_codes(where.channel.code)) if family else set()
    groups: dict[str, Group] = {}
    for code in codes:
        attribute = attributes.get(code)
        if attribute is None or attribute.type == IDENTIFIER:
            continue
        can_edit = editable is None or code in editable
        row = Row(attribute, widget_for(attribute.type), can_edit, code in required,
                  _slots(attribute, values, where, submitted or {}, errors or {}),
                  None if can_edit else inherited_from(entity, code))
        _decorate(session, row)
        group = attribute.group
        key = group.code if group else ""
        if key not in groups:
            groups[key] = Group(key, label(group) if group else "Other", [])
        groups[key].rows.append(row)
    order = {g.code: (g.sort_order, g.code) for a in attributes.values() if (g := a.group)}
    return sorted(groups.values(), key=lambda g: order.get(g.code, (10**6, g.code)))


def _slots(attribute: Attribute, values: dict, where: Where, submitted: dict[str, Any],
           errors: dict[str, str]) -> list[Slot]:
    scope = where.channel.code if attribute.scopable else None
    locales: list[str | None] = list(where.locales()) if attribute.localizable else [None]
    slots = []
    for locale in locales:
        key = slot_key(attribute.code, locale, scope)
        data = submitted[key] if key in submitted else _stored(values, attribute.code, locale,
                                                               scope)
        slot = Slot(key, input_name(attribute.code, locale, scope),
                    anchor(attribute.code, locale, scope), locale, scope, data, errors.get(key))
        slot.unavailable = _unavailable(attribute, locale, where.channel)
        slots.append(slot)
    return slots


def _stored(values: dict, code: str, locale: str | None, scope: str | None) -> Any:
    for entry in values.get(code, ()):
        if entry.get("locale") == locale and entry.get("scope") == scope:
            return entry["data"]
    return None


def _unavailable(attribute: Attribute, locale: str | None, channel: Any) -> str | None:
    if attribute.scopable and attribute.localizable and locale not in channel.locales:
        return f"{channel.code} does not use {locale}"
    available = attribute.prop("available_locales")
    if available and locale not in available:
        return f"not available in {locale}"
    return None


def _decorate(session: Session, row: Row) -> None:
    attribute = row.attribute
    if attribute.type in SELECTS:
        row.options = [(o.code, label(o)) for o in s.list_options(session, attribute.code)]
    if attribute.type == "pim_catalog_metric":
        try:
            row.units = list(units_of(attribute.prop("metric_family", "")))
        except Problem:
            row.units = []


@dataclass
class Posted:
    """What the editor form sent: a values patch, other properties, and raw slot data."""

    values: dict[str, list[dict[str, Any]]]
    properties: dict[str, Any]
    submitted: dict[str, Any]
    problems: list[FieldError]

    def patch(self) -> dict[str, Any]:
        """Return the Akeneo-shaped patch for the update service."""
        return {**self.properties, "values": self.values}


def read_form(session: Session, form: MultiDict) -> Posted:
    """Read the posted editor form into an Akeneo patch."""
    attributes = {a.code: a for a in s.list_attributes(session)}
    posted = Posted({}, {}, {}, [])
    for key in form.getlist("field"):
        parsed = parse_slot_key(key)
        attribute = attributes.get(parsed[0]) if parsed else None
        editor = widget_for(attribute.type) if attribute is not None else None
        if parsed is None or editor is None:
            posted.problems.append(FieldError("values", f"the form sent an unknown field {key!r}"))
            continue
        code, locale, scope = parsed
        data = editor.read(form, "v." + key, attribute)
        posted.submitted[key] = data
        posted.values.setdefault(code, []).append({"locale": locale, "scope": scope,
                                                   "data": data})
    if "categories_shown" in form:
        posted.properties["categories"] = [c for c in form.getlist("category") if c]
    if form.get("enabled") in ("true", "false"):
        posted.properties["enabled"] = form["enabled"] == "true"
    if form.get("status"):
        posted.properties["status"] = form["status"]
    return posted


def errors_by_slot(errors: list[FieldError]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Return messages per slot, and a summary of every error with the id of its input."""
    by_slot: dict[str, str] = {}
    summary = []
    for error in errors:
        target = ""
        if error.attribute and error.field == "values":
            key = slot_key(error.attribute, error.locale, error.scope)
            by_slot[key] = f"{by_slot[key]}; {error.message}" if key in by_slot else error.message
            target = anchor(error.attribute, error.locale, error.scope)
        summary.append((f"{error.where()}: {error.message}", target))
    return by_slot, summary
