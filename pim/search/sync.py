"""Keep the index in step with the database: after each commit, off the request path.

Session listeners on the app's session factory collect the ids of products and product
models a flush wrote or deleted; the commit hands them to the `Indexer`, whose thread
reads them back from the database and writes them to the index in batches (a rollback
discards them). A saved product is found once its batch is written, usually a few
milliseconds after the commit: `wait_idle()` waits for that.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from itertools import chain
from typing import Any

from sqlalchemy import event, inspect, or_, select
from sqlalchemy.orm import Session

from pim.catalog.models import (
    Attribute,
    AttributeOption,
    Category,
    Channel,
    Completeness,
    Family,
    FamilyVariant,
    Product,
    ProductModel,
)
from pim.search.documents import CatalogStructure, load_structure, product_documents
from pim.search.store import SearchIndex

log = logging.getLogger(__name__)

PENDING = "prism.search.pending"
# set in the info of sessions whose factory the indexer listens to
LISTENED = "prism.search.listened"
BATCH = 500
RETRY_DELAY = 1.0
# reference data (attributes, option labels, categories) is reread at least this often;
# a change committed through this process's sessions rereads it at once
STRUCTURE_TTL = 10.0
STRUCTURE_MODELS = (Attribute, AttributeOption, Category, Channel, Family, FamilyVariant)


class Indexer:
    """A background thread that writes committed product changes to the index."""

    def __init__(self, index: SearchIndex, sessions: Callable[[], Session]) -> None:
        self.index = index
        self.sessions = sessions
        self.last_error: str | None = None
        self._changed = threading.Condition()
        self._products: set[int] = set()
        self._models: set[int] = set()
        self._busy = False
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._structure: CatalogStructure | None = None
        self._structure_read = 0.0

    def structure_changed(self) -> None:
        """Reread attributes, options and categories before the next documents."""
        self._structure = None

    def submit(self, product_ids: Iterable[int], model_ids: Iterable[int]) -> None:
        """Queue products (and the variants of product models) for reindexing."""
        with self._changed:
            self._products.update(product_ids)
            self._models.update(model_ids)
            if self._thread is None or not self._thread.is_alive():
                self._stopping = False
                self._thread = threading.Thread(target=self._run, name="prism-search-indexer",
                                                daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def wait_idle(self, timeout: float | None = 30.0) -> bool:
        """Wait until everything queued so far is in the index; False on timeout."""
        with self._changed:
            return self._changed.wait_for(
                lambda: not (self._products or self._models or self._busy), timeout)

    def flush(self, timeout: float = 60.0) -> None:
        """Wait until the queue is written, raising if it takes longer than `timeout`."""
        if not self.wait_idle(timeout):
            raise TimeoutError(f"the search index is still {self.pending()} changes behind "
                               f"after {timeout:.0f} s ({self.last_error or 'no error'})")

    def pending(self) -> int:
        """Return how many products and models wait to be indexed."""
        with self._changed:
            return len(self._products) + len(self._models)

    def stop(self, timeout: float = 10.0) -> None:
        """Write what is queued, then end the thread."""
        self.wait_idle(timeout)
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(
                    lambda: self._products or self._models or self._stopping)
                if self._stopping and not (self._products or self._models):
                    self._changed.notify_all()
                    return
                products, models = self._products, self._models
                self._products, self._models = set(), set()
                self._busy = True
            try:
                self.apply(products, models)
                self._merge_when_idle()
                self.last_error = None
            except Exception as exc:  # keep the ids and try again: the index must catch up
                log.exception("search indexing failed; retrying in %.0f s", RETRY_DELAY)
                self.last_error = f"{type(exc).__name__}: {exc}"
                with self._changed:
                    self._products |= products
                    self._models |= models
                time.sleep(RETRY_DELAY)
            finally:
                with self._changed:
                    self._busy = False
                    self._changed.notify_all()

    def _merge_when_idle(self) -> None:
        with self._changed:
            idle = not (self._products or self._models)
        if idle:
            self.index.merge_small_segments()

    def _catalog(self, session: Session) -> CatalogStructure:
        now = time.monotonic()
        if self._structure is None or now - self._structure_read > STRUCTURE_TTL:
            self._structure = load_structure(session)
            self._structure_read = now
        return self._structure

    def apply(self, product_ids: set[int], model_ids: set[int]) -> None:
        """Reindex the products (and the variants of the models) now, in this thread."""
        with self.sessions() as session:
            ids = set(product_ids) | variants_of(session, model_ids)
            catalog = self._catalog(session)
            ordered = sorted(ids)
            for start in range(0, len(ordered), BATCH):
                chunk = ordered[start:start + BATCH]
                documents = product_documents(session, chunk, catalog)
                present = {int(d["id"]) for d in documents}
                self.index.apply(documents, [i for i in chunk if i not in present])


def variants_of(session: Session, model_ids: set[int]) -> set[int]:
    """Return the ids of the variant products below the given product models."""
    if not model_ids:
        return set()
    models = sorted(model_ids)
    children = select(ProductModel.id).where(ProductModel.parent_id.in_(models))
    query = select(Product.id).where(
        or_(Product.parent_id.in_(models), Product.parent_id.in_(children)))
    return set(session.scalars(query))


def _primary_key(instance: Any) -> int | None:
    state = inspect(instance)
    if state.identity:
        return state.identity[0]
    return state.dict.get("id")


class Pending:
    """What a session's flushes changed, handed to the indexer when it commits."""

    def __init__(self) -> None:
        self.products: set[int] = set()
        self.models: set[int] = set()
        self.structure = False


