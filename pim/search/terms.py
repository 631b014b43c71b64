"""Index terms of field values, as each field's analyzer makes them, remembered per word.

A full rebuild analyzes millions of words but only a few hundred thousand distinct ones.
For a field whose analyzer is a regex tokenizer followed by filters that look at one token
at a time, a word's term does not depend on its neighbours: `WordTerms` tokenizes a value
with the tokenizer's own expression and analyzes each distinct word once. Other fields
(identifiers, numbers, dates, booleans) go through Whoosh's `FieldType.index`, once per
distinct value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from whoosh.analysis import (
    CompositeAnalyzer,
    IDTokenizer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.analysis.acore import Token
from whoosh.fields import FieldType
from whoosh.formats import Existence, Frequency, Positions
from whoosh.system import emptybytes, pack_uint

from pim.search.analysis import FoldFilter

# Filters that look at one token at a time: a word's terms do not depend on its neighbours.
TOKEN_FILTERS = (LowercaseFilter, StopFilter, StemFilter, FoldFilter)
# Whoosh's default word expression: after a maximal run of word characters the optional
# dot of its group can only be present, so this finds the same words with less trying
_WHOOSH_WORDS = r"[\w\*]+(\.?[\w\*]+)*"
_WORDS_WITH_DOTS = re.compile(r"[\w\*]+(?:\.[\w\*]+)*")
# Whoosh's space separated tokens: for ASCII text without the other whitespace characters
# `str.split` (several times faster) cuts at the same places
_SPACE_SEPARATED = r"[^ \t\r\n]+"
_OTHER_ASCII_SPACES = "\x0b\x0c\x1c\x1d\x1e\x1f"
# a group that captures, in an expression without escaped or bracketed parentheses
_CAPTURING = re.compile(r"\((?!\?)")
_TRICKY_PARENTHESES = re.compile(r"\\[()]|\[[^\]]*[()]")
# whole values analyzed and remembered per field (codes, statuses, dates)
VALUE_CACHE = 50_000
WORD_CACHE = 500_000

# (term, frequency, weight, encoded value) per distinct term of a value
Postings = list[tuple[bytes, int, float, bytes]]


def _analyzer_items(field: FieldType) -> list[Any]:
    analyzer = field.analyzer
    return list(analyzer.items) if isinstance(analyzer, CompositeAnalyzer) else [analyzer]


def _word_finder(tokenizer: RegexTokenizer) -> Callable[[str], list[str]]:
    """Return a function listing the words the tokenizer finds in a text, in order."""
    expression = tokenizer.expression
    unicode_only = expression.flags == re.compile("").flags
    if expression.pattern == _WHOOSH_WORDS and unicode_only:
        return _WORDS_WITH_DOTS.findall
    if expression.pattern == _SPACE_SEPARATED and unicode_only:
        return _split_on_spaces(expression.findall)
    if expression.groups == 0:
        return expression.findall
    pattern = expression.pattern
    if isinstance(pattern, str) and not _TRICKY_PARENTHESES.search(pattern):
        # `findall` returns the groups of an expression that has some (Whoosh's default
        # has one): the same expression without capturing groups finds the same words
        plain = re.compile(_CAPTURING.sub("(?:", pattern), expression.flags)
        if plain.groups == 0:
            return plain.findall
    return lambda text: [match.group() for match in expression.finditer(text)]


def _split_on_spaces(findall: Callable[[str], list[str]]) -> Callable[[str], list[str]]:
    def words(text: str) -> list[str]:
        if text.isascii() and not any(space in text for space in _OTHER_ASCII_SPACES):
            return text.split()
        return findall(text)
    return words


class WordTerms:
    """A field whose analyzer is a regex tokenizer followed by token-local filters."""

    def __init__(self, field: FieldType) -> None:
        items = _analyzer_items(field)
        self.words: Callable[[str], list[str]] = _word_finder(items[0])
        self.filters = items[1:]
        self.renumber = any(isinstance(f, StopFilter) and f.renumber for f in self.filters)
        # lower-casing and folding leave an ASCII word lower-cased, and nothing else
        self.ascii_lower = bool(self.filters) and all(
            type(f) in (LowercaseFilter, FoldFilter) for f in self.filters)
        self.format = field.format
        self.kind = type(field.format)
        self.boost = field.format.field_boost
        self._terms: dict[str, bytes | None] = {}
        self._encoded: dict[tuple[int, ...], bytes] = {}
        self._single: list[bytes] = []

    @staticmethod
    def fits(field: FieldType) -> bool:
        if field.analyzer is None or type(field.format) not in (Positions, Frequency, Existence):
            return False
        items = _analyzer_items(field)
        tokenizer = items[0]
        return (type(tokenizer) is RegexTokenizer and not tokenizer.gaps
                and all(type(f) in TOKEN_FILTERS for f in items[1:]))

    def term(self, word: str) -> bytes | None:
        """Return the index term of one word (None when a filter drops it)."""
        found = self._terms.get(word, self)
        if found is not self:
            return found  # type: ignore[return-value]
        if self.ascii_lower and word.isascii():
            return word.lower().encode("ascii")
        token = Token(positions=True, removestops=True, mode="index")
        token.text, token.pos, token.boost, token.stopped = word, 0, 1.0, False
        stream: Any = iter([token])
        for item in self.filters:
            stream = item(stream)
        texts = [t.text for t in stream if not t.stopped]
        if len(texts) > 1:
            raise ValueError(f"a token filter of {self.filters} split {word!r}")
        found = texts[0].encode("utf-8") if texts else None
        if len(self._terms) >= WORD_CACHE:
            self._terms.clear()
        self._terms[word] = found
        return found

    def positions_value(self, positions: list[int]) -> bytes:
        """Return the encoded value of a posting at `positions` (Positions format)."""
        if len(positions) == 1:
            single = self._single
            position = positions[0]
            while len(single) <= position:
                single.append(self.format.encode([len(single)]))
            return single[position]
        key = tuple(positions)
        found = self._encoded.get(key)
        if found is None:
            if len(self._encoded) >= VALUE_CACHE:
                self._encoded.clear()
            found = self._encoded[key] = self.format.encode(positions)
        return found

    def single_values(self, upto: int) -> list[bytes]:
        """Return the encoded values of one-position postings at positions 0..upto."""
        self.positions_value([upto])
        return self._single


class TermMaker:
    """Analyze field values exactly as `FieldType.index` does, remembering what repeats."""

    def __init__(self) -> None:
        self._words: dict[str, WordTerms | None] = {}
        self._values: dict[tuple[str, Any], tuple[Postings, int]] = {}

    def word_terms(self, fieldname: str, field: FieldType) -> WordTerms | None:
        """Return the word-at-a-time analysis of a field, if its analyzer allows one."""
        found = self._words.get(fieldname, False)
        if found is False:
            found = self._words[fieldname] = WordTerms(field) if WordTerms.fits(field) else None
        return found  # type: ignore[return-value]

    @staticmethod
    def whole_value_term(field: FieldType) -> Callable[[str], bytes] | None:
        """Return how a field that indexes a text value whole makes its only term."""
        items = _analyzer_items(field) if field.analyzer is not None else []
        if (not items or type(items[0]) is not IDTokenizer
                or any(type(f) is not LowercaseFilter for f in items[1:])
                or type(field.format) is not Existence):
            return None
        if len(items) > 1:
            return lambda value: value.lower().encode("utf-8")
        return lambda value: value.encode("utf-8")

    def postings(self, fieldname: str, field: FieldType, value: Any) -> tuple[Postings, int]:
        """Return the postings of one value and the field length it adds."""
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


def frequency_value(freq: int) -> bytes:
    """Return the encoded value of a posting of the Frequency format."""
    return pack_uint(freq)
