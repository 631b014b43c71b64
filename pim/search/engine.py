"""Run a parsed Whoosh query over cached segment arrays: matches and BM25F scores.

The query tree comes from Whoosh's parser and means what it means to Whoosh; only the
evaluation is vectorized: a term is a cached posting list, AND/OR/NOT are boolean array
operations, ranges on sortable fields compare column arrays, and scores follow Whoosh's
BM25F (B=0.75, K1=1.2, Whoosh's idf). Phrases and rare query types fall back to
Whoosh's own matchers for their segment.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import log
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.fields import DATETIME, NUMERIC

from pim.search.segments import Leaf, Segments

B, K1 = 0.75, 1.2
# a prefix or wildcard expanding to more terms than this is matched by Whoosh itself
MAX_EXPANSION = 2000


@dataclass
class Match:
    """The documents of one segment a (sub)query matches, and their scores."""

    mask: np.ndarray
    score: np.ndarray | None = None

    def scores(self) -> np.ndarray:
        return self.score if self.score is not None else np.zeros(len(self.mask), np.float32)


class Stats:
    """Index-wide figures BM25F needs, kept for one generation of the index."""

    def __init__(self, searcher: Any) -> None:
        self.generation = searcher.reader().generation()
        self.total = max(searcher.doc_count_all(), 1)
        self._searcher = searcher
        self._idf: dict[tuple[str, bytes], float] = {}
        self._avg: dict[str, float] = {}

    def use(self, searcher: Any) -> None:
        """Read missing figures through `searcher` (of the same generation) from now on."""
        self._searcher = searcher

    def idf(self, fieldname: str, term: bytes) -> float:
        key = (fieldname, term)
        found = self._idf.get(key)
        if found is None:
            frequency = self._searcher.doc_frequency(fieldname, term)
            found = self._idf[key] = log(self.total / (frequency + 1)) + 1
        return found

    def avg_length(self, fieldname: str) -> float:
        found = self._avg.get(fieldname)
        if found is None:
            found = self._avg[fieldname] = self._searcher.avg_field_length(fieldname) or 1.0
        return found


class Evaluator:
    """Evaluate query trees segment by segment."""

    def __init__(self, segments: Segments, searcher: Any) -> None:
        self.segments = segments
        self.schema = searcher.schema
        self.stats = segments.stats(searcher, Stats)

    def run(self, query: wq.Query, leaf: Leaf) -> Match:
        """Return the live documents of `leaf` that `query` matches, with scores."""
        found = self._eval(query, leaf)
        return Match(found.mask & leaf.live, found.score)

    def _eval(self, query: wq.Query, leaf: Leaf) -> Match:
        handler = _HANDLERS.get(type(query))
        if handler is None:
            for kind, candidate in _HANDLERS.items():
                if isinstance(query, kind):
                    handler = candidate
                    break
        return handler(self, query, leaf) if handler else self._fallback(query, leaf)

    def _empty(self, leaf: Leaf) -> Match:
        return Match(np.zeros(leaf.data.size, dtype=bool))

    def _term(self, query: wq.Term, leaf: Leaf) -> Match:
        found = Match(np.zeros(leaf.data.size, dtype=bool),
                      np.zeros(leaf.data.size, dtype=np.float32))
        self._add_term(query, leaf, found)
        return found

    def _add_term(self, query: wq.Term, leaf: Leaf, into: Match) -> None:
        """Mark the term's documents in `into` and add their scores to it."""
        fieldname = query.fieldname
        if fieldname not in self.schema:
            return
        fieldobj = self.schema[fieldname]
        term = query.text if isinstance(query.text, bytes) else fieldobj.to_bytes(query.text)
        self._add_postings(fieldname, term, leaf, query.boost, into)

    def _add_postings(self, fieldname: str, term: bytes, leaf: Leaf, boost: float,
                      into: Match) -> None:
        ids, weights = self.segments.postings(leaf, fieldname, term)
        if not len(ids):
            return
        into.mask[ids] = True
        if into.score is None:
            return
        if self.schema[fieldname].scorable:
            lengths = self.segments.lengths(leaf, fieldname)[ids]
            norm = K1 * ((1 - B) + B * lengths / self.stats.avg_length(fieldname))
            idf = self.stats.idf(fieldname, term)
            into.score[ids] += boost * idf * (weights * (K1 + 1)) / (weights + norm)
        else:
            into.score[ids] += boost * weights

    def _and(self, query: wq.And, leaf: Leaf) -> Match:
        mask = np.ones(leaf.data.size, dtype=bool)
        score = None
        for child in query.subqueries:
            found = self._eval(child, leaf)
            mask &= found.mask
            if found.score is not None:
                score = found.score if score is None else score + found.score
        return Match(mask, _scaled(score, query.boost))

    def _or(self, query: wq.Or, leaf: Leaf) -> Match:
        found = Match(np.zeros(leaf.data.size, dtype=bool),
                      np.zeros(leaf.data.size, dtype=np.float32))
        for child in query.subqueries:
            if type(child) is wq.Term:  # the common case: one word over several fields
                self._add_term(child, leaf, found)
                continue
            other = self._eval(child, leaf)
            found.mask |= other.mask
            if other.score is not None:
                found.score += other.score
        return Match(found.mask, _scaled(found.score, query.boost))

    def _not(self, query: wq.Not, leaf: Leaf) -> Match:
        mask = ~self._eval(query.query, leaf).mask
        # Whoosh's inverse matcher scores its boost for each document it lets through
        return Match(mask, np.where(mask, np.float32(query.boost), 0))

    def _and_not(self, query: wq.AndNot, leaf: Leaf) -> Match:
        found = self._eval(query.a, leaf)
        return Match(found.mask & ~self._eval(query.b, leaf).mask, found.score)

    def _and_maybe(self, query: wq.AndMaybe, leaf: Leaf) -> Match:
        found, maybe = self._eval(query.a, leaf), self._eval(query.b, leaf)
        if maybe.score is None:
            return found
        return Match(found.mask, found.scores() + np.where(found.mask, maybe.score, 0))

    def _every(self, query: wq.Every, leaf: Leaf) -> Match:
        if query.fieldname not in (None, "*"):  # every document holding that field
            mask = self._fallback(query, leaf).mask
        else:
            mask = np.ones(leaf.data.size, dtype=bool)
        return Match(mask, np.where(mask, np.float32(query.boost), 0))

    def _null(self, query: wq.Query, leaf: Leaf) -> Match:
        return self._empty(leaf)

    def _constant(self, query: wq.ConstantScoreQuery, leaf: Leaf) -> Match:
        found = self._eval(query.child, leaf)
        return Match(found.mask, np.where(found.mask, np.float32(query.score), 0))

    def _multi_term(self, query: wq.MultiTerm, leaf: Leaf) -> Match:
        terms = []
        for term in query._btexts(leaf.reader):
            terms.append(term)
            if len(terms) > MAX_EXPANSION:
                return self._fallback(query, leaf)
        found = Match(np.zeros(leaf.data.size, dtype=bool),
                      np.zeros(leaf.data.size, dtype=np.float32))
        # as in Whoosh: a single expansion is a plain term, without the query's boost
        boost = query.boost if len(terms) > 1 else 1.0
        for term in terms:
            self._add_postings(query.field(), term, leaf, boost, found)
        return found

    def _range(self, query: wq.NumericRange, leaf: Leaf) -> Match:
        fieldname = query.fieldname
        fieldobj = self.schema[fieldname] if fieldname in self.schema else None
        if not isinstance(fieldobj, NUMERIC) or not fieldobj.column_type:
            return self._fallback(query, leaf)
        values = self.segments.column(leaf, fieldname)
        mask = self.segments.lengths(leaf, fieldname) > 0
        low, high = _column_bound(fieldobj, query.start), _column_bound(fieldobj, query.end)
        if low is not None:
            mask &= (values > low) if query.startexcl else (values >= low)
        if high is not None:
            mask &= (values < high) if query.endexcl else (values <= high)
        return Match(mask, np.where(mask, np.float32(query.boost), 0))

    def _fallback(self, query: wq.Query, leaf: Leaf) -> Match:
        """Let Whoosh match what this module does not vectorize (phrases, spans, ...)."""
        mask = np.zeros(leaf.data.size, dtype=bool)
        docs = np.fromiter(query.docs(leaf.searcher), dtype=np.int64)
        mask[docs] = True
        words = _word_terms(query)
        if not words:
            return Match(mask)
        found = Match(np.zeros(leaf.data.size, dtype=bool),
                      np.zeros(leaf.data.size, dtype=np.float32))
        for word in words:
            self._add_term(word, leaf, found)
        return Match(mask, np.where(mask, found.score, 0))