def _pending(session: Session) -> Pending:
    pending = session.info.get(PENDING)
    if pending is None:
        pending = session.info[PENDING] = Pending()
    return pending


def note_products(session: Session, product_ids: Iterable[int]) -> None:
    """Have the products `product_ids` re-indexed when `session` commits.

    For writers that bypass the ORM unit of work (bulk inserts): the flush listener
    cannot see their rows.
    """
    if session.info.get(LISTENED):  # else nothing would ever hand the ids over
        _pending(session).products.update(product_ids)


def _collect(session: Session, _context: Any) -> None:
    pending = _pending(session)
    for instance in chain(session.new, session.dirty, session.deleted):
        if isinstance(instance, Product):
            key = _primary_key(instance)
            if key is not None:
                pending.products.add(key)
        elif isinstance(instance, ProductModel):
            key = _primary_key(instance)
            if key is not None:
                pending.models.add(key)
        elif isinstance(instance, Completeness) and instance.product_id is not None:
            pending.products.add(instance.product_id)
        elif isinstance(instance, STRUCTURE_MODELS):
            pending.structure = True


def _discard(session: Session) -> None:
    # a savepoint rolled back: keep its ids, indexing re-reads the database anyway
    if not session.in_nested_transaction():
        session.info.pop(PENDING, None)


def install_listeners(factory: Any, indexer: Indexer) -> Callable[[], None]:
    """Listen to the sessions of `factory` only; return a function that stops listening."""

    def hand_over(session: Session) -> None:
        if session.in_nested_transaction():
            return  # a savepoint was released: the data is not committed yet
        pending = session.info.pop(PENDING, None)
        if pending is None:
            return
        if pending.structure:
            indexer.structure_changed()
        if pending.products or pending.models:
            indexer.submit(pending.products, pending.models)

    listeners = [("after_flush", _collect), ("after_commit", hand_over),
                 ("after_rollback", _discard)]
    for name, listener in listeners:
        event.listen(factory, name, listener)
    info = dict(factory.kw.get("info") or {})
    factory.configure(info={**info, LISTENED: True})

    def remove() -> None:
        for name, listener in listeners:
            event.remove(factory, name, listener)
        factory.configure(info=info)

    return remove
