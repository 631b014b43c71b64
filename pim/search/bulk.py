"""Write whole index segments from documents, without Whoosh's per-posting writer pipeline.

Whoosh's `SegmentWriter` pickles every posting to a temporary pool, sorts the pool on disk,
reads each posting back, looks its field length up in a column and buffers it one call at
a time: tens of microseconds per posting, over a hundred postings per product. A full
rebuild needs none of that. `SegmentBuilder` appends each value's term numbers to flat
arrays (a few calls per value, whatever its number of words), sorts them by term once per
field with numpy, and writes the posting lists a term at a time (`pim.search.postwriter`).
The segments decode to the same postings, lengths, columns and stored fields as those
Whoosh's writer makes from the same documents.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from whoosh.codec import default_codec
from whoosh.fields import FieldType, Schema
from whoosh.formats import Existence, Frequency, Positions
from whoosh.util.numeric import length_to_byte

from pim.search.postwriter import (
    PostingLists,
    column_writer,
    discard_columns,
    store_fields_uncompressed,
    write_lengths,
    write_postings,
)
from pim.search.terms import VALUE_CACHE, WORD_CACHE, TermMaker, WordTerms, frequency_value

# documents per segment: what one segment's postings cost in memory while it is built
SEGMENT_DOCS = 100_000
# the term number of a word a stop filter drops
STOP = -1


class _FieldPostings:
    """The term numbers one field gathers while a segment is built, in flat arrays.

    A word field keeps one entry per token (term number and position) and makes the
    postings when the segment is written; another field keeps its values' postings.
    """

    def __init__(self, fieldname: str, field: FieldType, terms: TermMaker) -> None:
        self.fieldname = fieldname
        self.field = field
        self.maker = terms
        self.words = terms.word_terms(fieldname, field)
        self.whole = terms.whole_value_term(field)
        self.numbers: dict[bytes, int] = {}
        self._word_numbers: dict[str, int] = {}
        self._values: dict[Any, tuple[array, array, list[bytes], int]] = {}
        self.terms = array("I")  # a term number per token (word fields) or per posting
        self.positions = array("I")  # word fields: each token's position
        self.weights = array("f")  # other fields: each posting's weight
        self.values: list[bytes] = []  # other fields: each posting's encoded value
        self.docs = array("I")  # per value added: its document,
        self.counts = array("I")  # how many entries it added,
        self.lengths = array("I")  # and the field length it gives its document

    def add(self, docnum: int, value: Any) -> None:
        if self.words is not None:
            if not isinstance(value, str):
                # its postings would lack the positions a word field's are made from
                raise TypeError(f"field {self.fieldname!r} takes text, not {value!r}")
            self._add_words(docnum, value)
        elif self.whole is not None and isinstance(value, str):
            # one term per value (identifiers): nothing worth remembering
            self.terms.append(self._number(self.whole(value)))
            self.weights.append(self.field.format.field_boost)
            self._added(docnum, 1, 1)
        else:
            self._add_value(docnum, value)

    def _number(self, term: bytes) -> int:
        return self.numbers.setdefault(term, len(self.numbers))

    def _word_number(self, word: str) -> int:
        found = self._word_numbers.get(word)
        if found is None:
            term = self.words.term(word)  # type: ignore[union-attr]
            found = STOP if term is None else self._number(term)
            if len(self._word_numbers) >= WORD_CACHE:
                self._word_numbers.clear()
            self._word_numbers[word] = found
        return found

    def _add_words(self, docnum: int, text: str) -> None:
        words = self.words.words(text)  # type: ignore[union-attr]
        try:
            numbers = list(map(self._word_numbers.__getitem__, words))
        except KeyError:
            numbers = [self._word_number(word) for word in words]
        places: Iterable[int]
        if STOP in numbers:
            places = [pos for pos, number in enumerate(numbers) if number != STOP]
            if self.words.renumber and places:  # type: ignore[union-attr]
                # stop words leave no gap after the first kept word
                places = range(places[0], places[0] + len(places))
            numbers = [number for number in numbers if number != STOP]
        else:
            places = range(len(numbers))
        if not numbers:
            return
        self.terms.extend(numbers)
        self.positions.extend(places)
        self._added(docnum, len(numbers),
                    len(set(numbers)) if self.words.kind is Existence else len(numbers))  # type: ignore[union-attr]

    def _add_value(self, docnum: int, value: Any) -> None:
        try:
            found = self._values.get(value)
        except TypeError:  # an unhashable value
            found = self._postings_of(value)
        if found is None:
            found = self._postings_of(value)
            if len(self._values) >= VALUE_CACHE:
                self._values.clear()
            self._values[value] = found
        numbers, weights, values, length = found
        if not numbers:
            return
        self.terms.extend(numbers)
        self.weights.extend(weights)
        self.values.extend(values)
        self._added(docnum, len(numbers), length)

    def _postings_of(self, value: Any) -> tuple[array, array, list[bytes], int]:
        items, length = self.maker.postings(self.fieldname, self.field, value)
        values = [vbytes for _, _, _, vbytes in items if vbytes]
        if values and len(values) != len(items):
            raise ValueError(f"field {self.fieldname!r} gave some postings no value")
        return (array("I", [self._number(btext) for btext, _, _, _ in items]),
                array("f", [weight for _, _, weight, _ in items]), values, length)

    def _added(self, docnum: int, count: int, length: int) -> None:
        self.docs.append(docnum)
        self.counts.append(count)
        self.lengths.append(length if self.field.scorable else 0)

    def length_bytes(self) -> np.ndarray:
        """Return the length byte of each value added (0 for none)."""
        lengths = np.frombuffer(self.lengths, dtype=np.uint32)
        distinct, where = np.unique(lengths, return_inverse=True)
        table = np.array([length_to_byte(int(n)) if n else 0 for n in distinct], dtype=np.uint8)
        return table[where]

    def posting_lists(self, doc_length_bytes: np.ndarray) -> PostingLists:
        """Group the entries into postings by term, documents ascending in each term."""
        terms = sorted(self.numbers)
        rank = np.empty(len(terms), dtype=np.int64)
        rank[np.array([self.numbers[t] for t in terms], dtype=np.int64)] = np.arange(len(terms))
        keys = rank[np.frombuffer(self.terms, dtype=np.uint32)]
        docs = np.repeat(np.frombuffer(self.docs, dtype=np.uint32),
                         np.frombuffer(self.counts, dtype=np.uint32))
        order = np.argsort(keys, kind="stable")
        keys, docs = keys[order], docs[order]
        if self.words is not None:
            keys, docs, weights, values = self._word_postings(keys, docs, order)
        else:
            weights = np.frombuffer(self.weights, dtype=np.float32)[order]
            values = list(map(self.values.__getitem__, order.tolist())) if self.values else None
        starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        docs64 = docs.astype(np.int64)
        return PostingLists(
            terms=terms, starts=[*starts.tolist(), len(keys)], docs=docs64.tolist(),
            gaps=np.diff(docs64, prepend=0).tolist(), weights=weights.tolist(), values=values,
            length_bytes=(doc_length_bytes[docs].tolist() if self.field.scorable else None))

    def _word_postings(self, keys: np.ndarray, docs: np.ndarray, order: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[bytes] | None]:
        words: WordTerms = self.words  # type: ignore[assignment]
        positions = np.frombuffer(self.positions, dtype=np.uint32)[order]
        new = np.ones(len(keys), dtype=bool)
        new[1:] = (keys[1:] != keys[:-1]) | (docs[1:] != docs[:-1])
        first = np.flatnonzero(new)
        freqs = np.diff(np.append(first, len(keys)))
        if words.kind is Existence:
            weights = np.full(len(first), words.boost, dtype=np.float32)
        else:
            weights = (freqs.astype(np.float64) * words.boost).astype(np.float32)
        values: list[bytes] | None = None
        if words.kind is Positions:
            at = positions[first].tolist()
            values = list(map(words.single_values(max(at, default=0)).__getitem__, at))
            for index in np.flatnonzero(freqs > 1).tolist():
                start = first[index]
                values[index] = words.positions_value(
                    positions[start:start + freqs[index]].tolist())
        elif words.kind is Frequency:
            encoded = [frequency_value(n) for n in range(int(freqs.max(initial=0)) + 1)]
            values = list(map(encoded.__getitem__, freqs.tolist()))
        return keys[first], docs[first], weights, values


class _Slot:
    """What a segment writes for one field of each document."""

    __slots__ = ("_column_values", "column", "field", "postings", "stored")

    def __init__(self, field: FieldType, postings: _FieldPostings | None, column: Any) -> None:
        self.field = field
        self.postings = postings
        self.stored = field.stored
        self.column = column
        self._column_values: dict[Any, Any] = {}

    def column_value(self, value: Any) -> Any:
        """Return the column form of a value; dates and numbers repeat, so remember them."""
        if isinstance(value, str):
            return self.field.to_column_value(value)
        try:
            found = self._column_values.get(value)
        except TypeError:  # an unhashable value
            return self.field.to_column_value(value)
        if found is None:
            if len(self._column_values) >= VALUE_CACHE:
                self._column_values.clear()
            found = self._column_values[value] = self.field.to_column_value(value)
        return found


class _OwnTemporaryFiles:
    """An index storage whose temporary files go to a folder of one builder's own.

    Whoosh's per-document writer keeps its temporary files in a folder named after the
    index, which the builders of other processes would share and remove under it.
    """

    def __init__(self, storage: Any, name: str) -> None:
        self._storage = storage
        self._name = name
        self.temporary: Any = None

    def temp_storage(self, name: str | None = None) -> Any:
        self.temporary = self._storage.temp_storage(self._name)
        return self.temporary

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._storage, attribute)


class SegmentBuilder:
    """Build one new segment of an index folder from documents given in docnum order."""

    def __init__(self, storage: Any, indexname: str, schema: Schema,
                 terms: TermMaker | None = None) -> None:
        self.storage = storage
        self.schema = schema
        # blocks are stored uncompressed (each block says so): compressing thousands of
        # tiny blocks costs more time than the few bytes it saves
        self.codec = default_codec(compression=0)
        self.segment = self.codec.new_segment(storage, indexname)
        self._files = _OwnTemporaryFiles(storage, f"{self.segment.segment_id()}.tmp")
        self.perdoc = self.codec.per_document_writer(self._files, self.segment)
        store_fields_uncompressed(self.perdoc)
        self.terms = terms or TermMaker()
        self.count = 0
        self._slots: dict[str, _Slot] = {}

    def _slot(self, fieldname: str) -> _Slot:
        if fieldname not in self.schema:
            raise ValueError(f"no field named {fieldname!r} in the index schema")
        field = self.schema[fieldname]
        postings = _FieldPostings(fieldname, field, self.terms) if field.indexed else None
        column = (column_writer(self.perdoc, fieldname, field.column_type)
                  if field.column_type else None)
        slot = self._slots[fieldname] = _Slot(field, postings, column)
        return slot

    def add(self, document: dict[str, Any]) -> None:
        """Add one document (the keyword arguments `add_document` would get)."""
        docnum = self.count
        perdoc = self.perdoc
        slots = self._slots
        perdoc.start_doc(docnum)
        for fieldname in sorted(document):
            value = document[fieldname]
            if value is None or fieldname.startswith("_"):
                continue
            slot = slots.get(fieldname) or self._slot(fieldname)
            if slot.postings is not None:
                slot.postings.add(docnum, value)
            if slot.stored:
                perdoc.add_field(fieldname, slot.field, value, 0)
            if slot.column is not None:
                slot.column.add(docnum, slot.column_value(value))
        perdoc.finish_doc()
        self.count += 1

    def cancel(self) -> None:
        """Drop what was gathered and the temporary files; the segment is never written."""
        discard_columns(self.perdoc)
        if self._files.temporary is not None:
            self._files.temporary.destroy()
        self._slots.clear()

    def finish(self) -> Any:
        """Write the posting lists and columns; return the finished segment."""
        fields = {name: slot.postings for name, slot in sorted(self._slots.items())
                  if slot.postings is not None and slot.postings.numbers}
        doc_lengths = {}
        for fieldname, postings in fields.items():
            lengths = doc_lengths[fieldname] = np.zeros(self.count, dtype=np.uint8)
            lengths[np.frombuffer(postings.docs, dtype=np.uint32)] = postings.length_bytes()
            total = sum(postings.lengths)
            if total:
                write_lengths(self.perdoc, fieldname, lengths, total)
        self.perdoc.close()
        if self._files.temporary is not None:
            self._files.temporary.destroy()
        fieldwriter = self.codec.field_writer(self.storage, self.segment)
        for fieldname, postings in fields.items():
            lists = postings.posting_lists(doc_lengths.pop(fieldname))
            write_postings(fieldwriter, fieldname, postings.field, lists)
        self._slots.clear()
        fieldwriter.close()
        self.segment.set_doc_count(self.count)
        if self.segment.should_assemble():
            self.segment.create_compound_file(self.storage)
            self.segment.compound = True
        return self.segment


def build_segments(storage: Any, indexname: str, schema: Schema,
                   documents: Iterable[dict[str, Any]], *, segment_docs: int = SEGMENT_DOCS,
                   added: Callable[[int], None] | None = None) -> list[Any]:
    """Write `documents` as new segments of at most `segment_docs` each; return them."""
    segments = []
    terms = TermMaker()
    builder = SegmentBuilder(storage, indexname, schema, terms)
    try:
        for document in documents:
            builder.add(document)
            if builder.count >= segment_docs:
                segments.append(builder.finish())
                builder = SegmentBuilder(storage, indexname, schema, terms)
            if added:
                added(1)
    except BaseException:
        builder.cancel()
        raise
    if builder.count:
        segments.append(builder.finish())
    else:
        builder.cancel()
    return segments
