"""Cell text to value data, per attribute type, the way Akeneo's CSV files write it.

Booleans are 1/0, lists (multi selects, asset collections, linked products) are
comma-separated, prices take one column per currency and measurements an amount column
plus a `-unit` column. An empty cell is "no value": it clears a value on update
and is left out on create, so importing the same file twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# yes and no as suppliers write them (English, German, French, Spanish, Polish, Russian)
TRUE = frozenset({"1", "true", "yes", "y", "on", "ja", "oui", "sí", "si", "tak", "да"})
FALSE = frozenset({"0", "false", "no", "n", "off", "nein", "non", "nie", "нет"})
LIST_TYPES = frozenset({"pim_catalog_multiselect", "pim_catalog_asset_collection",
                        "pim_catalog_product_link"})
TEXT_TYPES = frozenset({"pim_catalog_identifier", "pim_catalog_text", "pim_catalog_textarea",
                        "pim_catalog_url"})
MEDIA_TYPES = frozenset({"pim_catalog_image", "pim_catalog_file"})
PRICE = "pim_catalog_price_collection"
METRIC = "pim_catalog_metric"
BOOLEAN = "pim_catalog_boolean"


class CellProblem(ValueError):
    """A cell whose text cannot be read as the data its column wants."""


def parse_bool(text: str) -> bool | None:
    """Read 1/0 (also true/false, yes/no); an empty cell is None."""
    word = text.strip().lower()
    if not word:
        return None
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    raise CellProblem(f"expected 1 or 0 (yes or no), got {text!r}")


def split_list(text: str) -> list[str]:
    """Split a comma-separated cell into its trimmed, non-empty items."""
    return [item.strip() for item in text.split(",") if item.strip()]


def is_blank(data: Any) -> bool:
    """Tell whether cell data means "no value"."""
    return data is None or data == ""


def cell_data(type_code: str, text: str) -> Any:
    """Turn one cell into the data of an attribute of `type_code` (blank when empty).

    Text types take "" for an empty cell (their types read "" as "no value" and refuse
    None); the others take None.
    """
    if type_code in TEXT_TYPES:
        return text if text.strip() else ""
    if not text.strip():
        return None
    if type_code == BOOLEAN:
        return parse_bool(text)
    if type_code in LIST_TYPES:
        return split_list(text) or None
    return text.strip()


@dataclass(frozen=True)
class ValueColumn:
    """A column that feeds one value: attribute, locale, channel, and which part of it."""

    column: str
    attribute: str
    type: str
    locale: str | None = None
    scope: str | None = None
    # "data"; "unit" for a measurement's unit; a currency code for one price
    part: str = "data"

    @property
    def slot(self) -> tuple[str, str | None, str | None]:
        return self.attribute, self.locale, self.scope


TEXT, PLAIN, FLAG, LIST = range(4)


def _kind(type_code: str) -> int:
    if type_code in TEXT_TYPES:
        return TEXT
    if type_code == BOOLEAN:
        return FLAG
    return LIST if type_code in LIST_TYPES else PLAIN


class ValuePlan:
    """The value columns of a file, compiled once, reading each row's cells into values."""

    def __init__(self, columns: list[ValueColumn]) -> None:
        # a blank cell reads the same in every row: its entry is made once and shared
        # (entries are never changed in place; a change makes a new one)
        self.simple = [(c.column, c.attribute, c.locale, c.scope, _kind(c.type),
                        {"locale": c.locale, "scope": c.scope,
                         "data": "" if _kind(c.type) == TEXT else None})
                       for c in columns if c.type not in (PRICE, METRIC)]
        self.prices: dict[tuple, list[tuple[str, str]]] = {}
        self.metrics: dict[tuple, dict[str, str]] = {}
        for c in columns:
            if c.type == PRICE:
                self.prices.setdefault(c.slot, []).append((c.part, c.column))
            elif c.type == METRIC:
                self.metrics.setdefault(c.slot, {})[c.part] = c.column
        for parts in self.prices.values():
            parts.sort()

    def read(self, cells: dict[str, str], blanks: bool = True
             ) -> tuple[dict[str, list], list[tuple[str, str, str]]]:
        """Return the row's values in Akeneo's shape and the cells that cannot be read.

        Without `blanks`, empty cells give no entry (for a row that can only create).
        """
        values: dict[str, list[dict[str, Any]]] = {}
        problems: list[tuple[str, str, str]] = []
        cell = cells.get
        for column, code, locale, scope, kind, blank in self.simple:
            text = cell(column, "")
            stripped = text.strip() if text else text
            if not stripped:
                if not blanks:
                    continue
                entry = blank
            else:
                if kind == TEXT:
                    data: Any = text
                elif kind == PLAIN:
                    data = stripped
                elif kind == LIST:
                    data = split_list(text) or None
                else:
                    try:
                        data = parse_bool(text)
                    except CellProblem as exc:
                        problems.append((column, str(exc), text))
                        continue
                entry = {"locale": locale, "scope": scope, "data": data}
            found = values.get(code)
            if found is None:
                values[code] = [entry]
            else:
                found.append(entry)
        for (code, locale, scope), parts in self.prices.items():
            amounts = [{"amount": amount, "currency": currency} for currency, column in parts
                       if (amount := cells.get(column, "").strip())]
            if amounts or blanks:
                _put(values, code, locale, scope, amounts or None)
        for (code, locale, scope), parts in self.metrics.items():
            amount = cells.get(parts.get("data", ""), "").strip()
            unit = cells.get(parts.get("unit", ""), "").strip()
            if amount or blanks:
                _put(values, code, locale, scope,
                     {"amount": amount, "unit": unit or None} if amount else None)
        return values, problems


def _put(values: dict[str, list], code: str, locale: str | None, scope: str | None,
         data: Any) -> None:
    _add(values, code, {"locale": locale, "scope": scope, "data": data})


def _add(values: dict[str, list], code: str, entry: dict[str, Any]) -> None:
    found = values.get(code)
    if found is None:
        values[code] = [entry]
    else:
        found.append(entry)
