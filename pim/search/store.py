"""The index folder: opening it, one writer at a time, and a pool of searchers."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session
from whoosh import index as whoosh_index
from whoosh.fields import Schema
from whoosh.searching import Searcher
from whoosh.writing import CLEAR, LockError, SegmentWriter

from pim.errors import StorageError
from pim.search.schema import product_schema
from pim.search.segments import Segments

# Bump when the schema or an analyzer changes: a new name starts an empty index to rebuild.
INDEX_NAME = "products_v1"
WRITE_TIMEOUT = 120.0
POOL_SIZE = 8
MERGE_ABOVE = 6


class SearchUnavailable(StorageError):
    """The search index cannot be used (locked for too long, or unreadable)."""

    code = "search_unavailable"


class SearchIndex:
    """The product index in one folder, shared by the threads of a process."""

    def __init__(self, path: str | Path, sessions: Callable[[], Session] | None = None) -> None:
        self.path = Path(path)
        self.sessions = sessions
        self.indexer: Any = None  # the background indexer, when one runs (pim.search.sync)
        self.segments = Segments()
        self._ix: Any = None
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._idle: list[Searcher] = []

    @property
    def ix(self) -> Any:
        """Return the Whoosh index, creating an empty one on first use."""
        with self._lock:
            if self._ix is None:
                self.path.mkdir(parents=True, exist_ok=True)
                if whoosh_index.exists_in(self.path, INDEX_NAME):
                    self._ix = whoosh_index.open_dir(self.path, INDEX_NAME)
                else:
                    self._ix = whoosh_index.create_in(self.path, product_schema(), INDEX_NAME)
            return self._ix

    @contextmanager
    def searcher(self) -> Iterator[Searcher]:
        """Lend an up-to-date searcher of the latest committed index state."""
        ix = self.ix
        with self._lock:
            searcher = self._idle.pop() if self._idle else None
        if searcher is not None and not searcher.up_to_date():
            # never Searcher.refresh(): it reuses segment readers that miss new deletions
            searcher.close()
            searcher = None
        searcher = searcher or ix.searcher()
        try:
            yield searcher
        finally:
            with self._lock:
                if len(self._idle) >= POOL_SIZE:
                    searcher.close()
                else:
                    self._idle.append(searcher)

    def _open_writer(self, **kwargs: Any) -> SegmentWriter:
        try:
            return self.ix.writer(timeout=WRITE_TIMEOUT, delay=0.05, **kwargs)
        except LockError:
            raise SearchUnavailable(
                f"the search index at {self.path} stayed locked by another writer for "
                f"{WRITE_TIMEOUT:.0f} s") from None

    @contextmanager
    def writer(self, *, procs: int = 1, clear: bool = False, merge: bool = True,
               **kwargs: Any) -> Iterator[SegmentWriter]:
        """Open the index's only writer (waiting for other processes), commit on success."""
        with self._write_lock:
            writer = self._open_writer(procs=procs, **kwargs)
            try:
                yield writer
            except BaseException:
                writer.cancel()
                raise
            if clear:
                writer.commit(mergetype=CLEAR)
            else:
                writer.commit(merge=merge)

    def replace_segments(self, build: Callable[[Any, str, Schema], list[Any]]) -> None:
        """Make the segments `build(storage, indexname, schema)` writes the whole index.

        The writer lock is held while they are built; searches see the old segments until
        the new list is committed.
        """
        with self._write_lock:
            writer = self._open_writer()
            try:
                segments = build(writer.storage, INDEX_NAME, writer.schema)
            except BaseException:
                writer.cancel()
                raise
            writer.commit(mergetype=lambda _writer, _old: list(segments))

    def apply(self, documents: Iterable[dict[str, Any]], removed_ids: Iterable[int]) -> int:
        """Write `documents` (replacing their old versions) and remove `removed_ids`.

        The commit adds a segment without merging (a merge can take a second or more):
        `merge_small_segments` merges when the writer has nothing else to do.
        """
        written = 0
        with self.writer(merge=False) as writer:
            for product_id in removed_ids:
                writer.delete_by_term("id", str(product_id))
            for document in documents:
                writer.update_document(**document)
                written += 1
        return written

    def merge_small_segments(self) -> bool:
        """Merge small segments once there are MERGE_ABOVE or more; return whether it did."""
        if self.segment_count() < MERGE_ABOVE:
            return False
        with self.writer(merge=True):
            pass
        return True

    def segment_count(self) -> int:
        """Return how many segments the index has."""
        with self.searcher() as searcher:
            return len(searcher.leaf_searchers())

    def doc_count(self) -> int:
        """Return how many products the index holds."""
        with self.searcher() as searcher:
            return searcher.doc_count()

    def close(self) -> None:
        """Close pooled searchers; the index can still be reopened later."""
        with self._lock:
            for searcher in self._idle:
                searcher.close()
            self._idle.clear()
            self._ix = None
