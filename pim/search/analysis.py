"""How text becomes index terms: one analyzer per catalog language, accents folded.

Languages Whoosh can stem (English, French, German, Romanian, Russian, ...) get a
stemming analyzer with that language's stop words; any other language (Polish, Greek,
...) gets a plain Unicode analyzer. Every analyzer folds case and accents after stemming
(stemmers need the accents), so "zolw" finds "żółw" and "παπουτσι" finds "παπούτσι".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from whoosh.analysis import (
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.lang import has_stemmer, has_stopwords, languages, stopwords_for_language

# Letters without a Unicode decomposition that a shopper types without their stroke.
_SPECIAL = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ŧ": "t",
                          "æ": "ae", "œ": "oe", "þ": "th", "ð": "d", "ß": "ss"})

STEMMED_LANGUAGES: tuple[str, ...] = tuple(lang for lang in languages if has_stemmer(lang))


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Return `word` case-folded and without accents: 'Żółw' -> 'zolw'."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare.translate(_SPECIAL))


class FoldFilter(Filter):
    """Fold case and accents of every token (after stemming)."""

    def __call__(self, tokens: Any) -> Any:
        for token in tokens:
            token.text = fold(token.text)
            yield token


def language_of(locale: str | None) -> str:
    """Return the language part of a locale code: 'pt_BR' -> 'pt'."""
    return (locale or "").replace("-", "_").split("_")[0].lower()


def language_analyzer(lang: str) -> Any:
    """Return the stemming analyzer of `lang` (a language Whoosh can stem)."""
    chain = RegexTokenizer() | LowercaseFilter()
    if has_stopwords(lang):
        chain = chain | StopFilter(stoplist=stopwords_for_language(lang))
    return chain | StemFilter(lang=lang, cachesize=100_000) | FoldFilter()


def plain_analyzer() -> Any:
    """Return the analyzer for languages without a stemmer and for codes."""
    return RegexTokenizer() | LowercaseFilter() | FoldFilter()


SPELLING_WORD = re.compile(r"[^\W\d_]{3,}")
# ASCII characters that are no letters, made spaces, and ASCII letters lower-cased: what
# is left between spaces is either an ASCII word or holds other characters that the
# expression has to judge (in UTF-8, other characters are bytes above 127, left as they are)
_ASCII_SPELLING = bytes(
    c if c > 127 else ord(chr(c).lower()) if chr(c).isalpha() else 32 for c in range(256))


def spelling_words(texts: list[str]) -> str:
    """Return the distinct words of `texts`, lower-cased: what "did you mean" may propose."""
    # a line break is no letter: joining the texts makes no word across two of them
    text = "\n".join(texts).encode("utf-8", "surrogatepass")
    chunks = text.translate(_ASCII_SPELLING).decode("utf-8", "surrogatepass").split()
    words = {chunk for chunk in chunks if len(chunk) >= 3 and chunk.isascii()}
    for chunk in chunks:
        if not chunk.isascii():
            words.update(map(str.lower, SPELLING_WORD.findall(chunk)))
    return " ".join(sorted(words))
