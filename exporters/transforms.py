"""Transforms a channel mapping declares: each registered under a name, built from its argument.

In channel settings a transform is a name (`"strip_html"`) or a one-key object
(`{"truncate": 150}`). Building one checks its argument, so a bad mapping is refused
before any product is read.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import nh3

from exporters.compiled import StockWords, TextStep, described
from exporters.errors import MappingError
from exporters.values import Measure, Price, as_list, as_text, is_empty
from pim.catalog.measures import MEASURES, convert
from pim.catalog.types.text import sanitize_html

Transform = Callable[[Any], Any]
Factory = Callable[[Any], Transform]
TRANSFORMS: dict[str, Factory] = {}
NO_ARGUMENT = object()


def transform(name: str) -> Callable[[Factory], Factory]:
    """Register a transform factory under `name`."""

    def register(factory: Factory) -> Factory:
        TRANSFORMS[name] = factory
        return factory

    return register


def build_transform(spec: Any) -> Transform:
    """Build one transform from its settings form, or raise MappingError saying what is wrong."""
    if isinstance(spec, str):
        name, argument = spec, NO_ARGUMENT
    elif isinstance(spec, dict) and len(spec) == 1:
        name, argument = next(iter(spec.items()))
    else:
        raise MappingError("a transform is a name or a one-key object such as "
                           f'{{"truncate": 150}}, got {spec!r}')
    factory = TRANSFORMS.get(name)
    if factory is None:
        raise MappingError(f"unknown transform {name!r} (known: {', '.join(sorted(TRANSFORMS))})")
    return factory(argument)


def _each_text(func: Callable[[str], str]) -> Transform:
    """Apply `func` to text, and to every item of a list."""

    def apply(value: Any) -> Any:
        if type(value) is str:
            return func(value) if value else value
        if value is None or value == [] or value == ():
            return value
        if isinstance(value, list | tuple):
            return [func(as_text(item)) for item in value if not is_empty(item)]
        return func(as_text(value))

    return described(apply, TextStep(func))


def _no_argument(name: str, argument: Any) -> None:
    if argument is not NO_ARGUMENT and argument not in (True, None):
        raise MappingError(f"transform {name!r} takes no argument")


def _positive_int(name: str, argument: Any) -> int:
    if isinstance(argument, bool) or not isinstance(argument, int) or argument < 1:
        raise MappingError(f"transform {name!r} needs a whole number of at least 1, "
                           f"got {argument!r}")
    return argument


def _text_argument(name: str, argument: Any) -> str:
    if not isinstance(argument, str):
        raise MappingError(f"transform {name!r} needs a text argument, got {argument!r}")
    return argument


# Markup an HTML parser reads as its text with the tags taken out: tags of these elements
# without attributes, no entity, comment or stray "<", no character a parser replaces
SIMPLE_ELEMENTS = ("p", "br", "b", "i", "em", "strong", "u", "span", "div", "ul", "ol", "li",
                   "h1", "h2", "h3", "h4", "h5", "h6", "small", "sub", "sup")
SIMPLE_TAG = re.compile(rf"</?(?:{'|'.join(SIMPLE_ELEMENTS)})[ \t\n\r]*/?>",
                        re.IGNORECASE | re.ASCII)
FROM_LESS_THAN = re.compile(r"<[^<>]*>?")
PARSER_CHANGES = re.compile("[&\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def plain_text(text: str) -> str:
    """Strip HTML, decode every entity and collapse spaces: text a channel shows as is."""
    if "<" in text or "&" in text:
        simple = _without_simple_tags(text)
        text = simple if simple is not None else html.unescape(nh3.clean(text, tags=set()))
    return " ".join(text.split())


def _without_simple_tags(text: str) -> str | None:
    """The text of simple markup (see SIMPLE_TAG), else None: the HTML parser must read it.

    Several times faster than the parser on the short descriptions most catalogs hold.
    """
    if "&" in text or (not text.isprintable() and PARSER_CHANGES.search(text) is not None):
        return None
    pieces = FROM_LESS_THAN.findall(text)
    if not all(SIMPLE_TAG.fullmatch(piece) for piece in pieces):
        return None
    return FROM_LESS_THAN.sub("", text)


@transform("strip_html")
def _strip_html(argument: Any) -> Transform:
    _no_argument("strip_html", argument)
    return _each_text(plain_text)


@transform("sanitize_html")
def _sanitize_html(argument: Any) -> Transform:
    _no_argument("sanitize_html", argument)
    return _each_text(sanitize_html)


def truncate_words(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` characters, at a word boundary when there is one."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    space = cut.rstrip().rfind(" ")
    head = cut[:space] if space > 0 else text[:limit]
    return head.rstrip(" ,;:-–—").rstrip() or text[:limit]


@transform("truncate")
def _truncate(argument: Any) -> Transform:
    limit = _positive_int("truncate", argument)
    return _each_text(lambda text: truncate_words(text, limit))


@transform("upper")
def _upper(argument: Any) -> Transform:
    _no_argument("upper", argument)
    return _each_text(str.upper)


@transform("lower")
def _lower(argument: Any) -> Transform:
    _no_argument("lower", argument)
    return _each_text(str.lower)


@transform("prefix")
def _prefix(argument: Any) -> Transform:
    prefix = _text_argument("prefix", argument)
    return _each_text(lambda text: prefix + text)


@transform("suffix")
def _suffix(argument: Any) -> Transform:
    suffix = _text_argument("suffix", argument)
    return _each_text(lambda text: text + suffix)


@transform("replace")
def _replace(argument: Any) -> Transform:
    if not isinstance(argument, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in argument.items()
    ):
        raise MappingError('transform "replace" needs {"old text": "new text", ...}')

    def replace(text: str) -> str:
        for old, new in argument.items():
            text = text.replace(old, new)
        return text

    return _each_text(replace)


def _key(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return as_text(value)


@transform("map")
def _map(argument: Any) -> Transform:
    if not isinstance(argument, dict) or not all(isinstance(k, str) for k in argument):
        raise MappingError('transform "map" needs {"source value": "channel value", ...}')

    def apply(value: Any) -> Any:
        if isinstance(value, list | tuple):
            return [argument.get(_key(item), item) for item in value]
        return argument.get(_key(value), value) if not is_empty(value) else value

    return apply


@transform("default")
def _default(argument: Any) -> Transform:
    if argument is NO_ARGUMENT:
        raise MappingError('transform "default" needs the value to use when there is none')
    return lambda value: argument if is_empty(value) else value


@transform("join")
def _join(argument: Any) -> Transform:
    separator = ", " if argument is NO_ARGUMENT else _text_argument("join", argument)
    return lambda value: separator.join(as_text(item) for item in as_list(value))


SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


@transform("sentences")
def _sentences(argument: Any) -> Transform:
    """Plain text becomes a list of its sentences (bullet points from a description)."""
    _no_argument("sentences", argument)

    def split(value: Any) -> Any:
        if is_empty(value) or isinstance(value, list | tuple):
            return value
        return [part.strip() for part in SENTENCE_END.split(as_text(value)) if part.strip()]

    return split


def slug(text: str) -> str:
    """Lower-case words joined by hyphens, letters of any script kept."""
    words = re.findall(r"\w+", text.lower())
    return "-".join(word.strip("_") for word in words if word.strip("_"))


@transform("slug")
def _slug(argument: Any) -> Transform:
    _no_argument("slug", argument)
    return _each_text(slug)


@transform("first")
def _first(argument: Any) -> Transform:
    _no_argument("first", argument)
    return lambda value: (as_list(value) or [None])[0]


@transform("limit")
def _limit(argument: Any) -> Transform:
    count = _positive_int("limit", argument)
    return lambda value: as_list(value)[:count]


@transform("convert")
def _convert(argument: Any) -> Transform:
    unit = _text_argument("convert", argument)
    if not any(unit in units for _standard, units in MEASURES.values()):
        raise MappingError(f'transform "convert": unknown unit {unit!r}')

    def apply(value: Any) -> Any:
        if not isinstance(value, Measure):
            return value
        amount = convert(value.amount, value.unit, unit, value.family)
        return Measure(amount, unit, value.family)

    return apply


@transform("round")
def _round(argument: Any) -> Transform:
    if isinstance(argument, bool) or not isinstance(argument, int) or not 0 <= argument <= 6:
        raise MappingError('transform "round" needs a number of decimals from 0 to 6')
    step = Decimal(1).scaleb(-argument)

    def apply(value: Any) -> Any:
        if isinstance(value, Measure):
            return Measure(value.amount.quantize(step), value.unit, value.family)
        if isinstance(value, Price):
            return Price(value.amount.quantize(step), value.currency)
        if isinstance(value, Decimal):
            return value.quantize(step)
        return value

    return apply


@transform("availability")
def _availability(argument: Any) -> Transform:
    """A stock figure or yes/no becomes the channel's in-stock or out-of-stock word."""
    if (not isinstance(argument, dict) or set(argument) != {"in", "out"}
            or not all(isinstance(v, str) for v in argument.values())):
        raise MappingError('transform "availability" needs {"in": "...", "out": "..."}')

    def apply(value: Any) -> Any:
        if is_empty(value):
            return value
        if isinstance(value, bool):
            return argument["in"] if value else argument["out"]
        if type(value) is int:  # a stock figure: no need to go through Decimal
            return argument["in"] if value > 0 else argument["out"]
        try:
            return argument["in"] if Decimal(as_text(value)) > 0 else argument["out"]
        except ArithmeticError:
            return value

    return described(apply, StockWords(argument["in"], argument["out"]))


@transform("datetime")
def _datetime(argument: Any) -> Transform:
    """A date becomes midnight UTC of that day, as ISO 8601 channels want it."""
    _no_argument("datetime", argument)
    return _each_text(lambda text: f"{text}T00:00Z" if len(text) == 10 else text)
