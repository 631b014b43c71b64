"""'Did you mean': replace words the index does not know by the closest known words."""

from __future__ import annotations

import re

from whoosh.searching import Searcher

# Words outside field filters, ranges, phrases' quotes and prefixes.
WORD = re.compile(r"(?<![\w:*\[])([^\W\d_]{3,})(?![\w:*\]])")
OPERATORS = frozenset({"AND", "OR", "NOT", "TO", "ANDNOT", "ANDMAYBE"})


def known(searcher: Searcher, word: str, fields: list[str]) -> bool:
    """Tell whether some field holds `word` as the search would analyze it."""
    reader = searcher.reader()
    schema = searcher.schema
    indexed = set(reader.indexed_field_names())
    for field in fields:
        if field not in indexed:
            continue
        terms = list(schema[field].process_text(word, mode="query"))
        if not terms:
            return True  # a stop word: nothing to correct
        if all(reader.doc_frequency(field, term) > 0 for term in terms):
            return True
    return False


def suggestion(searcher: Searcher, text: str, fields: list[str]) -> str | None:
    """Return `text` with its unknown words corrected, or None when nothing changes."""
    if "spell" not in searcher.reader().indexed_field_names():
        return None
    corrector = searcher.corrector("spell")
    changed = False

    def replace(match: re.Match[str]) -> str:
        nonlocal changed
        word = match.group(1)
        if word in OPERATORS or known(searcher, word, fields):
            return word
        found = corrector.suggest(word.lower(), limit=1, maxdist=2)
        if not found or found[0] == word.lower():
            return word
        changed = True
        return _same_case(word, found[0])

    corrected = WORD.sub(replace, text)
    return corrected if changed else None


def _same_case(original: str, word: str) -> str:
    if original.isupper():
        return word.upper()
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
