"""A mapper's fields compiled into one Python function per export.

Mapping a product field by field, through a producer calling a source, its transforms and
a shaping function, costs more in calls than in work on most fields. `compile_record`
writes the same steps out as the body of one function (attribute reads, templates, empty
tests, text shaping and cheap pre-checks inline), built once per export. What it does not
write out it calls: the very source, transform, shaping and checking functions the
mapping is made of, so a record and its problems are those of the field-by-field steps.

Sources and transforms that can be written out carry a plan (`described`): a small
description of what they do, which the compiler reads instead of calling them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from exporters.rules import DATETIME, NOT_XML, URL, Field, Problem, as_is, text_value
from exporters.values import SIZED, Image, Measure, Price, as_text

SPACES = re.compile(r"\s+")

# what a failing source or transform may raise: the field is reported, the feed goes on
MAPPING_ERRORS = (ValueError, ArithmeticError, KeyError, TypeError)
EMPTY = "v is None or (isinstance(v, SIZED) and not v)"

RecordFunction = Callable[[Any], tuple[dict[str, Any], list[Problem]]]


@dataclass(frozen=True)
class CompiledField:
    """What the generated code needs of one field (see exporters.mapping.FieldMapping)."""

    field: Field
    read: Callable[[Any], Any]
    transforms: tuple[Callable[[Any], Any], ...]
    shape: Callable[[Any], Any]
    checker: Callable[[Any], Any] | None


class _Writer:
    """Lines of generated code and the objects they name."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.namespace: dict[str, Any] = {
            "Problem": Problem, "SIZED": SIZED, "NOT_XML": NOT_XML, "as_text": as_text,
            "MAPPING_ERRORS": MAPPING_ERRORS}

    def name(self, value: Any, hint: str) -> str:
        """A name in the generated module bound to `value`."""
        name = f"{hint}_{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def line(self, depth: int, text: str) -> None:
        self.lines.append("    " * depth + text)


def compile_record(fields: list[CompiledField], finish: Callable[[dict[str, Any], Any], Any]
                   ) -> RecordFunction:
    """One function from a product to its record and problems, the steps of every field."""
    out = _Writer()
    out.line(0, "def record_of(product):")
    out.line(1, "record = {}")
    out.line(1, "problems = []")
    for compiled in fields:
        _field(out, compiled)
    if any("values.get(" in line for line in out.lines):
        out.lines.insert(3, "    values = product.values")
    out.line(1, "try:")
    out.line(2, f"found = {out.name(finish, 'finish')}(record, product)")
    out.line(1, "except MAPPING_ERRORS as exc:")
    out.line(2, "problems.append(Problem('record', 'mapping', "
                "'cannot complete the record: ' + str(exc)))")
    out.line(1, "else:")
    out.line(2, "problems.extend(found)")
    out.line(1, "return record, problems")
    source = "\n".join(out.lines) + "\n"
    exec(compile(source, "<compiled mapping>", "exec"), out.namespace)  # noqa: S102
    function: RecordFunction = out.namespace["record_of"]
    return function


def _field(out: _Writer, compiled: CompiledField) -> None:
    name = compiled.field.name
    label = out.name(name, "field")
    out.line(1, "try:")
    _read(out, 2, compiled.read)
    for step in compiled.transforms:
        _transform(out, 2, step)
    _shape(out, 2, compiled)
    out.line(1, "except MAPPING_ERRORS as exc:")
    out.line(2, f"problems.append(Problem({label}, 'mapping', "
                f"'cannot map ' + {label} + ': ' + str(exc)))")
    out.line(1, "else:")
    if compiled.field.required:
        out.line(2, "if v is None:")
        out.line(3, f"problems.append(Problem({label}, 'required', {label} + ' is required'))")
        out.line(2, "else:")
    else:
        out.line(2, "if v is not None:")
    out.line(3, f"record[{label}] = v")
    if compiled.checker is not None:
        _check(out, 3, compiled)


