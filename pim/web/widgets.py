"""Editor widgets per attribute type: which macro draws the input, how to read it back.

Each slot of a value (attribute, locale, channel) posts under the name
`v.<attribute>.<locale or ~>.<channel or ~>`; a widget with several inputs adds a suffix
(`.amount`, `.unit`, `.<currency>`). A hidden `field` input lists every slot the form
drew, so an empty multi-select or a cleared value still reaches the server.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from werkzeug.datastructures import MultiDict

from pim.catalog.values import value_key

NONE = "~"
Reader = Callable[[MultiDict, str, Any], Any]


@dataclass(frozen=True)
class Widget:
    """How one attribute type is edited: the macro drawing it and the reader of its inputs."""

    macro: str
    read: Reader


WIDGETS: dict[str, Widget] = {}


def widget(*type_codes: str, macro: str) -> Callable[[Reader], Reader]:
    """Register a reader (and its macro) for attribute types."""

    def register(read: Reader) -> Reader:
        for code in type_codes:
            WIDGETS[code] = Widget(macro, read)
        return read

    return register


def widget_for(type_code: str) -> Widget | None:
    """Return the widget editing `type_code`, or None when the UI cannot edit it."""
    return WIDGETS.get(type_code)


def slot_key(code: str, locale: str | None, scope: str | None) -> str:
    """Return the form key of one value slot."""
    return ".".join((code, locale or NONE, scope or NONE))


def parse_slot_key(key: str) -> tuple[str, str | None, str | None] | None:
    """Split a form key back into (attribute, locale, channel); None when malformed."""
    parts = key.split(".")
    if len(parts) != 3 or not all(parts):
        return None
    code, locale, scope = parts
    return code, None if locale == NONE else locale, None if scope == NONE else scope


def input_name(code: str, locale: str | None, scope: str | None) -> str:
    """Return the input name of one value slot."""
    return "v." + slot_key(code, locale, scope)


def anchor(code: str, locale: str | None, scope: str | None) -> str:
    """Return the element id of a slot's input, the target of completeness links."""
    return "f-" + value_key(code, locale, scope)


def _blank(text: str) -> bool:
    return text.strip() == ""


# Text types take "" (not null) to clear a value: their parsers accept strings only.
@widget("pim_catalog_text", "pim_catalog_url", macro="text")
def read_text(form: MultiDict, name: str, attribute: Any) -> str:
    value = form.get(name, "")
    return "" if _blank(value) else value


@widget("pim_catalog_textarea", macro="textarea")
def read_textarea(form: MultiDict, name: str, attribute: Any) -> str:
    value = form.get(name, "").replace("\r\n", "\n")
    return "" if _blank(value) else value


@widget("pim_catalog_number", macro="number")
def read_number(form: MultiDict, name: str, attribute: Any) -> str | None:
    value = form.get(name, "").strip()
    return value or None


@widget("pim_catalog_date", macro="date")
def read_date(form: MultiDict, name: str, attribute: Any) -> str | None:
    value = form.get(name, "").strip()
    return value or None


@widget("pim_catalog_file", "pim_catalog_image", macro="file")
def read_file(form: MultiDict, name: str, attribute: Any) -> str | None:
    value = form.get(name, "").strip()
    return value or None


@widget("pim_catalog_metric", macro="metric")
def read_metric(form: MultiDict, name: str, attribute: Any) -> dict[str, str] | None:
    amount = form.get(name + ".amount", "").strip()
    if not amount:
        return None
    unit = form.get(name + ".unit", "") or attribute.prop("default_metric_unit")
    return {"amount": amount, "unit": unit}


@widget("pim_catalog_price_collection", macro="prices")
def read_prices(form: MultiDict, name: str, attribute: Any) -> list[dict[str, str]] | None:
    prices = []
    for key in form:
        if key.startswith(name + ".") and form.get(key, "").strip():
            prices.append({"amount": form[key].strip(), "currency": key[len(name) + 1:]})
    return sorted(prices, key=lambda p: p["currency"]) or None


@widget("pim_catalog_boolean", macro="boolean")
def read_boolean(form: MultiDict, name: str, attribute: Any) -> bool | str | None:
    value = form.get(name, "")
    if value == "":
        return None
    return {"true": True, "false": False}.get(value, value)


@widget("pim_catalog_simpleselect", macro="select")
def read_select(form: MultiDict, name: str, attribute: Any) -> str | None:
    return form.get(name) or None


@widget("pim_catalog_multiselect", macro="multiselect")
def read_multiselect(form: MultiDict, name: str, attribute: Any) -> list[str] | None:
    return [code for code in form.getlist(name) if code] or None


@widget("pim_catalog_asset_collection", macro="assets")
def read_assets(form: MultiDict, name: str, attribute: Any) -> list[str] | None:
    codes = [code for code in form.getlist(name) if code]
    return list(dict.fromkeys(codes)) or None


@widget("pim_catalog_product_link", macro="links")
def read_links(form: MultiDict, name: str, attribute: Any) -> list[str] | None:
    return [part for part in re.split(r"[\s,;]+", form.get(name, "")) if part] or None


def display_text(data: Any) -> str:
    """Return how a widget shows stored data in a plain text input."""
    if data is None:
        return ""
    if isinstance(data, list):
        return ", ".join(str(item) for item in data)
    return str(data)
