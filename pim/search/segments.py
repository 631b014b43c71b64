"""Arrays read once per index segment and kept while the segment lives.

A committed segment never changes (only its deletions grow), so its posting lists, field
lengths, sort columns and facet tables can be kept in memory between searches; a commit
adds a small segment and a merge replaces a few, so most of the cache survives writes.
Posting lists are kept within a budget, least recently used first out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from whoosh.fields import BOOLEAN
from whoosh.searching import Searcher

from pim.search.postings import live_mask, read_column, read_lengths, read_postings

POSTINGS_BUDGET = 16_000_000  # postings held in memory, 8 bytes each


@dataclass
class FacetTable:
    """The values of one facet field in a segment and the documents holding each."""

    values: list[str]
    codes: np.ndarray | None = None  # value number per document (-1: none), single-valued
    docs: np.ndarray | None = None  # multi-valued: the documents of each value in turn ...
    starts: np.ndarray | None = None  # ... each value's first position in `docs`

    def count(self, mask: np.ndarray) -> dict[str, int]:
        """Count the documents of `mask` per value."""
        if self.codes is not None:
            chosen = self.codes[mask]
            counts = np.bincount(chosen[chosen >= 0], minlength=len(self.values))
        elif self.docs is not None and len(self.docs):
            counts = np.add.reduceat(mask[self.docs], self.starts, dtype=np.int64)
        else:
            return {}
        return {value: int(n) for value, n in zip(self.values, counts, strict=True) if n}


@dataclass
class SegmentData:
    """Everything cached for one segment, but its posting lists."""

    size: int
    lengths: dict[str, np.ndarray] = field(default_factory=dict)
    columns: dict[str, np.ndarray] = field(default_factory=dict)
    facets: dict[str, FacetTable] = field(default_factory=dict)
    live: tuple[int, np.ndarray | None] = (-1, None)


@dataclass
class Leaf:
    """One segment as a search sees it: its searcher, first global number, live documents."""

    searcher: Searcher
    offset: int
    key: str
    data: SegmentData
    live: np.ndarray

    @property
    def reader(self) -> Any:
        return self.searcher.reader()


class Segments:
    """The cache of one index, shared by every search of the process."""

    def __init__(self, budget: int = POSTINGS_BUDGET) -> None:
        self.budget = budget
        self._lock = threading.Lock()
        self._data: dict[str, SegmentData] = {}
        self._postings: OrderedDict[tuple[str, str, bytes], tuple[np.ndarray, np.ndarray]] = (
            OrderedDict())
        self._held = 0
        self._known: frozenset[str] = frozenset()
        self._stats: Any = None

    def stats(self, searcher: Searcher, make: Any) -> Any:
        """Return the index-wide statistics of the searcher's generation (made by `make`)."""
        found = self._stats
        if found is None or found.generation != searcher.reader().generation():
            found = self._stats = make(searcher)
        found.use(searcher)
        return found

    def leaves(self, searcher: Searcher) -> list[Leaf]:
        """Return the non-empty segments of `searcher`, forgetting segments merged away."""
        leaves = []
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            size = reader.doc_count_all()
            if size == 0 or not hasattr(reader, "segment"):
                continue
            key = reader.segment().segment_id()
            with self._lock:
                data = self._data.setdefault(key, SegmentData(size))
            leaves.append(Leaf(sub, offset, key, data, self._live(reader, data)))
        self._forget({leaf.key for leaf in leaves})
        return leaves

    def _live(self, reader: Any, data: SegmentData) -> np.ndarray:
        deleted = reader.segment().deleted_count()
        count, mask = data.live
        if mask is None or count != deleted:
            mask = live_mask(reader)
            data.live = (deleted, mask)
        return mask

    def _forget(self, live: set[str]) -> None:
        if live == self._known:
            return
        self._known = frozenset(live)
        with self._lock:
            for key in [k for k in self._data if k not in live]:
                del self._data[key]
            for key in [k for k in self._postings if k[0] not in live]:
                ids, _weights = self._postings.pop(key)
                self._held -= len(ids)

    def postings(self, leaf: Leaf, fieldname: str, term: bytes) -> tuple[np.ndarray, np.ndarray]:
        """Return the documents and weights of a term in one segment."""
        key = (leaf.key, fieldname, term)
        with self._lock:
            found = self._postings.get(key)
            if found is not None:
                self._postings.move_to_end(key)
                return found
        found = read_postings(leaf.reader, fieldname, term)
        with self._lock:
            if key not in self._postings:
                self._postings[key] = found
                self._held += len(found[0])
            while self._held > self.budget and len(self._postings) > 1:
                _key, (ids, _weights) = self._postings.popitem(last=False)
                self._held -= len(ids)
        return found

    def lengths(self, leaf: Leaf, fieldname: str) -> np.ndarray:
        """Return the field's length per document (0 where the document lacks the field)."""
        found = leaf.data.lengths.get(fieldname)
        if found is None:
            found = leaf.data.lengths[fieldname] = read_lengths(leaf.reader, fieldname)
        return found

    def column(self, leaf: Leaf, fieldname: str) -> np.ndarray:
        """Return the raw sort values of a column field per document."""
        found = leaf.data.columns.get(fieldname)
        if found is None:
            if fieldname in leaf.reader.schema and leaf.reader.has_column(fieldname):
                found = read_column(leaf.reader, fieldname)
            else:
                found = np.zeros(leaf.data.size, dtype=np.int64)
            leaf.data.columns[fieldname] = found
        return found

    def identifier_rank(self, leaf: Leaf) -> np.ndarray:
        """Return each document's place in the segment's identifier order."""
        found = leaf.data.columns.get("#identifier_rank")
        if found is None:
            order = np.argsort(self.column(leaf, "identifier"), kind="stable")
            found = np.empty(len(order), dtype=np.int64)
            found[order] = np.arange(len(order))
            leaf.data.columns["#identifier_rank"] = found
        return found

    def facet(self, leaf: Leaf, fieldname: str) -> FacetTable:
        """Return the facet table of a field in one segment."""
        found = leaf.data.facets.get(fieldname)
        if found is None:
            found = leaf.data.facets[fieldname] = self._facet_table(leaf, fieldname)
        return found

    def _facet_table(self, leaf: Leaf, fieldname: str) -> FacetTable:
        reader = leaf.reader
        if fieldname not in reader.indexed_field_names():
            return FacetTable([])
        boolean = isinstance(reader.schema[fieldname], BOOLEAN)
        values, lists = [], []
        for term in reader.lexicon(fieldname):
            label = term.decode("utf-8") if isinstance(term, bytes) else str(term)
            values.append(("true" if label == "t" else "false") if boolean else label)
            lists.append(read_postings(reader, fieldname, reader.schema[fieldname].to_bytes(
                term) if not isinstance(term, bytes) else term)[0])
        if not lists:
            return FacetTable([])
        docs = np.concatenate(lists)
        if len(docs) != len(np.unique(docs)):
            starts = np.cumsum([0] + [len(ids) for ids in lists[:-1]])
            return FacetTable(values, docs=docs, starts=starts)
        codes = np.full(leaf.data.size, -1, dtype=np.int32)
        for number, ids in enumerate(lists):
            codes[ids] = number
        return FacetTable(values, codes=codes)