def _read(out: _Writer, depth: int, read: Callable[[Any], Any]) -> None:
    """Code setting `v` to what the source `read` returns for `product`."""
    plan = getattr(read, "plan", None)
    if isinstance(plan, Fallback):
        _read(out, depth, plan.first)
        out.line(depth, f"if {EMPTY}:")
        _read(out, depth + 1, plan.other)
    elif isinstance(plan, AttributeRead):
        _attribute(out, depth, plan)
    elif isinstance(plan, PropertyRead):
        out.line(depth, f"v = product.{plan.name}")
    elif isinstance(plan, FixedValue):
        out.line(depth, f"v = {out.name(plan.value, 'fixed')}")
    elif isinstance(plan, Template):
        _template(out, depth, plan)
    elif isinstance(plan, Then):
        _read(out, depth, plan.read)
        out.line(depth, f"if {EMPTY}:")
        out.line(depth + 1, "v = None")
        out.line(depth, "else:")
        out.line(depth + 1, f"v = {out.name(plan.then, 'then')}(v)")
    else:
        out.line(depth, f"v = {out.name(read, 'read')}(product)")


def _attribute(out: _Writer, depth: int, plan: AttributeRead) -> None:
    """The first entry of the locale chain and scope; its data, typed unless None."""
    out.line(depth, "v = None")
    out.line(depth, f"entries = values.get({out.name(plan.code, 'code')})")
    out.line(depth, "if entries:")
    scope = out.name(plan.scope, "scope")
    locales = [None] if plan.locales is None else plan.locales
    for number, locale in enumerate(locales):
        inner = depth + 1 + number
        test = ('entry["locale"] is None' if locale is None
                else f'entry["locale"] == {out.name(locale, "locale")}')
        out.line(inner, "for entry in entries:")
        out.line(inner + 1, f'if {test} and entry["scope"] == {scope}:')
        out.line(inner + 2, 'v = entry["data"]')
        if plan.typed is not None:
            out.line(inner + 2, "if v is not None:")
            out.line(inner + 3, f"v = {out.name(plan.typed, 'typed')}(v)")
        out.line(inner + 2, "break")
        if number < len(locales) - 1:
            out.line(inner, "else:")


def _template(out: _Writer, depth: int, plan: Template) -> None:
    """Literals and placeholders as text; None when every placeholder is empty."""
    out.line(depth, "filled = False")
    pieces = []
    for literal, reader in plan.pieces:
        if literal:
            pieces.append(out.name(literal, "literal"))
        if reader is None:
            continue
        _read(out, depth, reader)
        out.line(depth, "if type(v) is not str:")
        out.line(depth + 1, "v = as_text(v)")
        out.line(depth, "if v:")
        out.line(depth + 1, "filled = True")
        piece = f"piece_{len(out.lines)}"
        out.line(depth, f"{piece} = v")
        pieces.append(piece)
    out.line(depth, "if filled:")
    out.line(depth + 1, f"v = {' + '.join(pieces) or repr('')}")
    # printable text without double spaces has no run of spaces to collapse
    out.line(depth + 1, "if not v.isprintable() or '  ' in v:")
    out.line(depth + 2, f"v = {out.name(SPACES, 'spaces')}.sub(' ', v)")
    out.line(depth + 1, "v = v.strip()")
    out.line(depth, "else:")
    out.line(depth + 1, "v = None")


def _transform(out: _Writer, depth: int, step: Callable[[Any], Any]) -> None:
    """Code applying one transform to `v`; a text one is called on text directly."""
    plan = getattr(step, "plan", None)
    if isinstance(plan, StockWords):
        # a stock figure (bool is not int here): the transform's own test written out
        words = (f"{out.name(plan.in_stock, 'word')} if v > 0 "
                 f"else {out.name(plan.out_of_stock, 'word')}")
        out.line(depth, "if type(v) is int:")
        out.line(depth + 1, f"v = {words}")
        # a number compares as the transform's text of it does (NaN: the transform)
        out.line(depth, f"elif type(v) is {out.name(Decimal, 'Decimal')} and not v.is_nan():")
        out.line(depth + 1, f"v = {words}")
        out.line(depth, "else:")
        out.line(depth + 1, f"v = {out.name(step, 'transform')}(v)")
        return
    if not isinstance(plan, TextStep):
        out.line(depth, f"v = {out.name(step, 'transform')}(v)")
        return
    out.line(depth, "if type(v) is str:")
    out.line(depth + 1, "if v:")
    out.line(depth + 2, f"v = {out.name(plan.apply, 'text')}(v)")
    out.line(depth, "else:")
    out.line(depth + 1, f"v = {out.name(step, 'transform')}(v)")


def _shape(out: _Writer, depth: int, compiled: CompiledField) -> None:
    """Empty values become None; the rest is shaped for the field's kind."""
    shape = compiled.shape
    if shape is text_value and not compiled.transforms:
        # text_value renders every empty value as None itself
        out.line(depth, "if v is not None:")
        _text(out, depth + 1)
        return
    out.line(depth, f"if {EMPTY}:")
    out.line(depth + 1, "v = None")
    if shape is as_is:
        return
    out.line(depth, "else:")
    if shape is text_value:
        _text(out, depth + 1)
    else:
        out.line(depth + 1, f"v = {out.name(shape, 'shape')}(v)")