def _scaled(score: np.ndarray | None, boost: float) -> np.ndarray | None:
    return score if score is None or boost == 1.0 else score * np.float32(boost)


def _column_bound(fieldobj: Any, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(fieldobj, DATETIME):
        return int(value)  # the parser gives DATETIME ranges as the column's integers
    return int(fieldobj.to_column_value(value))


def _word_terms(query: wq.Query) -> list[wq.Term]:
    if isinstance(query, wq.Phrase):
        return [wq.Term(query.fieldname, word, boost=query.boost) for word in query.words]
    return []


_HANDLERS: dict[type, Any] = {
    wq.Term: Evaluator._term,
    wq.And: Evaluator._and,
    wq.Or: Evaluator._or,
    wq.Not: Evaluator._not,
    wq.AndNot: Evaluator._and_not,
    wq.AndMaybe: Evaluator._and_maybe,
    wq.Every: Evaluator._every,
    wq.NullQuery.__class__: Evaluator._null,
    wq.ConstantScoreQuery: Evaluator._constant,
    wq.NumericRange: Evaluator._range,
    wq.Prefix: Evaluator._multi_term,
    wq.Wildcard: Evaluator._multi_term,
    wq.TermRange: Evaluator._multi_term,
    wq.MultiTerm: Evaluator._multi_term,
}
