"""Read the catalog for export: resolved products streamed from one consistent snapshot.

A resolved product carries everything a channel listing is built from: values merged over
its product models, family, categories (its own and its models') with their ancestors,
completeness per channel and locale, and the versions it was read at. Products come in id
batches, so memory stays flat whatever the catalog size, and every batch is read inside
the one transaction opened by `read_snapshot`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Select, Text, and_, cast, func, select, tuple_
from sqlalchemy.orm import Session, aliased

from pim.catalog.documents import decode
from pim.catalog.models import (
    Category,
    Channel,
    Completeness,
    Family,
    FamilyVariant,
    Product,
    ProductModel,
    product_categories,
    product_model_categories,
)
from pim.errors import NotFound

BATCH = 500
MODEL_CACHE = 20_000


@dataclass(slots=True)
class ResolvedProduct:
    """One product as a channel sees it: merged values and everything around them.

    Read-only by convention: not frozen, since a frozen dataclass costs six times as much
    to build and an export builds one per product.
    """

    id: int
    uuid: str
    identifier: str
    family: str | None
    parent: str | None
    root: str | None
    axes: tuple[str, ...]
    enabled: bool
    status: str
    values: dict[str, list[dict[str, Any]]]
    categories: tuple[str, ...]
    ancestors: frozenset[str]
    completeness: dict[tuple[str, str], int]
    version: int
    model_versions: tuple[int, ...]

    @property
    def is_variant(self) -> bool:
        return self.parent is not None

    def ratio(self, channel: str, locale: str) -> int | None:
        """Return the stored completeness ratio for `channel` and `locale`, if any."""
        return self.completeness.get((channel, locale))


@dataclass(frozen=True)
class ProductQuery:
    """Which products to read: every filter is optional."""

    families: tuple[str, ...] | None = None
    categories: tuple[str, ...] | None = None
    enabled: bool | None = None
    identifiers: tuple[str, ...] | None = None
    ids: tuple[int, ...] | None = None
    # only load the completeness of these channels (codes); None loads every channel
    channels: tuple[str, ...] | None = None
    # variants of one root model come together (ordered by root model, then id)
    grouped: bool = False


@dataclass
class Snapshot:
    """A read transaction on one session, and how consistent it is."""

    session: Session
    isolation: str
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


@contextmanager
def read_snapshot(session: Session) -> Iterator[Snapshot]:
    """Open one read transaction every later read of `session` shares, then end it.

    On PostgreSQL the transaction is REPEATABLE READ; on SQLite (WAL) the first read of a
    transaction fixes its snapshot. A session already inside a transaction keeps it.
    """
    bind = session.get_bind()
    if session.in_transaction() or (isinstance(bind, Connection) and bind.in_transaction()):
        yield Snapshot(session, "caller's transaction")
        return
    dialect = bind.dialect.name
    options: dict[str, Any] = {}
    isolation = "serializable (SQLite WAL snapshot)"
    if dialect == "postgresql":
        options = {"isolation_level": "REPEATABLE READ"}
        isolation = "repeatable read"
    session.connection(execution_options=options)
    try:
        yield Snapshot(session, isolation)
    finally:
        # ending a read-only transaction: commit and rollback are the same, but commit
        # leaves work of other sessions joined to an outer transaction alone
        if session.in_transaction():
            session.commit()


class _Structure:
    """Categories, families and channels: small tables read once per stream."""

    def __init__(self, session: Session, channel_codes: Iterable[str] | None) -> None:
        rows = session.execute(select(Category.id, Category.code, Category.parent_id)).all()
        self.category_code = {r.id: r.code for r in rows}
        self.category_parent = {r.id: r.parent_id for r in rows}
        self.families = dict(session.execute(select(Family.id, Family.code)).all())
        channels = select(Channel.id, Channel.code)
        if channel_codes is not None:
            channels = channels.where(Channel.code.in_(list(channel_codes)))
        self.channels = dict(session.execute(channels).all())
        self.variant_axes = {
            variant.id: _axes_of(variant.variant_attribute_sets or [])
            for variant in session.scalars(select(FamilyVariant))
        }
        self._ancestors: dict[int, frozenset[str]] = {}
        self._placements: dict[tuple[int, ...], tuple[tuple[str, ...], frozenset[str]]] = {}

    def ancestors(self, category_id: int) -> frozenset[str]:
        """Codes of the category and of every category above it."""
        found = self._ancestors.get(category_id)
        if found is None:
            codes = []
            current: int | None = category_id
            while current is not None:
                codes.append(self.category_code[current])
                current = self.category_parent.get(current)
            found = self._ancestors[category_id] = frozenset(codes)
        return found

    def placement(self, category_ids: Iterable[int]
                  ) -> tuple[tuple[str, ...], frozenset[str]]:
        """Sorted codes of the categories and the codes of them and their ancestors."""
        key = tuple(sorted(set(category_ids)))
        found = self._placements.get(key)
        if found is None:
            codes = tuple(sorted(self.category_code[c] for c in key))
            above: frozenset[str] = frozenset().union(*(self.ancestors(c) for c in key))
            found = self._placements[key] = (codes, above)
        return found

    def descendants(self, codes: Iterable[str]) -> set[str]:
        """Codes of the given categories and of every category below them."""
        wanted = set(codes)
        return {code for cid, code in self.category_code.items()
                if self.ancestors(cid) & wanted}


@dataclass(frozen=True, slots=True)
class _Model:
    code: str
    parent_id: int | None
    values: dict[str, Any]
    categories: tuple[int, ...]
    version: int
    variant_id: int


class _Models:
    """Product models met so far, loaded by batch with their parents, kept within a bound."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.known: dict[int, _Model] = {}

    def load(self, ids: set[int]) -> None:
        missing = {i for i in ids if i not in self.known}
        if len(self.known) + len(missing) > MODEL_CACHE:
            self.known.clear()
            missing = set(ids)
        while missing:
            rows = self.session.execute(
                select(ProductModel.id, ProductModel.code, ProductModel.parent_id,
                       _raw(ProductModel.values), ProductModel.version,
                       ProductModel.family_variant_id).where(ProductModel.id.in_(missing))
            ).all()
            links = _links(self.session, product_model_categories.c.product_model_id,
                           product_model_categories, missing)
            for r in rows:
                self.known[r.id] = _Model(r.code, r.parent_id, decode(r.values),
                                          tuple(links.get(r.id, ())), r.version,
                                          r.family_variant_id)
            missing = {r.parent_id for r in rows if r.parent_id and r.parent_id not in self.known}

    def chain(self, model_id: int | None) -> list[_Model]:
        """The model and its parent, nearest first."""
        chain = []
        while model_id is not None:
            model = self.known[model_id]
            chain.append(model)
            model_id = model.parent_id
        return chain


