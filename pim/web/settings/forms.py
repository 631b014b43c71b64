"""Reading settings forms: labels per locale, checkbox lists, tri-state flags, errors."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from pim.catalog import services as s
from pim.errors import ValidationError

FLAG_PROPS = ("decimals_allowed", "negative_allowed", "wysiwyg_enabled", "auto_option_sorting")
LIST_PROPS = ("allowed_extensions", "available_locales")


def label_locales(db: Session) -> list[str]:
    """Return the locales labels are edited in: the enabled ones, else every known one."""
    locales = [loc.code for loc in s.list_locales(db, enabled=True)]
    return locales or [loc.code for loc in s.list_locales(db)] or ["en_US"]


def read_labels(form: MultiDict, locales: list[str]) -> dict[str, str]:
    """Read `label.<locale>` inputs; empty ones remove that label."""
    return {locale: form.get(f"label.{locale}", "").strip() for locale in locales
            if f"label.{locale}" in form}


def comma_list(text: str) -> list[str]:
    """Split 'a, b c' into codes."""
    return [part for part in text.replace(",", " ").split() if part]


def read_properties(form: MultiDict, names: tuple[str, ...]) -> dict[str, Any]:
    """Read `prop.<name>` inputs into attribute properties (None clears one)."""
    properties: dict[str, Any] = {}
    for name in names:
        key = f"prop.{name}"
        if key not in form:
            continue
        raw = form.get(key, "").strip()
        if name in FLAG_PROPS:
            properties[name] = {"true": True, "false": False}.get(raw)
        elif name in LIST_PROPS:
            properties[name] = comma_list(raw) or None
        else:
            properties[name] = raw or None
    return properties


def error_map(exc: ValidationError) -> dict[str, str]:
    """Return the errors of a refused input keyed by field."""
    errors: dict[str, str] = {}
    for error in exc.errors:
        errors[error.field] = f"{errors[error.field]}; {error.message}" \
            if error.field in errors else error.message
    return errors
