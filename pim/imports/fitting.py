"""Fit a row's values to where they land: its family, its level, its media, its options.

A CSV holds a column for every attribute of every family; an empty cell of an attribute
the entity cannot have is simply no value. Akeneo's exports repeat a product model's
values on each of its variants: those are left to the model (as Akeneo does), with a
warning when the row says something else than the model.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from stdnum import ean as gtin

from pim.catalog import services as s
from pim.catalog.codes import CODE
from pim.catalog.models import Family, FamilyVariant, ProductModel
from pim.catalog.structure_cache import structure
from pim.catalog.types import Problem, type_for
from pim.catalog.variants import (
    allowed_attributes,
    level_attributes,
    merged_values,
    product_level,
)
from pim.errors import FieldError, NotFound
from pim.imports.cells import MEDIA_TYPES, is_blank
from pim.imports.items import Item
from pim.imports.writing import WriteContext

SELECTS = ("pim_catalog_simpleselect", "pim_catalog_multiselect")
GTIN_CODE = re.compile(r"(^|_)(ean|ean13|gtin|gtin13|upc|barcode)(_|$)", re.IGNORECASE)


@lru_cache(maxsize=4096)
def holds_gtin(code: str) -> bool:
    """Tell whether an attribute code names a GTIN/EAN (whose check digit is checked)."""
    return GTIN_CODE.search(code) is not None


def _find(getter: Any, session: Session, code: Any) -> Any:
    if not isinstance(code, str) or not code:
        return None
    try:
        return getter(session, code)
    except NotFound:
        return None


def resolve_same_code(session: Session, item: Item, data: dict[str, Any], name: str, model: Any
               ) -> None:
    """Read a code written in another case, as Akeneo's case-blind lookups do; warn."""
    code = data.get(name)
    if not isinstance(code, str) or not code:
        return
    found = session.scalars(select(model.code).where(func.lower(model.code) == code.lower())
                            .order_by(model.code).limit(2)).all()
    if code in found or len(found) != 1:
        return
    data[name] = found[0]
    item.warn(name, f"{name} {code!r} was read as {found[0]!r} (the case differs)", code)


def fit_product(session: Session, item: Item, ctx: WriteContext) -> dict[str, Any]:
    """Return the product's data with only the values it may carry where it sits."""
    data = dict(item.data)
    resolve_same_code(session, item, data, "parent", ProductModel)
    resolve_same_code(session, item, data, "family", Family)
    existing = _find(s.get_product, session, item.key)
    parent = _find(s.get_product_model, session, data.get("parent")) or (
        existing.parent if existing is not None and "parent" not in data else None)
    family = _find(s.get_family, session, data.get("family")) or (
        existing.family if existing is not None else None)
    ident = structure(session).identifier_attribute
    ident_code = ident.code if ident else None
    if parent is not None:
        variant = parent.family_variant
        allowed = level_attributes(variant, product_level(variant), ident_code)
    else:
        allowed = allowed_attributes(family, ident_code)
    data["values"] = fit_values(session, item, data.get("values", {}), allowed, parent, ctx)
    return data


def fit_model(session: Session, item: Item, ctx: WriteContext) -> dict[str, Any]:
    """Return the product model's data with only the values of its level."""
    data = dict(item.data)
    resolve_same_code(session, item, data, "parent", ProductModel)
    resolve_same_code(session, item, data, "family_variant", FamilyVariant)
    existing = _find(s.get_product_model, session, item.key)
    parent = _find(s.get_product_model, session, data.get("parent")) or (
        existing.parent if existing is not None else None)
    variant = (parent.family_variant if parent is not None else
               _find(s.get_family_variant, session, data.get("family_variant")) or
               (existing.family_variant if existing is not None else None))
    if variant is not None:
        ident = structure(session).identifier_attribute
        level = 0 if parent is None else 1
        allowed = level_attributes(variant, level, ident.code if ident else None)
        data["values"] = fit_values(session, item, data.get("values", {}), allowed, parent, ctx)
    return data


