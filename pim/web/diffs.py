"""Readable diffs: value keys in words, values formatted by type, text changes word by word."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from pim.catalog.types import Problem, type_for
from pim.catalog.types.text import strip_html

WORDS = re.compile(r"\S+")
TEXT_TYPES = ("pim_catalog_text", "pim_catalog_textarea", "pim_catalog_identifier")


@dataclass(frozen=True)
class ChangeLine:
    """One changed key of a diff, ready to show."""

    key: str
    attribute: str
    where: str
    old: Markup
    new: Markup
    inline: Markup | None


def describe_key(key: str) -> tuple[str, str]:
    """Split a flat value key into its attribute and its locale/channel qualifiers."""
    code, *rest = key.split("-")
    return code, " · ".join(rest)


def plain(data: Any, type_code: str | None) -> str:
    """Format data of an attribute type as plain text."""
    if data is None:
        return ""
    if type_code == "pim_catalog_textarea" and isinstance(data, str):
        return strip_html(data)
    if type_code:
        try:
            return type_for(type_code).format(data)
        except (Problem, KeyError, TypeError, AttributeError):
            pass
    if isinstance(data, list):
        return ", ".join(str(item) for item in data)
    return "yes" if data is True else "no" if data is False else str(data)


def word_diff(old: str, new: str) -> Markup:
    """Mark up the words removed from `old` and added in `new`."""
    a, b = WORDS.findall(old), WORDS.findall(new)
    parts: list[Markup] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(Markup("<del>%s</del>") % " ".join(a[i1:i2]))
        if j2 > j1:
            parts.append(Markup("<ins>%s</ins>") % " ".join(b[j1:j2]))
    return Markup(" ").join(parts)


def change_lines(changes: dict[str, dict[str, Any]], types: dict[str, str]
                 ) -> list[ChangeLine]:
    """Turn {key: {old, new}} into lines with formatted values and word diffs."""
    lines = []
    for key, change in sorted(changes.items()):
        code, where = describe_key(key)
        type_code = types.get(code)
        old, new = plain(change.get("old"), type_code), plain(change.get("new"), type_code)
        inline = None
        if type_code in TEXT_TYPES and old and new:
            inline = word_diff(old, new)
        lines.append(ChangeLine(key, code, where, escape(old), escape(new), inline))
    return lines
