"""The fields of a product document in the index, and how a name maps to a field."""

from __future__ import annotations

import re
from functools import lru_cache

from whoosh.analysis import IDAnalyzer
from whoosh.columns import VarBytesColumn
from whoosh.fields import BOOLEAN, COLUMN, DATETIME, ID, KEYWORD, NUMERIC, TEXT, FieldType, Schema

from pim.search.analysis import (
    STEMMED_LANGUAGES,
    language_analyzer,
    language_of,
    plain_analyzer,
)

# Fields a query may filter, facet or sort on by their plain names.
FACET_FIELDS = ("family", "category", "status", "enabled", "parent", "models")
TEXT_PREFIX = "text_"
COMPLETE_PREFIX = "complete_"
SELECT_PREFIX = "select_"
# The plain fields every text query searches besides the language fields.
BASE_TEXT_FIELDS = ("identifier", "words")
FIELD_NAME = re.compile(r"^[A-Za-z0-9_]+$")


def _with_lengths(field: FieldType) -> FieldType:
    # Whoosh looks up each posting's field length while writing and, for a field without
    # a length column, asks the file system whether one exists (a system call per
    # posting). A one-byte length per document is much cheaper.
    field.scorable = True
    return field


def product_schema() -> Schema:
    """Build the schema of the product index."""
    schema = Schema(
        id=_with_lengths(ID(stored=True, unique=True, sortable=True)),
        identifier=_with_lengths(ID(stored=True, sortable=True, field_boost=4.0,
                                    analyzer=IDAnalyzer(lowercase=True))),
        family=_with_lengths(ID(stored=True)),
        category=KEYWORD(scorable=True),
        parent=_with_lengths(ID(stored=True)),
        models=KEYWORD(scorable=True),
        enabled=_with_lengths(BOOLEAN(stored=True)),
        status=_with_lengths(ID(stored=True)),
        updated=_with_lengths(DATETIME(stored=True, sortable=True)),
        created=_with_lengths(DATETIME(sortable=True)),
        stamp=COLUMN(VarBytesColumn()),
        words=TEXT(analyzer=plain_analyzer()),
        # distinct words as written, lower-cased: the vocabulary of "did you mean"
        spell=KEYWORD(scorable=True),
    )
    for lang in STEMMED_LANGUAGES:
        schema.add(f"{TEXT_PREFIX}{lang}", TEXT(analyzer=language_analyzer(lang)))
    schema.add(f"{TEXT_PREFIX}*", TEXT(analyzer=plain_analyzer()), glob=True)
    schema.add(f"{COMPLETE_PREFIX}*", _with_lengths(
        NUMERIC(int, 8, signed=False, sortable=True, shift_step=0)), glob=True)
    schema.add(f"{SELECT_PREFIX}*", KEYWORD(scorable=True), glob=True)
    return schema


@lru_cache(maxsize=1024)
def text_field(locale: str | None) -> str:
    """Return the text field of a locale ('fr_FR' -> 'text_fr'); None gives 'words'."""
    lang = language_of(locale)
    if not lang or not FIELD_NAME.match(lang):
        return "words"
    return f"{TEXT_PREFIX}{lang}"


def complete_field(channel: str, locale: str) -> str:
    """Return the completeness field of a channel and locale."""
    return f"{COMPLETE_PREFIX}{channel}_{locale}"


def select_field(attribute: str) -> str:
    """Return the facet field of a simple or multi select attribute."""
    return f"{SELECT_PREFIX}{attribute}"


def field_for(name: str, known: set[str]) -> str | None:
    """Map a name a caller uses ('color', 'family', 'select_color') to an index field."""
    if name in known:
        return name
    if SELECT_PREFIX + name in known:
        return SELECT_PREFIX + name
    return None
