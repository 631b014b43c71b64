"""Bulk reads from one Whoosh segment into numpy arrays.

Whoosh's public readers hand out one posting or one column value per Python call, which
costs microseconds per document; searches over a large catalog read whole posting lists
and columns instead. The block-level reads below use Whoosh 2.7's segment internals
(kept in this one module) and fall back to the public per-document API elsewhere.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.util.numeric import byte_to_length

_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)
EMPTY_IDS = np.zeros(0, dtype=np.int32)
EMPTY_WEIGHTS = np.zeros(0, dtype=np.float32)


def _leaf_matcher(reader: Any, field: str, term: bytes) -> Any:
    matcher = reader.postings(field, term)
    # deletions are applied by the caller's live mask, so read the raw posting list
    return getattr(matcher, "child", matcher)


def read_postings(reader: Any, field: str, term: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Return the document numbers and weights (term frequency x boost) of one term."""
    if (field, term) not in reader:
        return EMPTY_IDS, EMPTY_WEIGHTS
    matcher = _leaf_matcher(reader, field, term)
    if not all(hasattr(matcher, name) for name in ("_read_ids", "_read_weights", "_next_block")):
        return _read_slowly(matcher)
    ids: list[Any] = []
    weights: list[Any] = []
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        ids.append(np.asarray(matcher._ids, dtype=np.int32))
        weights.append(np.asarray(matcher._weights, dtype=np.float32))
        matcher._next_block()
    if not ids:
        return EMPTY_IDS, EMPTY_WEIGHTS
    return np.concatenate(ids), np.concatenate(weights)


def _read_slowly(matcher: Any) -> tuple[np.ndarray, np.ndarray]:
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.array(ids, dtype=np.int32), np.array(weights, dtype=np.float32)


def read_lengths(reader: Any, field: str) -> np.ndarray:
    """Return the length of `field` in every document of the segment (0 where absent)."""
    size = reader.doc_count_all()
    perdoc = getattr(reader, "_perdoc", None)
    name = f"_{field}_len"
    if perdoc is None or not hasattr(perdoc, "column_reader"):
        return np.array([reader.doc_field_length(d, field, 0) for d in range(size)],
                        dtype=np.float32)
    if not perdoc.has_column(name):
        return np.zeros(size, dtype=np.float32)
    column = perdoc.column_reader(name, LENGTHS_COLUMN)
    codes = np.fromiter(column, dtype=np.uint8, count=-1)[:size]
    lengths = np.zeros(size, dtype=np.float32)
    lengths[:len(codes)] = _LENGTHS[codes]
    return lengths


def read_column(reader: Any, field: str) -> np.ndarray:
    """Return the raw sortable values of a column field for every document."""
    size = reader.doc_count_all()
    values = list(reader.column_reader(field, translate=False))[:size]
    if values and isinstance(values[0], bytes | str):
        return np.array([v.decode("utf-8") if isinstance(v, bytes) else v for v in values],
                        dtype=object)
    return np.array(values, dtype=np.int64)


def live_mask(reader: Any) -> np.ndarray:
    """Return True for every document of the segment that is not deleted."""
    mask = np.ones(reader.doc_count_all(), dtype=bool)
    if reader.has_deletions():
        deleted = getattr(reader, "deleted_docs_set", None)
        if deleted is None:
            deleted = [d for d in range(len(mask)) if reader.is_deleted(d)]
        mask[np.fromiter(deleted, dtype=np.int64)] = False
    return mask
