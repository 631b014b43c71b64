"""Create a batch of new products in a few statements, with every rule of create_product.

Each row goes through the same checks as `pim.catalog.products.create_product`: on its
own (`pim.imports.prechecks`: keys, identifier, family and parent, categories, values,
variant level), then against the rows beside it, here: unique values and variant axis
values taken by another product, in the catalog or earlier in the import. It gets the
same rows: the product, its categories, unique values, completeness and its first
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

from pim.catalog.codes import Collector
from pim.catalog.models import Product, ProductModel, UniqueValue
from pim.catalog.structure_cache import structure
from pim.catalog.values import get_value
from pim.imports.bulk_insert import insert_products
from pim.imports.bulk_rows import Prepared
from pim.imports.items import CREATED, Item, Problem, field_problems
from pim.imports.prechecks import Prechecks
from pim.imports.writing import WriteContext

Outcome = str | list[Problem]
# the key of `Item.extra` under which a row checked ahead of time carries its `Prepared`
PREPARED = "prepared"


def bulk_creator(session: Session, ctx: WriteContext) -> BulkCreator:
    """Return the import's creator, made again when the structure has changed."""
    creator = ctx.bulk
    if creator is None or creator.session is not session or (
            creator.checks.cache is not structure(session)):
        creator = ctx.bulk = BulkCreator(session, ctx)
    return creator


class BulkCreator:
    """Check a batch of new products, then insert the valid ones together."""

    def __init__(self, session: Session, ctx: WriteContext) -> None:
        self.session = session
        self.ctx = ctx
        self.checks = Prechecks(session, ctx)
        # the axis values taken under each parent, as written so far: kept by the import
        # from batch to batch, read once per parent, forgotten when rows are written
        # another way
        self.siblings: dict[int, set[tuple[Any, ...]]] = ctx.siblings
        self.siblings.clear()
        # this batch's unique values: who takes them, who held them when it was read
        self.taken: dict[tuple[int, str], str] = {}
        self.owners: dict[tuple[int, str], str | None] = {}

    def create(self, items: list[Item], fallback: Callable[[Item], Outcome]
               ) -> Iterator[tuple[Item, Outcome]]:
        """Yield each item with its outcome: created, or the problems that refused it."""
        self.taken, self.owners = {}, {}
        self._prefetch(items)
        ready = []
        for item in items:
            checked = item.extra.pop(PREPARED, None) or self.checks.prepare(item)
            if not isinstance(checked, list):
                checked = self._beside_others(item, checked)
            if isinstance(checked, list):
                yield item, checked
            else:
                ready.append((item, checked))
        if not ready:
            return
        savepoint = self.session.begin_nested()
        try:
            insert_products(self.session, [row for _, row in ready], self.ctx.stamp())
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
        codes = {parent_of(item) for item in items} - {None}
        self.checks.load_models(codes)  # type: ignore[arg-type]
        self._load_siblings([self.checks.models[c] for c in codes if c in self.checks.models])
        self._prefetch_owners(items)

    def _load_siblings(self, models: list[ProductModel]) -> None:
        unseen = {m.id: m for m in models if m.id not in self.siblings}
        if not unseen:
            return
        for parent_id in unseen:
            self.siblings[parent_id] = set()
        ident = self.checks.ident_code
        for parent_id, values in self.session.execute(
                select(Product.parent_id, Product.values)
                .where(Product.parent_id.in_(list(unseen)))):
            rule = self.checks.variants.of(unseen[parent_id], ident)
            self.siblings[parent_id].add(rule.combination(values))

    def _prefetch_owners(self, items: list[Item]) -> None:
        """Read at once who holds the unique values the rows give (as their cells say)."""
        codes = self.checks.unique_codes
        if not codes:
            return
        wanted = set()
        for item in items:
            prepared = item.extra.get(PREPARED)
            if prepared is not None:
                wanted.update(prepared.unique.items())
                continue
            for code in codes.keys() & item.data.get("values", {}).keys():
                data = get_value(item.data["values"], code, None, None)
                if isinstance(data, str):
                    wanted.add((codes[code], data))
        if not wanted:
            return
        self.owners.update(dict.fromkeys(wanted))
        found = self.session.execute(
            select(UniqueValue.attribute_id, UniqueValue.data, Product.identifier)
            .join(Product, Product.id == UniqueValue.product_id)
            .where(tuple_(UniqueValue.attribute_id, UniqueValue.data).in_(list(wanted))))
        for attribute_id, data, identifier in found:
            self.owners[(attribute_id, data)] = identifier

    # ---- the checks against the other rows ---------------------------------------------

    def _beside_others(self, item: Item, row: Prepared) -> Prepared | list[Problem]:
        """Refuse a row whose axis values or unique values another product has taken."""
        parent = self.checks.models.get(row.parent_code) if row.parent_code else None
        if parent is not None:
            self._load_siblings([parent])
            rule = self.checks.variants.of(parent, self.checks.ident_code)
            problems = rule.taken_problems(item, row.combination, self.siblings[parent.id])
            if problems:
                return problems
        problems = self._unique(item, row.unique)
        if problems:
            return problems
        for attribute_id, data in row.unique.items():
            self.taken[(attribute_id, data)] = item.key
        if parent is not None:
            self.siblings[parent.id].add(row.combination)
        return row

    def _unique(self, item: Item, wanted: dict[int, str]) -> list[Problem]:
        if not wanted:
            return []
        errors = Collector()
        for attribute_id, data in wanted.items():
            owner = self.taken.get((attribute_id, data)) or self._owner(attribute_id, data)
            if owner is not None:
                code = next(code for code, known in self.checks.unique_codes.items()
                            if known == attribute_id)
                errors.add("values", f"value {data!r} is already used by product {owner!r}; "
                                     "this attribute is unique", attribute=code)
        return field_problems(item, errors.errors) if errors.errors else []

    def _owner(self, attribute_id: int, data: str) -> str | None:
        if (attribute_id, data) in self.owners:
            return self.owners[(attribute_id, data)]
        return self.session.scalar(select(Product.identifier).join(UniqueValue).where(
            UniqueValue.attribute_id == attribute_id, UniqueValue.data == data))


def parent_of(item: Item) -> str | None:
    """The code of the parent a row names, if any."""
    prepared = item.extra.get(PREPARED)
    if prepared is not None:
        return prepared.parent_code
    parent = item.data.get("parent")
    return parent if isinstance(parent, str) and parent else None


def existing_products(session: Session, identifiers: list[str]) -> dict[str, Product]:
    """Return the products among `identifiers` that exist already, with their categories."""
    if not identifiers:
        return {}
    return {p.identifier: p for p in session.scalars(
        select(Product).where(Product.identifier.in_(identifiers))
        .options(selectinload(Product.categories)))}
