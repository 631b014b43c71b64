"""Shopify's product CSV: products, options as variant axes, variants, image references.

The rules that turn a Shopify file into attributes, families and products are in
`pim.imports.shopify_layout`. The file is read twice: once to learn its options (so the
attributes, options, family and family variants exist first, as items of the import
itself), then product by product.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from pim.errors import FieldError
from pim.imports.akeneo_products import write_model, write_product
from pim.imports.columns import StructureView
from pim.imports.engine import Task
from pim.imports.items import Item, SourceRow
from pim.imports.report import IssueLog
from pim.imports.shopify_layout import (
    FIELDS,
    MODEL,
    NO_OPTIONS,
    VARIANT,
    field_problem,
    option_code,
    placements,
    read_header,
)
from pim.imports.shopify_structure import STRUCTURE_WRITERS, StructureNeeds
from pim.imports.sources import (
    FileSpec,
    ImportOptions,
    ImportRefused,
    Plan,
    check_unknown,
    planner,
    row_reader,
)
from pim.imports.sources import (
    read_header as read_file_header,
)
from pim.imports.writing import WriteContext

Row = tuple[int, dict[str, str]]
VARIANT_FIELDS = ("option1_value", "option2_value", "option3_value", "sku", "price",
                  "compare_at_price", "grams", "barcode")


@dataclass
class Group:
    """The rows of one Shopify product (one handle)."""

    handle: str
    rows: list[SourceRow] = field(default_factory=list)
    variants: list[tuple[SourceRow, dict[str, str]]] = field(default_factory=list)
    images: list[tuple[int, str, SourceRow]] = field(default_factory=list)
    first: dict[str, str] = field(default_factory=dict)
    problem: str | None = None

    def options(self) -> list[tuple[int, str]]:
        """The product's option names by position, without Shopify's "Title" stand-in."""
        found = [(n, self.first.get(f"option{n}_name", "").strip()) for n in (1, 2, 3)]
        named = [(n, name) for n, name in found if name]
        if len(named) == 1 and named[0][1].lower() == NO_OPTIONS[0]:
            values = {v.get("option1_value", "").strip().lower() for _, v in self.variants}
            if values <= {NO_OPTIONS[1], ""}:
                return []
        return named


class ShopifyConverter:
    """Rows of a Shopify product CSV, as structure items, then products and variants."""

    entity = "product"

    def __init__(self, file: str, view: StructureView, currency: str, locale: str | None
                 ) -> None:
        self.file = file
        self.view = view
        self.currency = currency
        self.locale = locale
        self.columns: dict[str, str] = {}
        self.fields: dict[str, str] = {}
        self.seen: dict[str, int] = {}
        self.needs = StructureNeeds(file, view, currency, locale)

    def unknown_columns(self, header: list[str]) -> dict[str, str]:
        """Read the header; refuse attributes of the wrong type; return unknown columns."""
        self.fields, unknown = read_header(header)
        for column, name in self.fields.items():
            self.columns.setdefault(name, column)
        if "handle" not in self.columns:
            unknown["Handle"] = "this column is missing: every row needs it"
        problems = [field_problem(f, self.view) for f in FIELDS if f.name in self.columns]
        if any(problems):
            raise ImportRefused(f"{self.file}: " + "; ".join(p for p in problems if p))
        return unknown

    def items(self, rows: Callable[[], Iterable[Row]]) -> Iterator[Item]:
        for group in self._groups(rows()):
            self.needs.survey(group.handle, [(n, name, [v.get(f"option{n}_value", "")
                                                         for _, v in group.variants])
                                             for n, name in group.options()],
                              len(group.variants), self.columns)
        yield from self.needs.items()
        self.seen.clear()
        for group in self._groups(rows()):
            yield from self._group_items(group)

    def write(self, session: Session, item: Item, ctx: WriteContext) -> str:
        if item.kind == "product":
            return write_product(session, item.data, ctx)
        if item.kind == "product_model":
            return write_model(session, item.data, ctx)
        return STRUCTURE_WRITERS[item.kind](session, item, ctx)

    # ---- reading rows into products -------------------------------------------------

    def _groups(self, rows: Iterable[Row]) -> Iterator[Group]:
        current: Group | None = None
        handles: dict[str, int] = {}
        for number, cells in rows:
            fields = {name: cells.get(column, "").strip() for name, column in
                      self.columns.items()}
            handle = fields.get("handle", "")
            if current is None or handle != current.handle:
                if current is not None:
                    yield current
                current = Group(handle, first=fields)
                if not handle:
                    current.problem = "the handle is empty"
                elif handle in handles:
                    current.problem = (f"the rows of {handle!r} must follow each other (it "
                                       f"started at row {handles[handle]})")
                handles.setdefault(handle, number)
            self._add_row(current, SourceRow(self.file, number, cells), fields)
        if current is not None:
            yield current

    def _add_row(self, group: Group, row: SourceRow, fields: dict[str, str]) -> None:
        group.rows.append(row)
        if not group.variants or any(fields.get(name) for name in VARIANT_FIELDS):
            group.variants.append((row, fields))
        if fields.get("image"):
            position = fields.get("image_position", "")
            order = int(position) if position.isdigit() else 10**6 + len(group.images)
            group.images.append((order, fields["image"], row))

    def _group_items(self, group: Group) -> Iterator[Item]:
        options = group.options()
        if not group.problem and len(group.variants) > 1 and not options:
            group.problem = f"{group.handle!r} has several variants but no option names"
        if group.problem:
            item = self._item("product", group.handle, group.rows, options)
            item.refuse(self.columns.get("handle"), group.problem, group.handle)
            yield item
            return
        if len(group.variants) == 1:
            row, fields = group.variants[0]
            item = self._item("product", "", group.rows, options)
            values = {**self._values(group.first, MODEL), **self._values(fields, VARIANT)}
            values.update(self._axis_values(options, fields))
            self._images(item, group, values)
            yield self._product(item, fields, group.handle, [], values, family="shopify")
            return
        axes = [self.needs.axis(name) for _, name in options]
        variant_rows = {row.number for row, _ in group.variants}
        model_rows = group.rows[:1] + [r for r in group.rows if r.number not in variant_rows]
        model = self._item("product_model", group.handle, model_rows, options)
        model.shared_rows = 1
        values = self._values(group.first, MODEL)
        self._images(model, group, values)
        model.data = {"code": group.handle, "values": values,
                      "family_variant": self.needs.variant_code(axes)}
        yield model
        for row, fields in group.variants:
            item = self._item("product", "", [row], options)
            values = {**self._values(fields, VARIANT), **self._axis_values(options, fields)}
            codes = [option_code(fields.get(f"option{n}_value", "")) for n, _ in options]
            yield self._product(item, fields, group.handle, codes, values, parent=group.handle)

    def _item(self, kind: str, key: str, rows: list[SourceRow],
              options: list[tuple[int, str]]) -> Item:
        axes = {self.needs.axis(name): self.columns.get(f"option{n}_value")
                for n, name in options}
        return Item(kind=kind, key=key, data={}, rows=rows,
                    locate=lambda error: self._locate(error, axes))

    def _product(self, item: Item, fields: dict[str, str], handle: str, codes: list[str],
                 values: dict[str, list], **where: str) -> Item:
        item.key = fields.get("sku") or "-".join([handle, *codes])
        item.data = {"identifier": item.key, **where, "values": values}
        enabled = _enabled(fields)
        if enabled is not None:
            item.data["enabled"] = enabled
        if item.key in self.seen:
            item.refuse(self.columns.get("sku"), f"identifier {item.key!r} is already in row "
                                                 f"{self.seen[item.key]} of this file", item.key)
        self.seen.setdefault(item.key, item.first_row)
        return item

    def _values(self, fields: dict[str, str], level: str) -> dict[str, list]:
        values: dict[str, list] = {}
        for f in FIELDS:
            text = fields.get(f.name, "")
            if f.level != level or not text or f.name == "image":
                continue
            data: Any = text
            if f.type == "pim_catalog_price_collection":
                data = [{"amount": text, "currency": self.currency}]
            elif f.name == "grams":
                if _is_zero(text):
                    continue
                data = {"amount": text, "unit": "GRAM"}
            values[f.attribute] = self._entries(f.attribute, data)
        return values

    def _axis_values(self, options: list[tuple[int, str]], fields: dict[str, str]
                     ) -> dict[str, list]:
        return {self.needs.axis(name): self._entries(
            self.needs.axis(name), option_code(fields[f"option{n}_value"]))
            for n, name in options if fields.get(f"option{n}_value")}

    def _images(self, item: Item, group: Group, values: dict[str, list]) -> None:
        if not group.images:
            return
        urls = [url for _, url, _ in sorted(group.images, key=lambda image: image[0])]
        values["image_urls"] = self._entries("image_urls", "\n".join(dict.fromkeys(urls)))
        for _, url, _row in group.images:
            item.warn(self.columns.get("image"), "image not fetched: Prism does not download "
                                                 "files from the internet; its URL is kept in "
                                                 "image_urls", url)

    def _entries(self, code: str, data: Any) -> list[dict[str, Any]]:
        return [{"locale": locale, "scope": scope, "data": data} for locale, scope in
                placements(self.view.attributes.get(code), self.view, self.locale)]

    def _locate(self, error: FieldError, axes: dict[str, str | None]) -> str | None:
        if error.field == "identifier":
            return self.columns.get("sku") or self.columns.get("handle")
        if error.field == "parent":
            return self.columns.get("handle")
        for f in FIELDS:
            if f.attribute == error.attribute:
                return self.columns.get(f.name)
        return axes.get(error.attribute or "")


def _enabled(fields: dict[str, str]) -> bool | None:
    status = fields.get("status", "").lower()
    if status:
        return status == "active"
    published = fields.get("published", "").lower()
    return None if not published else published in ("true", "1", "yes")


def _is_zero(text: str) -> bool:
    try:
        return float(text) == 0
    except ValueError:
        return False


@planner("shopify")
def plan_shopify(session: Session, path: Path, options: ImportOptions, log: IssueLog) -> Plan:
    """Plan the import of one Shopify product CSV."""
    if path.is_dir():
        raise ImportRefused(f"{path.name}: a Shopify import reads one CSV file, not a folder")
    spec = FileSpec(path, path.name, "shopify")
    read_file_header(spec)
    view = StructureView.of(session)
    currency = options.currency or ("USD" if "USD" in view.currencies or not view.currencies
                                    else sorted(view.currencies)[0])
    locale = options.locale or ("en_US" if "en_US" in view.locales or not view.locales
                                else sorted(view.locales)[0])
    converter = ShopifyConverter(spec.name, view, currency, locale)
    notes = [f"prices read in {currency}; texts of localizable attributes in {locale}"]
    check_unknown({spec.name: converter.unknown_columns(spec.header)},
                  options.ignore_unknown_columns, notes)
    task = Task(spec.name, "shopify", converter, row_reader(spec, log))
    return Plan([spec], [task], notes)

