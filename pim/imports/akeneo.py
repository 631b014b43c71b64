"""Akeneo's structure files: locales, currencies, channels, attribute groups, attributes,
options, families, family variants and categories, each row upserted through a service.

Columns follow Akeneo's CSV exports: `code`, `label-<locale>`, `requirements-<channel>`,
`variant-axes_<n>` and `variant-attributes_<n>`, booleans as 1/0, lists comma-separated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from pim.catalog import services as s
from pim.catalog.structure_cache import forget_structure
from pim.errors import NotFound
from pim.imports.cells import CellProblem, parse_bool, split_list
from pim.imports.items import CREATED, SKIPPED, UNCHANGED, UPDATED, Item, SourceRow
from pim.imports.writing import WriteContext, upsert

Row = tuple[int, dict[str, str]]
BOOL_PROPS = frozenset({
    "localizable", "scopable", "unique", "useable_as_grid_filter", "wysiwyg_enabled",
    "decimals_allowed", "negative_allowed", "auto_option_sorting", "is_main_identifier",
    "is_mandatory",
})
INT_PROPS = frozenset({"sort_order", "max_characters", "minimum_input_length", "decimal_places"})
LIST_PROPS = frozenset({"available_locales", "allowed_extensions"})
ATTRIBUTE_COLUMNS = BOOL_PROPS | INT_PROPS | LIST_PROPS | {
    "code", "type", "group", "metric_family", "default_metric_unit", "reference_data_name",
    "validation_rule", "validation_regexp", "number_min", "number_max", "date_min", "date_max",
    "max_file_size", "default_value", "decimal_places_strategy",
}


@dataclass(frozen=True)
class StructureKind:
    """One Akeneo structure file: its columns, how a row becomes data, how it is written."""

    name: str
    entity: str
    columns: frozenset[str]
    prefixes: tuple[str, ...]
    convert: Callable[[Item, dict[str, str]], dict[str, Any]]
    write: Callable[[Session, Item, WriteContext], str]
    # read every row before writing any (categories: parents first)
    ordered: Callable[[list[Item]], list[Item]] | None = None

    def unknown_columns(self, header: list[str]) -> list[str]:
        """Columns this kind of file does not have."""
        return [c for c in header if c not in self.columns and not c.startswith(self.prefixes)]


class StructureConverter:
    """Turn the rows of one structure file into items, and write them."""

    def __init__(self, kind: StructureKind, file: str) -> None:
        self.kind = kind
        self.file = file
        self.entity = kind.entity

    def unknown_columns(self, header: list[str]) -> dict[str, str]:
        return {c: f"not a column of Akeneo's {self.kind.name} file"
                for c in self.kind.unknown_columns(header)}

    def items(self, rows: Callable[[], Iterable[Row]]) -> Iterator[Item]:
        made = (self._item(number, cells) for number, cells in rows())
        if self.kind.ordered is None:
            yield from made
        else:
            yield from self.kind.ordered(list(made))

    def _item(self, number: int, cells: dict[str, str]) -> Item:
        code = cells.get("code", "").strip()
        item = Item(kind=self.entity, key=code, data={},
                    rows=[SourceRow(self.file, number, cells)], locate=_locate_field)
        item.data = self.kind.convert(item, cells)
        return item

    def write(self, session: Session, item: Item, ctx: WriteContext) -> str:
        return self.kind.write(session, item, ctx)


def _locate_field(error: Any) -> str | None:
    if error.field == "labels" and error.locale:
        return f"label-{error.locale}"
    return error.field if error.field not in ("body", "values") else None


def labels(cells: dict[str, str], prefix: str = "label-") -> dict[str, str]:
    """Collect `label-<locale>` cells into {locale: label}."""
    return {column[len(prefix):]: text for column, text in cells.items()
            if column.startswith(prefix) and text.strip()}


def _flag(item: Item, column: str, text: str) -> bool | None:
    try:
        return parse_bool(text)
    except CellProblem as exc:
        item.refuse(column, str(exc), text)
        return None


def _whole(item: Item, column: str, text: str) -> int | None:
    try:
        return int(text.strip())
    except ValueError:
        item.refuse(column, f"expected a whole number, got {text!r}", text)
        return None


def _code_and_labels(item: Item, cells: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {"code": item.key}
    found = labels(cells)
    if found:
        data["labels"] = found
    return data


# ---- conversions -------------------------------------------------------------------------

def attribute_data(item: Item, cells: dict[str, str]) -> dict[str, Any]:
    """Read an attributes.csv row: properties with their types, labels."""
    data = _code_and_labels(item, cells)
    for column, text in cells.items():
        if column in ("code",) or not text.strip() or column not in ATTRIBUTE_COLUMNS:
            continue
        if column in BOOL_PROPS:
            data[column] = _flag(item, column, text)
        elif column in INT_PROPS:
            data[column] = _whole(item, column, text)
        elif column in LIST_PROPS:
            data[column] = split_list(text)
        else:
            data[column] = text.strip()
    return data


def option_data(item: Item, cells: dict[str, str]) -> dict[str, Any]:
    """Read an attribute_options.csv row: attribute, code, labels, sort order."""
    data = _code_and_labels(item, cells)
    if cells.get("sort_order", "").strip():
        data["sort_order"] = _whole(item, "sort_order", cells["sort_order"])
    item.extra["attribute"] = cells.get("attribute", "").strip()
    item.key = f"{item.extra['attribute']}.{item.key}"
    return data


def group_data(item: Item, cells: dict[str, str]) -> dict[str, Any]:
    """Read an attribute_groups.csv row (attributes name their group themselves)."""
    data = _code_and_labels(item, cells)
    if cells.get("sort_order", "").strip():
        data["sort_order"] = _whole(item, "sort_order", cells["sort_order"])
    return data


def family_data(item: Item, cells: dict[str, str]) -> dict[str, Any]:
    """Read a families.csv row: attributes, label and image attributes, requirements."""
    data = _code_and_labels(item, cells)
    if "attributes" in cells:
        data["attributes"] = split_list(cells["attributes"])
    for name in ("attribute_as_label", "attribute_as_image"):
        if name in cells:
            data[name] = cells[name].strip() or None
    requirements = {column.removeprefix("requirements-"): split_list(text)
                    for column, text in cells.items() if column.startswith("requirements-")}
    if requirements:
        data["attribute_requirements"] = requirements
    return data


def family_variant_data(item: Item, cells: dict[str, str]) -> dict[str, Any]:
    """Read a family_variants.csv row: family and its levels of axes and attributes."""
    data = _code_and_labels(item, cells)
    data["family"] = cells.get("family", "").strip()
    levels = []
    for level in (1, 2):
        axes = split_list(cells.get(f"variant-axes_{level}", ""))
        attributes = split_list(cells.get(f"variant-attributes_{level}", ""))
        if axes or attributes:
            levels.append({"level": level, "axes": axes, "attributes": attributes})
    data["variant_attribute_sets"] = levels
    return data


def category_data(item: Item, cells: dict[str, str]) -> dict[str, Any]:
    """Read a categories.csv row: code, parent, labels."""
    data = _code_and_labels(item, cells)
    data["parent"] = cells.get("parent", "").strip() or None
    return data


def channel_data(item: Item, cells: dict[str, str]) -> dict[str, Any]:
    """Read a channels.csv row: locales, currencies, category tree, conversion units."""
    data = _code_and_labels(item, cells)
    for name in ("locales", "currencies"):
        if name in cells:
            data[name] = split_list(cells[name])
    tree = cells.get("tree", cells.get("category_tree", "")).strip()
    if tree:
        data["category_tree"] = tree
    units = cells.get("conversion_units", "").strip()
    if units:
        pairs = [pair.split(":", 1) for pair in split_list(units)]
        if any(len(pair) != 2 for pair in pairs):
            item.refuse("conversion_units", "expected attribute:UNIT pairs", units)
        data["conversion_units"] = {k.strip(): v.strip() for k, v, *_ in
                                    (p + [""] for p in pairs) if v}
    return data


def code_only(item: Item, cells: dict[str, str]) -> dict[str, Any]:
    """Read a row that only names a code (locales)."""
    return {"code": item.key}


def currency_data(item: Item, cells: dict[str, str]) -> dict[str, Any]:
    """Read a currencies.csv row: code and whether it is activated."""
    activated = cells.get("activated", "1")
    return {"code": item.key, "activated": _flag(item, "activated", activated) is not False}


def parents_first(items: list[Item]) -> list[Item]:
    """Order category items so that every parent comes before its children."""
    pending = {item.key: item for item in items}
    ordered: list[Item] = []
    placed: set[str] = set()
    while pending:
        ready = [item for item in pending.values()
                 if not item.data.get("parent") or item.data["parent"] in placed
                 or item.data["parent"] not in pending]
        if not ready:  # a cycle: let the service say what is wrong
            ready = list(pending.values())
        for item in ready:
            ordered.append(item)
            placed.add(item.key)
            pending.pop(item.key, None)
    return ordered


# ---- writers -----------------------------------------------------------------------------

def _writer(find: Callable, dump: Callable, create: Callable, update: Callable
            ) -> Callable[[Session, Item, WriteContext], str]:
    def write(session: Session, item: Item, ctx: WriteContext) -> str:
        return upsert(session, item.data.get("code", ""), item.data, find=find, dump=dump,
                      create=create, update=update, stamp=ctx.stamp())
    return write


def write_option(session: Session, item: Item, ctx: WriteContext) -> str:
    """Create or patch one attribute option."""
    attribute, code = item.extra["attribute"], item.data.get("code")
    try:
        before = s.dump_option(s.get_option(session, attribute, code))
    except NotFound:
        before = None
    option, created = s.save_option(session, attribute, item.data, **ctx.stamp())
    if created:
        return CREATED
    return UNCHANGED if s.dump_option(option) == before else UPDATED


def write_group(session: Session, item: Item, ctx: WriteContext) -> str:
    """Create or patch one attribute group."""
    try:
        before = s.dump_group(s.get_group(session, item.key))
    except NotFound:
        before = None
    group, created = s.save_group(session, item.data, **ctx.stamp())
    if created:
        return CREATED
    return UNCHANGED if s.dump_group(group) == before else UPDATED


def write_locale(session: Session, item: Item, ctx: WriteContext) -> str:
    """Register one locale code (channels decide which locales are enabled)."""
    known = ctx.memo(session, "locales", lambda: {loc.code for loc in s.list_locales(session)})
    if item.key in known:
        return UNCHANGED
    s.ensure_locale(session, item.key)
    forget_structure(session)
    known.add(item.key)
    return CREATED


def write_currency(session: Session, item: Item, ctx: WriteContext) -> str:
    """Enable an activated currency; currencies not activated are left alone."""
    if not item.data["activated"]:
        return SKIPPED
    found = ctx.memo(session, "currencies",
                     lambda: {c.code: c.enabled for c in s.list_currencies(session)})
    if found.get(item.key) is True:
        return UNCHANGED
    s.ensure_currency(session, item.key)
    forget_structure(session)  # prices in this currency are valid from now on
    outcome = UPDATED if item.key in found else CREATED
    found[item.key] = True
    return outcome


def _create_variant(session: Session, data: dict, **stamp: Any) -> Any:
    return s.create_family_variant(session, data, **stamp)


LABELS = ("label-",)
KINDS: dict[str, StructureKind] = {kind.name: kind for kind in (
    StructureKind("locales", "locale", frozenset({"code", "activated"}), LABELS, code_only,
                  write_locale),
    StructureKind("currencies", "currency", frozenset({"code", "activated"}), LABELS,
                  currency_data, write_currency),
    StructureKind("categories", "category", frozenset({"code", "parent", "updated"}), LABELS,
                  category_data, _writer(s.get_category, s.dump_category, s.create_category,
                                         s.update_category), ordered=parents_first),
    StructureKind("channels", "channel", frozenset({
        "code", "locales", "currencies", "tree", "category_tree", "conversion_units"}),
        LABELS, channel_data,
        _writer(s.get_channel, s.dump_channel, s.create_channel, s.update_channel)),
    StructureKind("attribute_groups", "attribute_group", frozenset({
        "code", "sort_order", "attributes"}), LABELS, group_data, write_group),
    StructureKind("attributes", "attribute", ATTRIBUTE_COLUMNS, ("label-", "guidelines-"),
                  attribute_data, _writer(s.get_attribute, s.dump_attribute,
                                          s.create_attribute, s.update_attribute)),
    StructureKind("attribute_options", "attribute_option", frozenset({
        "code", "attribute", "sort_order"}), LABELS, option_data, write_option),
    StructureKind("families", "family", frozenset({
        "code", "attributes", "attribute_as_label", "attribute_as_image"}),
        ("label-", "requirements-"), family_data,
        _writer(s.get_family, s.dump_family, s.create_family, s.update_family)),
    StructureKind("family_variants", "family_variant", frozenset({"code", "family"}),
                  ("label-", "variant-axes_", "variant-attributes_"), family_variant_data,
                  _writer(s.get_family_variant, s.dump_family_variant, _create_variant,
                          s.update_family_variant)),
)}
# Akeneo files Prism has no place for: read, counted and reported as skipped
UNSUPPORTED = {"association_types": "association types", "group_types": "product group types",
               "groups": "product groups"}
