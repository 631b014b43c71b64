"""Write whole index segments from documents, without Whoosh's per-posting writer pipeline.

Whoosh's `SegmentWriter` pickles every posting to a temporary pool, sorts the pool on disk,
reads each posting back, looks its field length up in a column and buffers it one call at
a time: tens of microseconds per posting, over a hundred postings per product. A full
rebuild needs none of that: `SegmentBuilder` keeps each term's postings in memory, writes
each posting list in blocks through the codec's own postings writer, and analyzes each
distinct word once per field (`TermMaker`). The files it writes are ordinary Whoosh
segments, the same bytes Whoosh's writer would produce for the same documents.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from whoosh.analysis import (
    CompositeAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.analysis.acore import Token
from whoosh.codec import default_codec
from whoosh.fields import FieldType, Schema
from whoosh.formats import Existence, Frequency, Positions
from whoosh.system import emptybytes, pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte

from pim.search.analysis import FoldFilter

# Filters that look at one token at a time: a word's terms do not depend on its neighbours.
TOKEN_FILTERS = (LowercaseFilter, StopFilter, StemFilter, FoldFilter)
# whole values analyzed and remembered per field (codes, statuses, completeness ratios)
VALUE_CACHE = 50_000
WORD_CACHE = 500_000
# documents per segment: what one segment's postings cost in memory while it is built
SEGMENT_DOCS = 100_000
_STOPPED = None
_UNSEEN = object()

Postings = list[tuple[bytes, int, float, bytes]]


class _FastField:
    """A field whose analyzer is a regex tokenizer followed by token-local filters."""

    def __init__(self, field: FieldType) -> None:
        analyzer = field.analyzer
        items = list(analyzer.items) if isinstance(analyzer, CompositeAnalyzer) else [analyzer]
        self.tokenizer: RegexTokenizer = items[0]
        self.filters = items[1:]
        self.renumber = any(isinstance(f, StopFilter) and f.renumber for f in self.filters)
        self.format = field.format
        self.boost = field.format.field_boost
        self.words: dict[str, bytes | None] = {}
        self.encoded: dict[tuple[int, ...], bytes] = {}

    @staticmethod
    def fits(field: FieldType) -> bool:
        analyzer = field.analyzer
        if analyzer is None or type(field.format) not in (Positions, Frequency, Existence):
            return False
        items = list(analyzer.items) if isinstance(analyzer, CompositeAnalyzer) else [analyzer]
        tokenizer = items[0]
        return (type(tokenizer) is RegexTokenizer and not tokenizer.gaps
                and all(type(f) in TOKEN_FILTERS for f in items[1:]))

    def term(self, word: str) -> bytes | None:
        """Return the index term of one token (None when a filter drops it)."""
        found = self.words.get(word, _UNSEEN)
        if found is not _UNSEEN:
            return found
        token = Token(positions=True, removestops=True, mode="index")
        token.text, token.pos, token.boost, token.stopped = word, 0, 1.0, False
        stream: Any = iter([token])
        for item in self.filters:
            stream = item(stream)
        texts = [t.text for t in stream if not t.stopped]
        if len(texts) > 1:
            raise ValueError(f"a token filter of {self.filters} split {word!r}")
        found = texts[0].encode("utf-8") if texts else _STOPPED
        if len(self.words) >= WORD_CACHE:
            self.words.clear()
        self.words[word] = found
        return found

    def postings(self, value: str) -> tuple[Postings, int]:
        """Return (term, frequency, weight, encoded value) per distinct term, and the length."""
        cache = self.words
        texts = [cache.get(m.group(), _UNSEEN) for m in self.tokenizer.expression.finditer(value)]
        if _UNSEEN in texts:
            texts = [self.term(m.group()) for m in self.tokenizer.expression.finditer(value)]
        positions: dict[bytes, list[int]] = defaultdict(list)
        if _STOPPED not in texts:
            for pos, text in enumerate(texts):
                positions[text].append(pos)
            kept = len(texts)
        else:
            places = [pos for pos, text in enumerate(texts) if text is not _STOPPED]
            if self.renumber and places:  # stop words leave no gap after the first word
                places = range(places[0], places[0] + len(places))
            for pos, text in zip(places, (t for t in texts if t is not _STOPPED),
                                 strict=True):
                positions[text].append(pos)
            kept = len(places)
        items = self._encode(positions)
        return items, (kept if type(self.format) is not Existence else len(items))

    def _encode(self, positions: dict[bytes, list[int]]) -> Postings:
        boost = self.boost
        fmt = self.format
        kind = type(fmt)
        if kind is Existence:
            return [(text, 1, boost, emptybytes) for text in positions]
        items = []
        encoded = self.encoded
        for text, found in positions.items():
            key = tuple(found) if kind is Positions else (len(found),)
            value = encoded.get(key)
            if value is None:
                value = encoded[key] = (fmt.encode(found) if kind is Positions
                                        else pack_uint(len(found)))
            items.append((text, len(found), float(len(found)) * boost, value))
        return items


class TermMaker:
    """Turn field values into postings exactly as `FieldType.index` does, faster."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self._fast: dict[str, _FastField | None] = {}
        self._values: dict[tuple[str, Any], tuple[Postings, int]] = {}

    def postings(self, fieldname: str, field: FieldType, value: Any) -> tuple[Postings, int]:
        """Return the postings of one value and the field length it adds."""
        fast = self._fast.get(fieldname, False)
        if fast is False:
            fast = self._fast[fieldname] = _FastField(field) if _FastField.fits(field) else None
        if fast is not None and isinstance(value, str):
            return fast.postings(value)
        key = (fieldname, value)
        try:
            found = self._values.get(key)
        except TypeError:  # an unhashable value
            return self._index(field, value)
        if found is None:
            found = self._index(field, value)
            if len(self._values) >= VALUE_CACHE:
                self._values.clear()
            self._values[key] = found
        return found

    @staticmethod
    def _index(field: FieldType, value: Any) -> tuple[Postings, int]:
        items = [(btext, freq, weight, vbytes or emptybytes)
                 for btext, freq, weight, vbytes in field.index(value)]
        return items, sum(freq for _, freq, _, _ in items) if field.scorable else 0