def _text(out: _Writer, depth: int) -> None:
    """`text_value` written out: clean, stripped text, None when nothing is left."""
    out.line(depth, "if type(v) is not str:")
    out.line(depth + 1, "v = as_text(v)")
    out.line(depth, "if not v.isprintable():")
    out.line(depth + 1, "v = NOT_XML.sub('', v)")
    out.line(depth, "v = v.strip() or None")


def _check(out: _Writer, depth: int, compiled: CompiledField) -> None:
    """Call the field's checker, after a cheap test passing only values it accepts."""
    checker = out.name(compiled.checker, "check")
    doubt = _doubt(out, compiled.field)
    if doubt is not None:
        out.line(depth, f"if {doubt}:")
        depth += 1
    out.line(depth, f"found = {checker}(v)")
    out.line(depth, "if found:")
    out.line(depth + 1, "problems.extend(found)")


def _doubt(out: _Writer, field: Field) -> str | None:
    """A test false only for non-empty values the field's checker finds nothing wrong with.

    It covers the usual value of each kind (see exporters.rules: the kind's check, then
    lengths and words of text items and the size of images); anything else goes to the
    checker. None: no such test, the checker always runs.
    """
    if field.max_items is not None:
        return None
    text_rules = []
    if field.max_length is not None:
        text_rules.append(f"len(v) > {field.max_length:d}")
    if field.enum is not None:
        text_rules.append(f"v not in {out.name(field.enum, 'allowed')}")
    kind = field.kind
    if kind in ("text", "enum"):
        return " or ".join(["type(v) is not str", *text_rules])
    if kind in ("url", "datetime"):
        pattern = out.name(URL if kind == "url" else DATETIME, "pattern")
        return " or ".join(["type(v) is not str", *text_rules, f"{pattern}.match(v) is None"])
    if kind == "price":
        amount = "v.amount <= 0" if field.positive else "v.amount < 0"
        return f"type(v) is not {out.name(Price, 'Price')} or {amount}"
    if kind == "measure":
        return f"type(v) is not {out.name(Measure, 'Measure')} or v.amount < 0"
    if kind == "image":
        # an image of unknown size passes the size rule
        return (f"type(v) is not {out.name(Image, 'Image')} or v.width is not None "
                f"or {out.name(URL, 'pattern')}.match(v.url) is None")
    return None


@dataclass(frozen=True)
class AttributeRead:
    """A source reading one attribute: first entry of the locale chain in the scope.

    `locales` is None for an attribute that is not localizable (entries without a locale);
    `typed` turns non-None data into the value (None: the data is the value).
    """

    code: str
    locales: tuple[str, ...] | None
    scope: str | None
    typed: Callable[[Any], Any] | None


@dataclass(frozen=True)
class PropertyRead:
    """A source returning one attribute of the resolved product as it is."""

    name: str


@dataclass(frozen=True)
class FixedValue:
    """A source returning the same value for every product."""

    value: Any


@dataclass(frozen=True)
class Template:
    """A source joining literals and placeholder values as text, spaces collapsed.

    Each piece is a literal and the source of the placeholder after it (None: no
    placeholder). The text is None when every placeholder gives an empty text.
    """

    pieces: tuple[tuple[str, Callable[[Any], Any] | None], ...]


@dataclass(frozen=True)
class TextStep:
    """A transform applying `apply` to a non-empty text (lists and others: the transform)."""

    apply: Callable[[str], str]


@dataclass(frozen=True)
class StockWords:
    """A transform turning a stock figure into one word or the other (see `availability`)."""

    in_stock: str
    out_of_stock: str


@dataclass(frozen=True)
class Then:
    """A source giving None for an empty value of `read`, else `then` of that value."""

    read: Callable[[Any], Any]
    then: Callable[[Any], Any]


@dataclass(frozen=True)
class Fallback:
    """A source trying `first`, then `other` when `first` gives an empty value."""

    first: Callable[[Any], Any]
    other: Callable[[Any], Any]


def described(read: Callable[[Any], Any], plan: Any) -> Callable[[Any], Any]:
    """Attach to a source function the plan the compiler writes out in its place."""
    read.plan = plan  # type: ignore[attr-defined]
    return read
