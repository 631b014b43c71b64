"""Bulk indexing, full rebuilds and drift checks, streamed by batches of product ids."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage

from pim.catalog.models import Product, ProductModel
from pim.collector import young_collections
from pim.db import make_engine, make_session_factory
from pim.search.bulk import build_segments
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


def product_id_batches(session: Session, size: int = BATCH, *, after: int = 0,
                       upto: int | None = None) -> Iterator[list[int]]:
    """Yield the product ids above `after` (up to `upto`) in ascending batches."""
    last = after
    while True:
        query = select(Product.id).where(Product.id > last)
        if upto is not None:
            query = query.where(Product.id <= upto)
        batch = list(session.scalars(query.order_by(Product.id).limit(size)))
        if not batch:
            return
        last = batch[-1]
        yield batch


def _documents(session: Session, *, after: int = 0, upto: int | None = None
               ) -> Iterator[dict[str, Any]]:
    catalog = load_structure(session)
    # a batch's rows and documents are freed by reference counting; full collections
    # would rescan the growing posting arrays and caches of the builder, batch after batch
    with young_collections() as collected:
        for batch in product_id_batches(session, after=after, upto=upto):
            yield from product_documents(session, batch, catalog)
            collected()


def _id_ranges(session: Session, parts: int) -> list[tuple[int, int]]:
    """Split the product ids into `parts` ranges (after, upto) of about equal counts."""
    ids = list(session.scalars(select(Product.id).order_by(Product.id)))
    if not ids:
        return []
    size = -(-len(ids) // parts)
    return [(ids[start - 1] if start else 0, ids[min(start + size, len(ids)) - 1])
            for start in range(0, len(ids), size)]


def shareable_url(source: Any) -> str | None:
    """Return the database URL other processes can read the same data from, if any.

    A session (its transaction may hold uncommitted rows) and an in-memory SQLite
    database are only visible to this process.
    """
    if hasattr(source, "extensions"):
        engine = source.extensions.get("prism.engine")
    elif isinstance(source, Engine):
        engine = source
    elif isinstance(source, sessionmaker):
        engine = source.kw.get("bind")
    else:
        engine = None
    if not isinstance(engine, Engine):
        return None
    url = engine.url
    if url.get_backend_name() == "sqlite" and (
            url.database in (None, "", ":memory:") or "mode=memory" in str(url)):
        return None
    return url.render_as_string(hide_password=False)


def build_part(url: str, folder: str, indexname: str, after: int, upto: int
               ) -> tuple[list[Any], int]:
    """Write the documents of the products in (after, upto] as new segments of the index.

    Runs in a worker process of `rebuild_index`; returns the segments and their size.
    """
    engine = make_engine(url)
    try:
        storage = FileStorage(folder)
        schema = storage.open_index(indexname).schema
        with make_session_factory(engine)() as session:
            segments = build_segments(storage, indexname, schema,
                                      _documents(session, after=after, upto=upto))
    finally:
        engine.dispose()
    return segments, sum(segment.doc_count_all() for segment in segments)


def rebuild_index(source: Any, *, index: SearchIndex | None = None, procs: int | None = None,
                  progress: Progress | None = None) -> IndexReport:
    """Rebuild the whole index from the database; searches see the old one until done.

    With more than one process (and a database other processes can open), each process
    writes the segments of one range of products.
    """
    sessions, index = sessions_and_index(source, index)
    procs = procs or writer_processes(MULTIPROCESS_FROM)
    url = shareable_url(source) if procs > 1 else None
    report = IndexReport()
    started = time.perf_counter()

    def added(count: int) -> None:
        report.indexed += count
        if progress and report.indexed % BATCH == 0:
            progress(report.indexed, None)

    def build(storage: Any, indexname: str, schema: Schema) -> list[Any]:
        if url is None:
            with sessions() as session:
                return build_segments(storage, indexname, schema, _documents(session),
                                      added=added)
        with sessions() as session:
            ranges = _id_ranges(session, procs)
        return _build_in_processes(url, str(index.path), indexname, ranges, added)

    index.replace_segments(build)
    if progress:
        progress(report.indexed, None)
    report.seconds = time.perf_counter() - started
    return report


def _build_in_processes(url: str, folder: str, indexname: str, ranges: list[tuple[int, int]],
                        added: Callable[[int], None]) -> list[Any]:
    """Build the first range here and the others in worker processes, at the same time."""
    if not ranges:
        return []
    segments: list[Any] = []
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=max(1, len(ranges) - 1), mp_context=context) as pool:
        futures = [pool.submit(build_part, url, folder, indexname, after, upto)
                   for after, upto in ranges[1:]]
        after, upto = ranges[0]
        engine = make_engine(url)
        try:
            with make_session_factory(engine)() as session:
                storage = FileStorage(folder)
                schema = storage.open_index(indexname).schema
                segments.extend(build_segments(storage, indexname, schema,
                                               _documents(session, after=after, upto=upto),
                                               added=added))
        finally:
            engine.dispose()
        for future in futures:
            found, count = future.result()
            segments.extend(found)
            added(count)
    return segments


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
