"""The values of a new product, checked in one pass when nothing is wrong with them.

A row that creates a product goes through `fit_values` (blank cells dropped, GTINs,
media, values left to the product model), the catalog's `ValuesValidator`, then
`without_empty`. For the rows that break no rule, `CreationValues` gives the same values
in one pass over the cells: each attribute's place is checked once by the validator and
its data parsed by the attribute type's own parser. The first cell that needs more (a
place or a value the validator would refuse, a media file, a value left to the model)
sends the whole row through the steps above instead, which word every problem; what
the pass had noted is taken back first. `CreationValues.check_cells` runs the same pass
straight from a file's cells, each column's place looked up once per file, for a reader
that leaves the values unread (`pim.imports.ahead`). `tests/imports/test_creation.py`
holds the ways to the same result.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from pim.catalog.types import Problem
from pim.catalog.values import ENTRY_KEYS, Values, ValuesValidator, without_empty
from pim.errors import FieldError
from pim.imports.cells import (
    LIST,
    MEDIA_TYPES,
    PLAIN,
    TEXT,
    CellProblem,
    ValuePlan,
    parse_bool,
    split_list,
)
from pim.imports.fitting import SELECTS, check_gtin, fit_values, holds_gtin
from pim.imports.items import Item
from pim.imports.writing import WriteContext

# how a new entity's non-blank values of an attribute are fitted
KEEP, GTIN, ALONE = range(3)


class _Slow(Exception):
    """A cell the one-pass check leaves to the full steps."""


class _Attribute:
    """What the one pass knows of one attribute at one place, for one kind of entity."""

    __slots__ = ("attribute", "gtin", "parse")

    def __init__(self, attribute: Any, gtin: bool, parse: Any) -> None:
        self.attribute = attribute
        self.gtin = gtin
        self.parse = parse


class CreationValues:
    """Fit and check the values of new entities of one kind (a family or a variant level)."""

    def __init__(self, cache: Any, validator: ValuesValidator, allowed: set[str] | None,
                 why: str, under_parent: bool, ctx: WriteContext) -> None:
        self.cache = cache
        self.validator = validator
        self.allowed = allowed
        self.why = why
        self.under_parent = under_parent
        self.ctx = ctx
        # (attribute, locale, channel) -> what the one pass needs there; None: slow
        self._places: dict[tuple[Any, Any, Any], _Attribute | None] = {}
        # the one pass from a file's cells, per value plan (None: it cannot be compiled)
        self._cell_passes: dict[ValuePlan, _CellPass | None] = {}

    def check(self, session: Session, item: Item, values: Any, parent: Any,
              own: dict[str, list] | None = None) -> tuple[Values, list[FieldError]]:
        """Return the values a new entity keeps (sorted, none empty) and what is wrong;
        `own` adds entries the entity sets itself (its identifier)."""
        warned = len(item.warnings)
        try:
            kept = self._one_pass(item, values)
        except _Slow:
            del item.warnings[warned:]  # said again by the full steps
            fitted = self.fit(session, item, values, parent)
            changes, errors = self.validator.validate(fitted, self.allowed, self.why)
            return without_empty({**changes, **(own or {})}), errors
        if own:
            kept.update(own)
        return dict(sorted(kept.items())), []

    def check_cells(self, item: Item, cells: dict[str, str], plan: ValuePlan,
                    own: dict[str, list] | None = None) -> Values | None:
        """Return the values `check` gives for the values `plan` reads from `cells`
        (blank cells left out), when the one pass answers for every cell and the reading
        refuses none; None when the full steps are needed (the reading, then `check`)."""
        if plan not in self._cell_passes:
            self._cell_passes[plan] = _CellPass.of(self, plan)
        cell_pass = self._cell_passes[plan]
        if cell_pass is None:
            return None
        warned = len(item.warnings)
        try:
            kept = cell_pass.read(item, cells)
        except _Slow:
            del item.warnings[warned:]  # said again by the full steps
            return None
        if own:
            kept.update(own)
        return dict(sorted(kept.items()))

    def fit(self, session: Session, item: Item, values: dict[str, list], parent: Any
            ) -> dict[str, list]:
        """Return `fit_values` of the filled values: what a new entity keeps of them."""
        fitted: dict[str, list] = {}
        for code, entries in values.items():
            entries = [e for e in entries if e["data"] is not None and e["data"] != ""]
            if not entries:
                continue
            kind = self._kind(code)
            if kind == ALONE:
                fitted.update(fit_values(session, item, {code: entries}, self.allowed, parent,
                                         self.ctx, self.cache))
                continue
            if kind == GTIN:
                check_gtin(item, self.cache.attribute(code), entries)
            fitted[code] = entries
        return fitted

    def _kind(self, code: str) -> int:
        attribute = self.cache.attribute(code)
        if attribute is None:
            return KEEP  # the validator names it
        if self.allowed is not None and code not in self.allowed and self.under_parent:
            return ALONE  # left to the model: compared with it
        if attribute.type in MEDIA_TYPES or (
                attribute.type in SELECTS and self.ctx.create_missing_options):
            return ALONE
        return GTIN if holds_gtin(attribute.code) else KEEP

    # ---- the one pass ---------------------------------------------------------------------

    def _one_pass(self, item: Item, values: Any) -> dict[str, list]:
        if not isinstance(values, dict):
            raise _Slow
        kept: dict[str, list] = {}
        try:
            for code, entries in values.items():
                if len(entries) == 1:  # most attributes: one cell, most of them blank
                    entry = entries[0]
                    data = entry["data"]
                    if data is not None and data != "":
                        checked = self._entry(item, code, entry, data)
                        if checked is not None:
                            kept[code] = [checked]
                    continue
                found = self._entries(item, code, entries)
                if found:
                    kept[code] = found
        except (TypeError, KeyError, IndexError):  # not even shaped as values: said slowly
            raise _Slow from None
        return kept

    def _entries(self, item: Item, code: Any, entries: list[Any]) -> list[dict[str, Any]]:
        if not isinstance(entries, list):
            raise _Slow
        found = []
        filled = 0
        for entry in entries:
            data = entry["data"]
            if data is None or data == "":
                continue
            filled += 1
            checked = self._entry(item, code, entry, data)
            if checked is not None:
                found.append(checked)
        return _distinct_places(entries, found) if filled > 1 else found

    def _entry(self, item: Item, code: Any, entry: dict[str, Any], data: Any
               ) -> dict[str, Any] | None:
        # the caller read its "data": three keys are the ENTRY_KEYS, or a KeyError here
        if type(entry) is not dict or len(entry) != len(ENTRY_KEYS):
            raise _Slow
        where = (code, entry["locale"], entry["scope"])
        try:
            known = self._places[where]
        except KeyError:
            known = self.known(*where)
        except TypeError:  # a locale or channel that is not even hashable
            raise _Slow from None
        if known is None:
            raise _Slow
        if known.gtin:
            check_gtin(item, known.attribute, [entry])
        try:
            parsed = known.parse(data)
        except Problem:
            raise _Slow from None
        return None if parsed is None else {"locale": where[1], "scope": where[2],
                                            "data": parsed}

    def known(self, code: Any, locale: Any, scope: Any) -> _Attribute | None:
        """What the one pass needs of an attribute at a place, if it may take it there
        (worked out once per place)."""
        where = (code, locale, scope)
        if where not in self._places:
            self._places[where] = self._known(code, locale, scope)
        return self._places[where]

    def _known(self, code: Any, locale: Any, scope: Any) -> _Attribute | None:
        if not isinstance(code, str):
            return None
        attribute, parse = self.validator.parser(code)
        if attribute is None or (self.allowed is not None and code not in self.allowed):
            return None
        kind = self._kind(code)
        if kind == ALONE or not self.validator.place_fits(attribute, locale, scope):
            return None
        return _Attribute(attribute, kind == GTIN, parse)


# a column whose place the pass has not looked up yet (no row of the file filled it)
_UNSEEN = object()


class _CellPass:
    """The one pass compiled for the value columns of one file: each column's place is
    looked up once per file (when a row first fills it), and a row's cells become kept
    entries with no values read first. What the pass notes (GTIN warnings) comes out in
    the order of the plan's values: by attribute, as each is first filled, then by
    column."""

    __slots__ = ("metrics", "prices", "simple", "values")

    def __init__(self, values: CreationValues, simple: list[list[Any]],
                 prices: list[list[Any]], metrics: list[list[Any]]) -> None:
        self.values = values
        # [column, attribute, locale, channel, kind, what the pass knows there]
        self.simple = simple
        # [attribute, locale, channel, [(currency, column)], what the pass knows]
        self.prices = prices
        # [attribute, locale, channel, amount column, unit column, what the pass knows]
        self.metrics = metrics

    @classmethod
    def of(cls, values: CreationValues, plan: ValuePlan) -> _CellPass | None:
        """Compile the pass; None if two columns fill one place (the validator words it)."""
        simple = [[column, code, locale, scope, kind, _UNSEEN]
                  for column, code, locale, scope, kind, _blank in plan.simple]
        prices = [[code, locale, scope, parts, _UNSEEN]
                  for (code, locale, scope), parts in plan.prices.items()]
        metrics = [[code, locale, scope, parts.get("data", ""), parts.get("unit", ""), _UNSEEN]
                   for (code, locale, scope), parts in plan.metrics.items()]
        places = [(c[1], c[2], c[3]) for c in simple] + [(c[0], c[1], c[2])
                                                         for c in prices + metrics]
        return cls(values, simple, prices, metrics) if len(set(places)) == len(places) else None

    def read(self, item: Item, cells: dict[str, str]) -> dict[str, list]:
        """Return the kept values of a row's cells; raise _Slow for the full steps."""
        kept: dict[str, list] = {}
        gtins: list[tuple[str, Any, dict[str, Any]]] = []
        cell = cells.get
        for place in self.simple:
            column, code, locale, scope, kind, known = place
            text = cell(column, "")
            if not text:
                continue
            stripped = text.strip()
            if not stripped:
                continue
            if kind == TEXT:
                data: Any = text
            elif kind == PLAIN:
                data = stripped
            elif kind == LIST:
                data = split_list(text)
                if not data:
                    continue  # no value, as a blank cell
            else:
                try:
                    data = parse_bool(text)
                except CellProblem:
                    raise _Slow from None  # a cell the reading refuses
            if known is _UNSEEN:
                known = place[5] = self.values.known(code, locale, scope)
            self._keep(kept, gtins, known, code, locale, scope, data)
        for place in self.prices:
            code, locale, scope, parts, known = place
            amounts = [{"amount": amount, "currency": currency} for currency, column in parts
                       if (amount := cell(column, "").strip())]
            if amounts:
                if known is _UNSEEN:
                    known = place[4] = self.values.known(code, locale, scope)
                self._keep(kept, gtins, known, code, locale, scope, amounts)
        for place in self.metrics:
            code, locale, scope, amount_column, unit_column, known = place
            amount = cell(amount_column, "").strip()
            if amount:
                if known is _UNSEEN:
                    known = place[5] = self.values.known(code, locale, scope)
                unit = cell(unit_column, "").strip()
                self._keep(kept, gtins, known, code, locale, scope,
                           {"amount": amount, "unit": unit or None})
        for entries in kept.values():
            if len(entries) > 1:  # as `without_empty` sorts them
                entries.sort(key=lambda e: (e["locale"] or "", e["scope"] or ""))
        if gtins:
            _check_gtins(item, gtins)
        return kept

    @staticmethod
    def _keep(kept: dict[str, list], gtins: list[tuple[str, Any, dict[str, Any]]],
              known: _Attribute | None, code: str, locale: Any, scope: Any, data: Any
              ) -> None:
        if known is None:
            raise _Slow
        if known.gtin:
            gtins.append((code, known.attribute,
                          {"locale": locale, "scope": scope, "data": data}))
        try:
            parsed = known.parse(data)
        except Problem:
            raise _Slow from None
        if parsed is not None:
            kept.setdefault(code, []).append({"locale": locale, "scope": scope, "data": parsed})


def _check_gtins(item: Item, gtins: list[tuple[str, Any, dict[str, Any]]]) -> None:
    """Check GTINs as the one pass over values does: by attribute, in the order each was
    first filled, then by column."""
    first: dict[str, int] = {}
    for number, (code, _, _) in enumerate(gtins):
        first.setdefault(code, number)
    for _, attribute, entry in sorted(gtins, key=lambda g: first[g[0]]):
        check_gtin(item, attribute, [entry])


def _distinct_places(entries: list[dict[str, Any]], found: list[dict[str, Any]]
                     ) -> list[dict[str, Any]]:
    """Sort an attribute's kept entries as `without_empty` does; a place filled twice is
    for the validator to word."""
    places = [(e["locale"], e["scope"]) for e in entries
              if e["data"] is not None and e["data"] != ""]
    if len(set(places)) != len(places):
        raise _Slow
    return sorted(found, key=lambda e: (e["locale"] or "", e["scope"] or ""))