def fit_values(session: Session, item: Item, values: dict[str, list], allowed: set[str] | None,
               parent: Any, ctx: WriteContext, cache: Any = None) -> dict[str, list]:
    """Keep the values the entity may carry; check media, options and GTINs on the way."""
    cache = cache or structure(session)
    inherited: dict[str, list] | None = None
    fitted: dict[str, list] = {}
    for code, entries in values.items():
        attribute = cache.attribute(code)
        if allowed is not None and code not in allowed:
            if all(is_blank(entry["data"]) for entry in entries):
                continue
            if parent is not None and attribute is not None:
                if attribute.type in MEDIA_TYPES:
                    _check_media_exists(item, attribute, entries, ctx)
                    continue  # a path and a stored key cannot be compared
                if inherited is None:
                    inherited = merged_values(parent)
                _compare_with_parent(item, attribute, entries, inherited, parent, cache)
                continue
        if attribute is not None and attribute.type in MEDIA_TYPES:
            entries = _media(item, attribute, entries, ctx)
        elif attribute is not None and attribute.type in SELECTS and ctx.create_missing_options:
            _create_options(session, item, attribute, entries, ctx)
        elif attribute is not None and holds_gtin(attribute.code):
            check_gtin(item, attribute, entries)
        if entries:
            fitted[code] = entries
    return fitted


def _compare_with_parent(item: Item, attribute: Any, entries: list[dict], inherited: dict,
                         parent: Any, cache: Any) -> None:
    for entry in entries:
        if is_blank(entry["data"]):
            continue
        kept = next((e["data"] for e in inherited.get(attribute.code, [])
                     if (e["locale"], e["scope"]) == (entry["locale"], entry["scope"])), None)
        try:
            given = type_for(attribute.type).parse(entry["data"], attribute, cache.type_context())
        except Problem:
            given = entry["data"]
        if given != kept:
            column = item.locate(_where(attribute.code, entry))
            item.warn(column, f"{attribute.code} belongs to product model {parent.code!r}, "
                              f"which has {kept!r}; the model's value is kept", entry["data"])


def _where(code: str, entry: dict) -> FieldError:
    return FieldError("values", "", code, entry["locale"], entry["scope"])


def check_gtin(item: Item, attribute: Any, entries: list[dict]) -> None:
    """Warn about EAN/GTIN values whose check digit is wrong (kept unless a rule refuses)."""
    for entry in entries:
        data = entry["data"]
        if not isinstance(data, str) or not data.strip():
            continue
        digits = data.strip()
        if (digits.isascii() and digits.isdigit() and len(digits) in (8, 12, 13, 14)
                and gtin.calc_check_digit(digits[:-1]) == digits[-1]):
            continue
        what = ("its check digit is wrong" if digits.isdigit() and len(digits) in (8, 12, 13, 14)
                else "it is not 8, 12, 13 or 14 digits")
        kept = "" if attribute.prop("validation_rule") else (
            f"; kept, as attribute {attribute.code} has no validation rule refusing it")
        item.warn(item.locate(_where(attribute.code, entry)),
                  f"{data!r} is not a valid GTIN/EAN ({what}){kept}", data)


def _media(item: Item, attribute: Any, entries: list[dict], ctx: WriteContext) -> list[dict]:
    """Replace media paths by stored file keys; report the paths that cannot be stored."""
    kept = []
    for entry in entries:
        path = entry["data"]
        if is_blank(path):
            kept.append(entry)
            continue
        column = item.locate(_where(attribute.code, entry))
        if ctx.media is None:
            item.warn(column, "no media folder or zip was given with the import; "
                              "the file was not imported", path)
            continue
        key, problem = ctx.media.store(path, attribute)
        if key is None:
            item.warn(column, problem, path)
            continue
        kept.append({**entry, "data": key})
    return kept


def _check_media_exists(item: Item, attribute: Any, entries: list[dict], ctx: WriteContext
                        ) -> None:
    """Report a file left to the product model that is not in the media either."""
    for entry in entries:
        path = entry["data"]
        if ctx.media is not None and not is_blank(path) and ctx.media.root.find(path) is None:
            item.warn(item.locate(_where(attribute.code, entry)),
                      f"file not found in the media given with the import; "
                      f"{attribute.code} belongs to the product model anyway", path)


def _create_options(session: Session, item: Item, attribute: Any, entries: list[dict],
                    ctx: WriteContext) -> None:
    known = structure(session).options(attribute)
    for entry in entries:
        data = entry["data"]
        for code in data if isinstance(data, list) else [data]:
            if not isinstance(code, str) or not code or code.lower() in known:
                continue
            if not CODE.match(code):
                continue  # the service refuses it with its own message
            s.save_option(session, attribute.code, {"code": code}, **ctx.stamp())
            ctx.note("options created")
            item.warn(item.locate(_where(attribute.code, entry)),
                      f"option {code!r} of {attribute.code} did not exist and was created", code)
            known = structure(session).options(attribute)
