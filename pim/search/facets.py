"""Matches per segment, facet counts, and the first hits by score or by a field.

Each segment is evaluated on its own (documents numbered from 0 in each); results are
merged at the end, ties broken by identifier so that pages are stable.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from pim.search.engine import Evaluator, Match
from pim.search.segments import Leaf, Segments


@dataclass
class Matched:
    """One segment and what the query matched in it."""

    leaf: Leaf
    match: Match

    @property
    def count(self) -> int:
        return int(np.count_nonzero(self.match.mask))


def match(segments: Segments, searcher: Searcher, query: wq.Query) -> list[Matched]:
    """Evaluate `query` on every segment of `searcher`."""
    evaluator = Evaluator(segments, searcher)
    return [Matched(leaf, evaluator.run(query, leaf)) for leaf in segments.leaves(searcher)]


def facet_counts(segments: Segments, matched: list[Matched], fieldname: str
                 ) -> dict[str, int]:
    """Count the matched documents per value of `fieldname`, most frequent first."""
    counts: Counter[str] = Counter()
    for item in matched:
        if item.count:
            counts.update(segments.facet(item.leaf, fieldname).count(item.match.mask))
    return dict(sorted(counts.items(), key=lambda entry: (-entry[1], entry[0])))


def _first(keys: np.ndarray, ranks: np.ndarray, limit: int) -> np.ndarray:
    """Positions of the `limit` smallest keys (ties by identifier rank)."""
    if len(keys) > limit:
        cut = np.partition(keys, limit - 1)[limit - 1]
        keep = np.flatnonzero(keys <= cut)
        order = np.lexsort((ranks[keep], keys[keep]))[:limit]
        return keep[order]
    return np.lexsort((ranks, keys))[:limit]


def top_hits(segments: Segments, matched: list[Matched], field: str | None,
             descending: bool, limit: int) -> list[tuple[int, float | None]]:
    """Return (global document number, score) of the first `limit` matches.

    `field` None orders by score (highest first); otherwise by the field's column.
    """
    candidates: list[tuple[Any, str, int, float | None]] = []
    for item in matched:
        docs = np.flatnonzero(item.match.mask)
        if not len(docs):
            continue
        ranks = segments.identifier_rank(item.leaf)[docs]
        scores = item.match.scores()[docs] if field is None else None
        keys = _keys(segments, item.leaf, docs, ranks, scores, field, descending)
        identifiers = segments.column(item.leaf, "identifier")
        for position in _first(keys, ranks, limit):
            doc = int(docs[position])
            score = float(scores[position]) if scores is not None else None
            candidates.append((keys[position].item(), identifiers[doc], item.leaf.offset + doc,
                               score))
    if field == "identifier":
        candidates.sort(key=lambda c: c[1], reverse=descending)
    else:
        candidates.sort(key=lambda c: (c[0], c[1]))
    return [(docnum, score) for _, _, docnum, score in candidates[:limit]]


def _keys(segments: Segments, leaf: Leaf, docs: np.ndarray, ranks: np.ndarray,
          scores: np.ndarray | None, field: str | None, descending: bool) -> np.ndarray:
    if field is None:
        return -scores.astype(np.float64)
    if field == "identifier":
        return -ranks if descending else ranks
    values = segments.column(leaf, field)[docs].astype(np.float64)
    return -values if descending else values