class _TermPostings:
    __slots__ = ("ids", "values", "weights")

    def __init__(self) -> None:
        self.ids = array("I")
        self.weights = array("f")
        self.values: list[bytes] = []


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
        self.terms = terms or TermMaker(schema)
        self.count = 0
        self._postings: dict[str, dict[bytes, _TermPostings]] = defaultdict(dict)
        self._lengths: dict[str, array] = {}
        self._fields: dict[str, FieldType] = {}

    def _field(self, fieldname: str) -> FieldType:
        field = self._fields.get(fieldname)
        if field is None:
            if fieldname not in self.schema:
                raise ValueError(f"no field named {fieldname!r} in the index schema")
            field = self._fields[fieldname] = self.schema[fieldname]
        return field

    def add(self, document: dict[str, Any]) -> None:
        """Add one document (the keyword arguments `add_document` would get)."""
        docnum = self.count
        perdoc = self.perdoc
        perdoc.start_doc(docnum)
        for fieldname in sorted(document):
            value = document[fieldname]
            if value is None or fieldname.startswith("_"):
                continue
            field = self._field(fieldname)
            length = 0
            if field.indexed:
                length = self._add_postings(fieldname, field, value, docnum)
            perdoc.add_field(fieldname, field, value if field.stored else None, length)
            column = field.column_type
            if column:
                perdoc.add_column_value(fieldname, column, field.to_column_value(value))
        perdoc.finish_doc()
        self.count += 1

    def _add_postings(self, fieldname: str, field: FieldType, value: Any, docnum: int) -> int:
        items, length = self.terms.postings(fieldname, field, value)
        if not field.scorable:
            length = 0
        if length:
            lengths = self._lengths.get(fieldname)
            if lengths is None:
                lengths = self._lengths[fieldname] = array("B")
            if len(lengths) < docnum:
                lengths.extend(bytes(docnum - len(lengths)))
            lengths.append(length_to_byte(length))
        terms = self._postings[fieldname]
        for btext, _freq, weight, vbytes in items:
            found = terms.get(btext)
            if found is None:
                found = terms[btext] = _TermPostings()
            found.ids.append(docnum)
            found.weights.append(weight)
            if vbytes:
                found.values.append(vbytes)
        return length

    def finish(self) -> Any:
        """Write the posting lists and columns; return the finished segment."""
        self.perdoc.close()
        if self._files.temporary is not None:
            self._files.temporary.destroy()
        fieldwriter = self.codec.field_writer(self.storage, self.segment)
        for fieldname in sorted(self._postings):
            self._write_field(fieldwriter, fieldname)
        fieldwriter.close()
        self.segment.set_doc_count(self.count)
        if self.segment.should_assemble():
            self.segment.create_compound_file(self.storage)
            self.segment.compound = True
        return self.segment

    def _write_field(self, fieldwriter: Any, fieldname: str) -> None:
        field = self._field(fieldname)
        fieldwriter.start_field(fieldname, field)
        lengths = self._lengths.get(fieldname, array("B"))
        limit = self.codec._blocklimit
        terms = self._postings.pop(fieldname)
        for btext in sorted(terms):
            found = terms[btext]
            fieldwriter.start_term(btext)
            writer = fieldwriter._postwriter
            ids, weights, values = found.ids, found.weights, found.values
            for start in range(0, len(ids), limit):
                if start:
                    writer._write_block()
                end = start + limit
                block = ids[start:end]
                writer._ids = block
                writer._weights = weights[start:end]
                writer._values = values[start:end]
                writer._maxweight = max(0, max(writer._weights))
                marks = [lengths[d] for d in block if d < len(lengths) and lengths[d]]
                writer._minlength = byte_to_length(min(marks)) if marks else None
                writer._maxlength = byte_to_length(max(marks)) if marks else 0
            fieldwriter.finish_term()
        fieldwriter.finish_field()


def build_segments(storage: Any, indexname: str, schema: Schema,
                   documents: Iterable[dict[str, Any]], *, segment_docs: int = SEGMENT_DOCS,
                   added: Callable[[int], None] | None = None) -> list[Any]:
    """Write `documents` as new segments of at most `segment_docs` each; return them."""
    segments = []
    terms = TermMaker(schema)
    builder = SegmentBuilder(storage, indexname, schema, terms)
    for document in documents:
        builder.add(document)
        if builder.count >= segment_docs:
            segments.append(builder.finish())
            builder = SegmentBuilder(storage, indexname, schema, terms)
        if added:
            added(1)
    if builder.count:
        segments.append(builder.finish())
    return segments
