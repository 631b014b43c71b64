"""Bulk indexing, full rebuilds and drift checks, streamed by batches of product ids."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from pim.catalog.models import Product, ProductModel
from pim.db import make_session_factory
from pim.search.documents import completeness_rows, load_structure, product_documents, stamp_of
from pim.search.store import SearchIndex

BATCH = 500
# below this many products a bulk update is not worth starting writer processes
MULTIPROCESS_FROM = 2000

Progress = Callable[[int, int | None], None]


@dataclass
class IndexReport:
    """What a bulk indexing or rebuild did."""

    indexed: int = 0
    removed: int = 0
    seconds: float = 0.0


@dataclass
class DriftReport:
    """Products the index lacks, holds in excess, or holds in an outdated state."""

    products: int = 0
    documents: int = 0
    missing: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    repaired: bool = False

    @property
    def in_step(self) -> bool:
        return not (self.missing or self.extra or self.stale)


def sessions_and_index(source: Any, index: SearchIndex | None = None
                       ) -> tuple[Callable[[], AbstractContextManager[Session]], SearchIndex]:
    """Resolve an app, engine, session factory or session to sessions and the index."""
    if hasattr(source, "extensions"):  # a Flask app
        index = index or source.extensions["prism.search"]
        factory = source.extensions["prism.sessions"]
        return factory, index
    if index is None:
        raise ValueError("give the SearchIndex when indexing from an engine or a session")
    if isinstance(source, Session):
        return (lambda: nullcontext(source)), index
    if isinstance(source, Engine):
        return make_session_factory(source), index
    if isinstance(source, sessionmaker):
        return source, index
    raise TypeError(f"cannot read products from {type(source).__name__}")


def writer_processes(count: int) -> int:
    """Return how many writer processes a bulk update of `count` products deserves."""
    if count < MULTIPROCESS_FROM:
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _writer_options(procs: int) -> dict[str, Any]:
    return {"procs": procs, "multisegment": True, "batchsize": 250} if procs > 1 else {}


def index_products(source: Any, ids: Iterable[int], *, index: SearchIndex | None = None,
                   procs: int | None = None, progress: Progress | None = None) -> IndexReport:
    """(Re)index the given products in batches; products that are gone are removed."""
    sessions, index = sessions_and_index(source, index)
    wanted = sorted(set(ids))
    procs = procs or writer_processes(len(wanted))
    report = IndexReport()
    started = time.perf_counter()
    with sessions() as session, index.writer(**_writer_options(procs)) as writer:
        catalog = load_structure(session)
        for chunk in _chunks(wanted, BATCH):
            documents = product_documents(session, chunk, catalog)
            for product_id in chunk:
                writer.delete_by_term("id", str(product_id))
            for document in documents:
                writer.add_document(**document)
            report.indexed += len(documents)
            report.removed += len(chunk) - len(documents)
            if progress:
                progress(report.indexed + report.removed, len(wanted))
    report.seconds = time.perf_counter() - started
    return report


def product_id_batches(session: Session, size: int = BATCH) -> Iterator[list[int]]:
    """Yield every product id in ascending batches (keyset paging, flat memory)."""
    last = 0
    while True:
        batch = list(session.scalars(
            select(Product.id).where(Product.id > last).order_by(Product.id).limit(size)))
        if not batch:
            return
        last = batch[-1]
        yield batch


def rebuild_index(source: Any, *, index: SearchIndex | None = None, procs: int | None = None,
                  progress: Progress | None = None) -> IndexReport:
    """Rebuild the whole index from the database; searches see the old one until done."""
    sessions, index = sessions_and_index(source, index)
    procs = procs or writer_processes(MULTIPROCESS_FROM)
    report = IndexReport()
    started = time.perf_counter()
    with sessions() as session, index.writer(clear=True, **_writer_options(procs)) as writer:
        catalog = load_structure(session)
        for batch in product_id_batches(session):
            for document in product_documents(session, batch, catalog):
                writer.add_document(**document)
                report.indexed += 1
            if progress:
                progress(report.indexed, None)
    report.seconds = time.perf_counter() - started
    return report


def indexed_stamps(index: SearchIndex) -> dict[int, bytes]:
    """Return the stamp of every live document, by product id."""
    stamps: dict[int, bytes] = {}
    with index.searcher() as searcher:
        for sub, _offset in searcher.leaf_searchers():
            reader = sub.reader()
            if reader.doc_count_all() == 0:
                continue
            ids = reader.column_reader("id", translate=False)
            marks = reader.column_reader("stamp", translate=False)
            for docnum in reader.all_doc_ids():
                key = int(ids[docnum])
                stamps[key] = b"" if key in stamps else marks[docnum]
    return stamps


def _model_versions(session: Session) -> dict[int, tuple[int | None, int]]:
    rows = session.execute(select(ProductModel.id, ProductModel.parent_id, ProductModel.version))
    return {row.id: (row.parent_id, row.version) for row in rows}


def database_stamps(session: Session, batch: list[int],
                    models: dict[int, tuple[int | None, int]]) -> dict[int, bytes]:
    """Return the stamp each product of `batch` should carry in the index."""
    rows = session.execute(select(Product.id, Product.version, Product.parent_id)
                           .where(Product.id.in_(batch)))
    completeness = completeness_rows(session, batch)
    stamps = {}
    for product_id, version, parent_id in rows:
        versions = [version]
        while parent_id is not None and parent_id in models:
            parent_id, model_version = models[parent_id]
            versions.append(model_version)
        stamps[product_id] = stamp_of(versions, completeness[product_id]).encode()
    return stamps


def check_index(source: Any, *, index: SearchIndex | None = None, repair: bool = False
                ) -> DriftReport:
    """Compare the index with the database; with `repair`, reindex and remove what differs."""
    sessions, index = sessions_and_index(source, index)
    indexed = indexed_stamps(index)
    report = DriftReport(documents=len(indexed))
    with sessions() as session:
        models = _model_versions(session)
        for batch in product_id_batches(session, 2000):
            report.products += len(batch)
            for product_id, stamp in database_stamps(session, batch, models).items():
                found = indexed.pop(product_id, None)
                if found is None:
                    report.missing.append(product_id)
                elif found != stamp:
                    report.stale.append(product_id)
    report.extra = sorted(indexed)
    if repair and not report.in_step:
        index_products(source, report.missing + report.stale + report.extra, index=index)
        report.repaired = True
    return report
