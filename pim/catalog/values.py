"""Product values in Akeneo's shape: validate, normalize, merge, flatten."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pim.catalog.structure_cache import StructureCache
from pim.catalog.types import Problem, type_for
from pim.errors import FieldError

Values = dict[str, list[dict[str, Any]]]
ENTRY_KEYS = {"locale", "scope", "data"}


def value_key(attribute: str, locale: str | None, scope: str | None) -> str:
    """Return the flat key of a value: `<attribute>[-<locale>][-<channel>]`."""
    if locale:
        return f"{attribute}-{locale}-{scope}" if scope else f"{attribute}-{locale}"
    return f"{attribute}-{scope}" if scope else attribute


def flatten_values(values: Values) -> dict[str, Any]:
    """Turn values into {flat key: data}."""
    flat = {}
    for code, entries in values.items():
        for entry in entries:
            flat[value_key(code, entry.get("locale"), entry.get("scope"))] = entry["data"]
    return flat


def get_value(values: Values, code: str, locale: str | None, scope: str | None) -> Any:
    """Return the data of one value, or None."""
    for entry in values.get(code, ()):
        if entry.get("locale") == locale and entry.get("scope") == scope:
            return entry["data"]
    return None


def merge_values(current: Values, changes: Values) -> Values:
    """Apply `changes` onto `current`: given keys replace, null data removes, rest stays."""
    merged = {code: list(entries) for code, entries in current.items()}
    for code, entries in changes.items():
        kept = {(e["locale"], e["scope"]): e for e in merged.get(code, [])}
        for entry in entries:
            slot = (entry["locale"], entry["scope"])
            if entry["data"] is None:
                kept.pop(slot, None)
            else:
                kept[slot] = entry
        merged[code] = _sorted(kept.values())
        if not merged[code]:
            del merged[code]
    return dict(sorted(merged.items()))


def _sorted(entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(entries, key=lambda e: (e["locale"] or "", e["scope"] or ""))


def without_empty(values: Values) -> Values:
    """Drop entries whose data is null (a full replace does not store clears)."""
    cleaned = {}
    for code, entries in values.items():
        if len(entries) == 1:  # most attributes: nothing to sort
            if entries[0]["data"] is not None:
                cleaned[code] = [entries[0]]
            continue
        kept = [e for e in entries if e["data"] is not None]
        if kept:
            cleaned[code] = _sorted(kept)
    return dict(sorted(cleaned.items()))


class ValuesValidator:
    """Check values against attributes, locales and channels; collect every problem."""

    def __init__(self, cache: StructureCache) -> None:
        self.cache = cache
        self.types = cache.type_context()
        # the (attribute, locale, channel) places already found right: the structure does
        # not change under one validator, and a batch repeats its places
        self._places: set[tuple[str, Any, Any]] = set()
        # per attribute code: the attribute and its parser, its rules read once
        self._parsers: dict[Any, tuple[Any, Any]] = {}

    def validate(self, values: Any, allowed: set[str] | None = None, why: str = "") -> tuple[
        Values, list[FieldError]
    ]:
        """Return (normalized values, errors); data None in the result means remove."""
        if not isinstance(values, dict):
            return {}, [FieldError("values", "values must be an object keyed by attribute code")]
        normalized: Values = {}
        errors: list[FieldError] = []
        for code, entries in values.items():
            result = self._attribute_values(code, entries, allowed, why, errors)
            if result is not None:
                normalized[code] = result
        return normalized, errors

    def parser(self, code: Any) -> tuple[Any, Any]:
        """Return the attribute of `code` (None if there is none) and its parser."""
        found = self._parsers.get(code)
        if found is None:
            attribute = self.cache.attribute(code) if isinstance(code, str) else None
            parse = (type_for(attribute.type).parser(attribute, self.types)
                     if attribute is not None else None)
            found = self._parsers[code] = (attribute, parse)
        return found

    def _attribute_values(
        self, code: Any, entries: Any, allowed: set[str] | None, why: str, errors: list
    ) -> list[dict[str, Any]] | None:
        attribute, parse = self.parser(code)
        if attribute is None:
            errors.append(FieldError("values", f"attribute {code!r} does not exist", str(code)))
            return None
        if allowed is not None and code not in allowed:
            errors.append(FieldError("values", f"attribute {code!r} is not {why}", code))
            return None
        if not isinstance(entries, list):
            errors.append(FieldError("values", "expected a list of {locale, scope, data}", code))
            return None
        seen: set[tuple] | None = set() if len(entries) > 1 else None
        result = []
        for entry in entries:
            item = self._entry(attribute, parse, entry, seen, errors)
            if item is not None:
                result.append(item)
        return result

    def _entry(self, attribute: Any, parse: Any, entry: Any, seen: set | None, errors: list
               ) -> dict | None:
        code = attribute.code
        if not isinstance(entry, dict) or entry.keys() != ENTRY_KEYS:
            errors.append(FieldError(
                "values", 'each value is {"locale": ..., "scope": ..., "data": ...}', code))
            return None
        locale, scope = entry["locale"], entry["scope"]
        problem = self._place_problem(attribute, locale, scope)
        if seen is not None and problem is None:
            if (locale, scope) in seen:
                problem = "the same locale and channel are given twice"
            seen.add((locale, scope))
        if problem:
            errors.append(FieldError("values", problem, code, _text(locale), _text(scope)))
            return None
        try:
            data = parse(entry["data"])
        except Problem as exc:
            errors.append(FieldError(
                "values", str(exc), code, locale, scope, _short(entry["data"])))
            return None
        return {"locale": locale, "scope": scope, "data": data}

    def place_fits(self, attribute: Any, locale: Any, scope: Any) -> bool:
        """Tell whether a value of `attribute` may sit at this locale and channel."""
        return self._place_problem(attribute, locale, scope) is None

    def _place_problem(self, attribute: Any, locale: Any, scope: Any) -> str | None:
        # only places found right are remembered: an enabled locale and a channel are
        # strings, equal to no other value, so a remembered place is that very place
        key = (attribute.code, locale, scope)
        try:
            if key in self._places:
                return None
        except TypeError:  # a locale or channel that is not even hashable
            return self._where_problem(attribute, locale, scope)
        problem = self._where_problem(attribute, locale, scope)
        if problem is None:
            self._places.add(key)
        return problem

    def _where_problem(self, attribute: Any, locale: Any, scope: Any) -> str | None:
        if attribute.localizable:
            if not isinstance(locale, str) or locale not in self.cache.locales:
                return f"locale {locale!r} is not an enabled locale"
        elif locale is not None:
            return "this attribute is not localizable: locale must be null"
        if attribute.scopable:
            channel = self.cache.channels.get(scope) if isinstance(scope, str) else None
            if channel is None:
                return f"channel {scope!r} does not exist"
            if attribute.localizable and locale not in channel.locales:
                return f"locale {locale} is not activated for channel {scope}"
        elif scope is not None:
            return "this attribute is not scopable: scope must be null"
        available = attribute.prop("available_locales")
        if available and locale not in available:
            return f"locale {locale} is not available for this attribute"
        return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else (None if value is None else repr(value))


def _short(data: Any) -> Any:
    if isinstance(data, str):
        # the value goes back into error messages: keep it short and encodable
        text = data.encode("utf-8", "replace").decode("utf-8")
        return text[:80] + "…" if len(text) > 80 else text
    return data
