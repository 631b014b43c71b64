"""Shared checks for codes, labels and the other plain properties of reference data."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pim.catalog.types import Problem
from pim.catalog.types.base import check_text
from pim.errors import FieldError, ValidationError

CODE = re.compile(r"^[A-Za-z0-9_]{1,100}$")
LOCALE_CODE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]{2,8}){1,2}$")
# product property names that an attribute code may not take
RESERVED_CODES = frozenset({
    "id", "uuid", "identifier", "family", "family_variant", "parent", "categories", "groups",
    "enabled", "status", "values", "associations", "created", "updated", "label", "code",
    "completeness", "entity_type",
})


class Collector:
    """Gather every problem of one input, then raise them together."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str, message: str, **where: Any) -> None:
        self.errors.append(FieldError(field, message, **where))

    def extend(self, errors: Iterable[FieldError]) -> None:
        self.errors.extend(errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def check_keys(data: Any, allowed: set[str], errors: Collector, ignored: set[str] = frozenset()
               ) -> dict[str, Any]:
    """Refuse a non-object and unknown properties; return the object minus ignored keys."""
    if not isinstance(data, dict):
        errors.add("body", "expected a JSON object")
        return {}
    for key in data:
        if key not in allowed and key not in ignored:
            errors.add(str(key), f"property {key!r} does not exist")
    return {k: v for k, v in data.items() if k in allowed}


def check_code(value: Any, errors: Collector, field: str = "code") -> str | None:
    """Check a reference-data code: letters, digits and underscores, at most 100."""
    if not isinstance(value, str) or not CODE.match(value):
        errors.add(field, f"{value!r} is not a valid code (letters, digits, _; at most 100)")
        return None
    return value


def check_labels(value: Any, errors: Collector, field: str = "labels") -> dict[str, str]:
    """Check a {locale: label} object; empty labels are dropped."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.add(field, "labels are an object of {locale code: label}")
        return {}
    labels = {}
    for locale, label in value.items():
        if not isinstance(locale, str) or not LOCALE_CODE.match(locale):
            errors.add(field, f"{locale!r} is not a locale code")
            continue
        if label is None or label == "":
            continue
        try:
            text = check_text(label, what=f"label for {locale}")
        except Problem as exc:
            errors.add(field, str(exc), locale=locale)
            continue
        if len(text) > 255:
            errors.add(field, "a label has at most 255 characters", locale=locale)
            continue
        labels[locale] = text
    return dict(sorted(labels.items()))


def check_bool(value: Any, errors: Collector, field: str) -> bool | None:
    if not isinstance(value, bool):
        errors.add(field, f"{field} must be true or false")
        return None
    return value


def check_code_list(value: Any, errors: Collector, field: str) -> list[str]:
    """Check a list of distinct strings."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.add(field, f"{field} must be a list of codes")
        return []
    if len(set(value)) != len(value):
        errors.add(field, f"{field} lists a code twice")
    return list(dict.fromkeys(value))
