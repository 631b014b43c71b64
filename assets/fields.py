"""The merchant-editable fields of an asset: codes, localized texts, tags, focal point."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from pim.errors import FieldError

CODE = re.compile(r"^\w{1,255}$")
LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]{2,8})*$")
MAX_TEXT = 2000
MAX_TAG = 100
MAX_TAGS = 100


def code_errors(code: Any) -> list[FieldError]:
    """Check an asset code: letters, digits and underscores of any script, 1..255."""
    if not isinstance(code, str) or not CODE.match(code):
        return [FieldError("code", "use 1 to 255 letters, digits or underscores", value=code)]
    return []


def code_from_filename(filename: str) -> str:
    """Derive an asset code from a file name: `Żółw pink.JPG` -> `Żółw_pink`."""
    stem = unicodedata.normalize("NFC", PurePosixPath(filename.replace("\\", "/")).stem)
    code = re.sub(r"\W+", "_", stem).strip("_")[:200]
    return code or "asset"


def clean_texts(field: str, value: Any, current: Mapping[str, Any]) -> tuple[dict, list]:
    """Merge a {locale: text} patch into `current`; None or "" removes a locale."""
    if not isinstance(value, Mapping):
        return dict(current), [FieldError(field, "expected an object of locale: text")]
    merged, errors = dict(current), []
    for locale, text in value.items():
        if not isinstance(locale, str) or not LOCALE.match(locale):
            errors.append(FieldError(field, f"{locale!r} is not a locale code", locale=locale))
        elif text is None or text == "":
            merged.pop(locale, None)
        elif not isinstance(text, str):
            errors.append(FieldError(field, "expected a text", locale=locale, value=text))
        elif len(text) > MAX_TEXT or "\x00" in text:
            errors.append(FieldError(field, f"at most {MAX_TEXT} characters, no NUL",
                                     locale=locale))
        else:
            merged[locale] = unicodedata.normalize("NFC", text.strip())
    return merged, errors


def clean_tags(value: Any) -> tuple[list[str], list[FieldError]]:
    """Normalize a list of tags (trimmed, NFC, unique, sorted)."""
    if not isinstance(value, list | tuple):
        return [], [FieldError("tags", "expected a list of texts")]
    tags, errors = set(), []
    for tag in value:
        text = unicodedata.normalize("NFC", tag.strip()) if isinstance(tag, str) else None
        if not text or len(text) > MAX_TAG or "\x00" in text:
            errors.append(FieldError("tags", f"each tag is a text of 1 to {MAX_TAG} characters",
                                     value=tag))
        else:
            tags.add(text)
    if len(tags) > MAX_TAGS:
        errors.append(FieldError("tags", f"at most {MAX_TAGS} tags"))
    return sorted(tags), errors


def clean_focal_point(value: Any) -> tuple[tuple[float, float] | None, list[FieldError]]:
    """Read {"x": 0..1, "y": 0..1} (or None to clear it)."""
    if value is None:
        return None, []
    if not isinstance(value, Mapping) or set(value) != {"x", "y"}:
        return None, [FieldError("focal_point", 'expected {"x": 0..1, "y": 0..1} or null')]
    errors, point = [], []
    for axis in ("x", "y"):
        number = value[axis]
        if isinstance(number, bool) or not isinstance(number, int | float) or not (
            0 <= number <= 1
        ):
            errors.append(FieldError(f"focal_point.{axis}", "expected a number from 0 to 1",
                                     value=number))
        else:
            point.append(float(number))
    return (None if errors else (point[0], point[1])), errors


def search_words(*parts: Any) -> str:
    """Fold texts, dicts of texts and lists into one casefolded string for `contains` search."""
    words: list[str] = []
    for part in parts:
        if isinstance(part, Mapping):
            words.extend(str(v) for v in part.values() if v)
        elif isinstance(part, list | tuple):
            words.extend(str(v) for v in part if v)
        elif part:
            words.append(str(part))
    return unicodedata.normalize("NFC", " ".join(words)).casefold()