def _links(session: Session, owner: Any, table: Any, ids: Iterable[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    ids = list(ids)
    wanted = set(ids)
    rows = session.execute(select(owner, table.c.category_id).where(_among(owner, ids)))
    for owner_id, category_id in rows:
        if owner_id in wanted:
            found.setdefault(owner_id, []).append(category_id)
    return found


def _among(column: Any, ids: list[int]) -> Any:
    """`column IN ids`, or a range when the ids are an ascending run with few gaps.

    A batch read in id order is such a run; the range is much cheaper to send than 500
    bound parameters. The caller drops the rows of ids in the gaps.
    """
    ascending = all(a < b for a, b in zip(ids, ids[1:], strict=False))
    if len(ids) > 1 and ascending and ids[-1] - ids[0] < 2 * len(ids):
        return column.between(ids[0], ids[-1])
    return column.in_(ids)


def _raw(column: Any) -> Any:
    # values arrive as JSON text and are decoded by orjson (`decode`): several times
    # faster than the driver's json module on catalogs of 100,000 products
    return cast(column, Text).label("values")


# positions of the columns of `_columns` in a row
ID, PARENT_ID, COLUMNS = 0, 4, 9


def _columns() -> Select:
    return select(Product.id, Product.uuid, Product.identifier, Product.family_id,
                  Product.parent_id, Product.enabled, Product.status, _raw(Product.values),
                  Product.version)


def _filtered(query: Select, wanted: ProductQuery, structure: _Structure) -> Select:
    if wanted.families is not None:
        family_ids = [i for i, code in structure.families.items() if code in wanted.families]
        query = query.where(Product.family_id.in_(family_ids))
    if wanted.enabled is not None:
        query = query.where(Product.enabled.is_(wanted.enabled))
    if wanted.identifiers is not None:
        query = query.where(Product.identifier.in_(list(wanted.identifiers)))
    if wanted.ids is not None:
        query = query.where(Product.id.in_(list(wanted.ids)))
    return query


def _group_key() -> tuple[Any, Any]:
    parent, root = aliased(ProductModel), aliased(ProductModel)
    key = func.coalesce(root.id, parent.id, 0)
    return key, (parent, root)


def _batches(session: Session, wanted: ProductQuery, structure: _Structure, size: int
             ) -> Iterator[list[Any]]:
    if not wanted.grouped:
        last = 0
        base = _filtered(_columns(), wanted, structure)
        while True:
            rows = session.execute(
                base.where(Product.id > last).order_by(Product.id).limit(size)).all()
            if not rows:
                return
            last = rows[-1].id
            yield rows
    key, (parent, root) = _group_key()
    base = _filtered(_columns().add_columns(key.label("group_key")), wanted, structure)
    base = base.outerjoin(parent, parent.id == Product.parent_id).outerjoin(
        root, root.id == parent.parent_id)
    last_key, last_id = -1, 0
    while True:
        rows = session.execute(
            base.where(tuple_(key, Product.id) > tuple_(last_key, last_id))
            .order_by(key, Product.id).limit(size)).all()
        if not rows:
            return
        last_key, last_id = rows[-1].group_key, rows[-1].id
        yield rows


def stream_products(session: Session, wanted: ProductQuery | None = None, *,
                    batch_size: int = BATCH) -> Iterator[ResolvedProduct]:
    """Yield resolved products in id order (or grouped by product model), batch by batch."""
    wanted = wanted or ProductQuery()
    structure = _Structure(session, wanted.channels)
    models = _Models(session)
    inside = structure.descendants(wanted.categories) if wanted.categories is not None else None
    for rows in _batches(session, wanted, structure, batch_size):
        for product in _resolve_batch(session, rows, structure, models):
            if inside is None or inside.intersection(product.categories):
                yield product


def count_products(session: Session, wanted: ProductQuery | None = None) -> int:
    """Count the products a stream would consider (before category filters)."""
    wanted = wanted or ProductQuery()
    structure = _Structure(session, ())
    query = _filtered(select(func.count(Product.id)), wanted, structure)
    return int(session.scalar(query) or 0)


def _resolve_batch(session: Session, rows: list[Any], structure: _Structure, models: _Models
                   ) -> list[ResolvedProduct]:
    # rows are read by position (see _columns): a row's attributes cost a call each
    ids = [r[ID] for r in rows]
    models.load({r[PARENT_ID] for r in rows if r[PARENT_ID]})
    links = _links(session, product_categories.c.product_id, product_categories, ids)
    ratios = _completeness(session, ids, structure.channels)
    return [_resolve(r, structure, models, links.get(r[ID], ()), ratios.get(r[ID], {}))
            for r in rows]


def _completeness(session: Session, ids: list[int], channels: dict[int, str]
                  ) -> dict[int, dict[tuple[str, str], int]]:
    found: dict[int, dict[tuple[str, str], int]] = {}
    if not channels:
        return found
    rows = session.execute(
        select(Completeness.product_id, Completeness.channel_id, Completeness.locale,
               Completeness.ratio).where(and_(_among(Completeness.product_id, ids),
                                              Completeness.channel_id.in_(list(channels)))))
    wanted = set(ids)
    for product_id, channel_id, locale, ratio in rows:
        if product_id in wanted:
            found.setdefault(product_id, {})[(channels[channel_id], locale)] = ratio
    return found


def _resolve(row: Any, structure: _Structure, models: _Models, own_categories: Iterable[int],
             ratios: dict[tuple[str, str], int]) -> ResolvedProduct:
    product_id, uuid, identifier, family_id, parent_id, enabled, status, raw, version = (
        row[:COLUMNS])
    values = decode(raw)
    if parent_id is None:
        codes, ancestors = structure.placement(own_categories)
        return ResolvedProduct(
            id=product_id, uuid=uuid, identifier=identifier,
            family=structure.families.get(family_id), parent=None, root=None, axes=(),
            enabled=enabled, status=status, values=values, categories=codes,
            ancestors=ancestors, completeness=ratios, version=version, model_versions=())
    chain = models.chain(parent_id)
    category_ids = list(own_categories)
    for model in chain:
        for code, entries in model.values.items():
            values.setdefault(code, entries)
        category_ids.extend(model.categories)
    codes, ancestors = structure.placement(category_ids)
    return ResolvedProduct(
        id=product_id, uuid=uuid, identifier=identifier,
        family=structure.families.get(family_id), parent=chain[0].code,
        root=chain[-1].code, axes=structure.variant_axes.get(chain[0].variant_id, ()),
        enabled=enabled, status=status, values=values, categories=codes,
        ancestors=ancestors, completeness=ratios, version=version,
        model_versions=tuple(m.version for m in chain),
    )


def _axes_of(attribute_sets: list[dict[str, Any]]) -> tuple[str, ...]:
    """The axes of a family variant, level by level."""
    axes: list[str] = []
    for level in sorted(attribute_sets, key=lambda item: item["level"]):
        axes.extend(level["axes"])
    return tuple(axes)


def resolve_product(session: Session, identifier: str, *, channels: Iterable[str] | None = None
                    ) -> ResolvedProduct:
    """Return one product resolved as an export would see it."""
    wanted = ProductQuery(identifiers=(identifier,),
                          channels=tuple(channels) if channels is not None else None)
    for product in stream_products(session, wanted):
        return product
    raise NotFound("product", identifier)

