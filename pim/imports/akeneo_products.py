"""Akeneo's product and product model files: properties, value columns, one item per row.

Products: `<identifier attribute>` (e.g. `sku`), `family`, `parent`, `categories`,
`enabled`, association and group columns, then value columns. Product models: `code`,
`family_variant`, `parent`, `categories`, then value columns. Root models are written
before sub-models, whatever the order of the rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy.orm import Session

from pim.catalog import services as s
from pim.catalog.structure_cache import structure
from pim.errors import FieldError, NotFound
from pim.imports.bulk import PREPARED, bulk_creator, existing_products
from pim.imports.cells import (
    MEDIA_TYPES,
    CellProblem,
    ValueColumn,
    ValuePlan,
    is_blank,
    parse_bool,
    split_list,
)
from pim.imports.columns import StructureView, is_association, value_column
from pim.imports.fitting import fit_model, fit_product
from pim.imports.items import CREATED, ERRORS_COLUMN, UNCHANGED, UPDATED, Item, SourceRow
from pim.imports.unchanged import is_unchanged
from pim.imports.writing import WriteContext

Row = tuple[int, dict[str, str]]
PRODUCT_PROPERTIES = frozenset({"categories", "enabled", "family", "parent", "groups", "uuid"})
MODEL_PROPERTIES = frozenset({"code", "family_variant", "parent", "categories", "family"})


class ContentConverter:
    """Shared by product and product model files: the column plan and the value cells."""

    entity = ""
    properties: frozenset[str] = frozenset()

    def __init__(self, file: str, view: StructureView) -> None:
        self.file = file
        self.view = view
        self.key_column = "code"
        self.value_columns: list[ValueColumn] = []
        self.slots: dict[tuple, str] = {}
        self.seen: dict[str, int] = {}
        self.left_out: list[str] = []
        self._plan: ValuePlan | None = None
        # an empty cell clears a value on update; a reader that only prepares new
        # products (pim.imports.ahead) leaves empty cells out
        self.reads_blanks = True
        # a reader that checks new products from their cells (pim.imports.ahead) leaves
        # the values unread, where they are just what the plan reads; `restore` reads them
        self.reads_values = True

    def unknown_columns(self, header: list[str]) -> dict[str, str]:
        """Read the header; return the columns that feed nothing, with the reason."""
        unknown = {}
        self.value_columns = []
        for column in header:
            if column == "groups" or is_association(column):
                self.left_out.append(column)
                continue
            if column in self.properties or column in (ERRORS_COLUMN, self.key_column):
                continue
            found = value_column(column, self.view)
            if isinstance(found, ValueColumn):
                self.value_columns.append(found)
                self.slots.setdefault(found.slot, column)
            else:
                unknown[column] = found or f"attribute {column.split('-')[0]!r} does not exist"
        if self.key_column not in header:
            unknown.setdefault(self.key_column, "this column is missing: every row needs it")
        return unknown

    def locate(self, error: FieldError) -> str | None:
        """Name the column a service error is about."""
        if error.attribute:
            return self.slots.get((error.attribute, error.locale, error.scope))
        if error.field in ("identifier", "code"):
            return self.key_column
        return error.field if error.field in self.properties else None

    def _item(self, number: int, cells: dict[str, str]) -> Item:
        key = cells.get(self.key_column, "").strip()
        item = Item(kind=self.entity, key=key, data={},
                    rows=[SourceRow(self.file, number, cells)], locate=self.locate)
        if not key:
            item.refuse(self.key_column, f"the {self.key_column} is empty")
        elif key in self.seen:
            item.refuse(self.key_column, f"{key!r} is already in row {self.seen[key]} of this "
                                         "file; each row must name another one", key)
        else:
            self.seen[key] = number
        if "categories" in cells:
            item.data["categories"] = split_list(cells["categories"])
        return item

    # whether a row's values are just what the value plan reads from its cells (a mapping
    # profile changes them after): they may then be left unread, and read from the cells
    values_from_plan = True

    @property
    def value_plan(self) -> ValuePlan:
        """The value columns of the file, compiled once."""
        if self._plan is None:
            self._plan = ValuePlan(self.value_columns)
        return self._plan

    def _read_values(self, item: Item, cells: dict[str, str]) -> None:
        """Give an item its values (last: their problems come after the others)."""
        item.data["values"], problems = self.value_plan.read(cells, self.reads_blanks)
        for column, message, value in problems:
            item.refuse(column, message, value)


class ProductConverter(ContentConverter):
    """Rows of a products file."""

    entity = "product"
    properties = PRODUCT_PROPERTIES

    def __init__(self, file: str, view: StructureView) -> None:
        super().__init__(file, view)
        self.key_column = view.identifier or "sku"

    def items(self, rows: Callable[[], Iterable[Row]]) -> Iterator[Item]:
        for number, cells in rows():
            yield self.product_item(number, cells)

    def product_item(self, number: int, cells: dict[str, str]) -> Item:
        """Build the item of one product row."""
        item = self._item(number, cells)
        item.data["identifier"] = item.key
        for name in ("family", "parent"):
            if cells.get(name, "").strip():
                item.data[name] = cells[name].strip()
        if cells.get("enabled", "").strip():
            try:
                item.data["enabled"] = parse_bool(cells["enabled"])
            except CellProblem as exc:
                item.refuse("enabled", str(exc), cells["enabled"])
        for column in self.left_out:
            text = cells.get(column, "")
            if text.strip():
                item.warn(column, "product groups and associations are not imported "
                                  "(Prism has none); the cell was left out", text)
        if self.reads_values or not self.values_from_plan:
            self._read_values(item, cells)
        return item

    def row_item(self, number: int, cells: dict[str, str]) -> Item:
        """Build the item of one row of this file."""
        return self.product_item(number, cells)

    def restore(self, item: Item) -> Item:
        """Give an item checked in another process (`pim.imports.ahead`) its data again."""
        if not item.data:
            row = item.rows[0]
            cells = dict(row.cells)
            # the row was counted where it was read: read again, it is not a repeat
            seen, self.seen = self.seen, {}
            unread = self.values_from_plan  # the other process left them unread
            reads, self.reads_values = self.reads_values, not unread
            try:
                item.data = self.row_item(row.number, cells).data
            finally:
                self.seen, self.reads_values = seen, reads
            if unread:  # with the problems they hold, which the other process did not see
                self._read_values(item, cells)
        return item

    def write(self, session: Session, item: Item, ctx: WriteContext) -> str:
        """Create or patch the product."""
        data = fit_product(session, item, ctx)
        return write_product(session, data, ctx)

    def write_many(self, session: Session, items: list[Item], ctx: WriteContext,
                   write_one: Callable[[Any, Item], Any]) -> Iterator[tuple[Item, Any]]:
        """Write a batch: new products together, existing ones one by one."""
        yield from write_products(self, session, items, ctx, write_one)


def write_products(converter: Any, session: Session, items: list[Item], ctx: WriteContext,
                   write_one: Callable[[Any, Item], Any]) -> Iterator[tuple[Item, Any]]:
    """Create the batch's new products in bulk, unless a row must do more on its own
    (store a file, create an option): those go one by one, each in its own savepoint."""
    alone = _one_by_one(session, items, ctx)
    for item in alone:
        yield item, _written_alone(ctx, write_one(converter, item))
    if alone:
        apart = {id(item) for item in alone}
        items = [item for item in items if id(item) not in apart]
    if not items:
        return
    creator = bulk_creator(session, ctx)
    known = existing_products(session, [item.key for item in items])
    for item in items:
        product = known.get(item.key)
        if product is not None:
            # a row checked ahead as a new product (created meanwhile) is read again
            item.extra.pop(PREPARED, None)
            converter.restore(item)
            same = is_unchanged(creator.checks, item, product)
            yield item, UNCHANGED if same else _written_alone(ctx, write_one(converter, item))
    new = [item for item in items if item.key not in known]
    if new:
        yield from creator.create(new, lambda item: write_one(converter,
                                                              converter.restore(item)))


def _written_alone(ctx: WriteContext, outcome: Any) -> Any:
    """A row written through the services may move a variant: bulk checks read again."""
    if outcome in (CREATED, UPDATED):
        ctx.siblings.clear()
    return outcome


def bulk_allowed(ctx: WriteContext) -> bool:
    """Tell whether rows may go in bulk at all: not when missing options are created."""
    return not ctx.create_missing_options


def _one_by_one(session: Session, items: list[Item], ctx: WriteContext) -> list[Item]:
    if not bulk_allowed(ctx):
        return list(items)
    if ctx.media is None or ctx.media.dry_run or ctx.media.store_file is None:
        return []
    media = {code for code, a in structure(session).attributes.items()
             if a.type in MEDIA_TYPES}
    return [item for item in items if any(
        not is_blank(e["data"]) for code in media & item.data.get("values", {}).keys()
        for e in item.data["values"][code])]


def write_product(session: Session, data: dict[str, Any], ctx: WriteContext) -> str:
    """Upsert a product through the services; say what happened."""
    try:
        product = s.get_product(session, data["identifier"])
    except NotFound:
        s.create_product(session, data, **ctx.stamp())
        return CREATED
    version = product.version
    s.update_product(session, product.identifier, data, **ctx.stamp())
    return UNCHANGED if product.version == version else UPDATED


class ModelConverter(ContentConverter):
    """Rows of a product models file; root models first, then sub-models."""

    entity = "product_model"
    properties = MODEL_PROPERTIES

    def items(self, rows: Callable[[], Iterable[Row]]) -> Iterator[Item]:
        for sub_models in (False, True):
            for number, cells in rows():
                if bool(cells.get("parent", "").strip()) == sub_models:
                    yield self.model_item(number, cells)

    def model_item(self, number: int, cells: dict[str, str]) -> Item:
        """Build the item of one product model row."""
        item = self._item(number, cells)
        item.data["code"] = item.key
        for name in ("family_variant", "parent"):
            if cells.get(name, "").strip():
                item.data[name] = cells[name].strip()
        if cells.get("family", "").strip():
            item.extra["family"] = cells["family"].strip()
        self._read_values(item, cells)
        return item

    def write(self, session: Session, item: Item, ctx: WriteContext) -> str:
        """Create or patch the product model."""
        return write_model(session, fit_model(session, item, ctx), ctx)


def write_model(session: Session, data: dict[str, Any], ctx: WriteContext) -> str:
    """Upsert a product model through the services; say what happened."""
    try:
        model = s.get_product_model(session, data["code"])
    except NotFound:
        s.create_product_model(session, data, **ctx.stamp())
        return CREATED
    version = model.version
    s.update_product_model(session, model.code, data, **ctx.stamp())
    return UNCHANGED if model.version == version else UPDATED
