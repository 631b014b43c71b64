"""Product services: the one write path for products, whatever the face."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pim.catalog import completeness, trash
from pim.catalog.codes import Collector, check_bool, check_keys
from pim.catalog.content import READ_ONLY, Stamp, check_expected_version, resolve_categories, save
from pim.catalog.models import Family, Product, ProductModel
from pim.catalog.resources import ResourceKind, register_kind
from pim.catalog.structure_cache import structure
from pim.catalog.types import Problem, type_for
from pim.catalog.unique import check_unique, sync_unique, unique_data
from pim.catalog.values import (
    ValuesValidator,
    flatten_values,
    merge_values,
    without_empty,
)
from pim.catalog.variants import (
    allowed_attributes,
    check_axes,
    check_parent_level,
    level_attributes,
    merged_values,
    product_level,
)
from pim.errors import AlreadyExists, NotFound

FIELDS = {
    "identifier", "family", "parent", "categories", "enabled", "status", "values", "groups",
    "associations", "quantified_associations",
}
STATUSES = ("draft", "in_review", "approved")
UNSET = object()


def get_product(session: Session, identifier: str) -> Product:
    """Return the product with `identifier`."""
    product = session.scalar(select(Product).where(Product.identifier == identifier))
    if product is None:
        raise NotFound("product", identifier)
    return product


def create_product(
    session: Session, data: dict[str, Any], *, author: str, source: str = "ui",
    comment: str | None = None, changeset_id: str | None = None, commit: bool = True,
    entity_id: int | None = None,
) -> Product:
    """Create a product from Akeneo-shaped data, validating everything first."""
    stamp = Stamp(author, source, comment, changeset_id)
    structure(session).hold_families()
    product = Product(values={}, categories=[], completeness=[], unique_values=[],
                      enabled=True, status="draft")
    if entity_id is not None:
        product.id = entity_id
    with session.no_autoflush:
        _apply(session, product, data, replace=True, creating=True)
    session.add(product)
    save(session, PRODUCT, product, None, stamp, commit=commit)
    return product


def update_product(
    session: Session, identifier: str, data: dict[str, Any], *, author: str,
    source: str = "ui", expected_version: int | None = None, replace: bool = False,
    comment: str | None = None, changeset_id: str | None = None, commit: bool = True,
) -> Product:
    """Patch a product (given values replace those keys, the rest stay), or replace it."""
    structure(session).hold_families()
    product = get_product(session, identifier)
    check_expected_version(product, expected_version, "product", identifier)
    before = PRODUCT.flatten(dump_product(product, merged=False))
    with session.no_autoflush:
        _apply(session, product, data, replace=replace, creating=False)
    save(session, PRODUCT, product, before, Stamp(author, source, comment, changeset_id),
         commit=commit)
    return product


def upsert_product(session: Session, data: dict[str, Any], **stamp: Any) -> tuple[Product, bool]:
    """Create or patch the product named in `data`; return it and whether it is new."""
    identifier = data.get("identifier") if isinstance(data, dict) else None
    if isinstance(identifier, str) and _exists(session, identifier):
        return update_product(session, identifier, data, **stamp), False
    return create_product(session, data, **stamp), True


def _exists(session: Session, identifier: str) -> bool:
    found = session.scalar(select(Product.id).where(Product.identifier == identifier))
    return found is not None


def delete_product(session: Session, identifier: str, *, author: str, commit: bool = True
                   ) -> None:
    """Move a product to the trash."""
    product = get_product(session, identifier)
    trash.put(session, PRODUCT, product, author=author)
    if commit:
        session.commit()


def _apply(session: Session, product: Product, data: Any, *, replace: bool, creating: bool
           ) -> None:
    errors = Collector()
    data = check_keys(data, FIELDS, errors, READ_ONLY)
    cache = structure(session)
    identifier = _identifier(session, product, data, errors, creating)
    family, parent = _family_and_parent(session, product, data, errors)
    if "categories" in data:
        categories = resolve_categories(session, data["categories"], errors)
    for flag in ("enabled",):
        if flag in data:
            check_bool(data[flag], errors, flag)
    if "status" in data and data["status"] not in STATUSES:
        errors.add("status", f"status must be one of {', '.join(STATUSES)}")
    _check_unsupported(data, errors)
    ident_attr = cache.identifier_attribute
    ident_code = ident_attr.code if ident_attr else None
    allowed, why = _allowed(family, parent, ident_code)
    changes, value_errors = ValuesValidator(cache).validate(data.get("values", {}), allowed, why)
    errors.extend(value_errors)
    errors.raise_if_any()
    values = without_empty(changes) if replace else merge_values(product.values or {}, changes)
    if ident_code:
        values[ident_code] = [{"locale": None, "scope": None, "data": identifier}]
    if parent is not None:
        _check_variant(session, product, parent, values, ident_code)
    wanted = unique_data(cache, values)
    check_unique(session, cache, product, wanted, errors)
    errors.raise_if_any()
    sync_unique(product, wanted)
    product.identifier = identifier
    product.family = family
    product.parent = parent
    product.values = dict(sorted(values.items()))
    if "categories" in data:
        product.categories = categories
    elif replace and not creating:
        product.categories = []
    if "enabled" in data:
        product.enabled = data["enabled"]
    if "status" in data:
        product.status = data["status"]
    session.add(product)
    completeness.refresh(session, product, merged_values(product))


def _identifier(session: Session, product: Product, data: dict, errors: Collector,
                creating: bool) -> str:
    if "identifier" not in data:
        if creating:
            errors.add("identifier", "a product needs an identifier")
        return product.identifier
    try:
        identifier = type_for("pim_catalog_identifier").parse(
            data["identifier"], _IdentifierRules(), structure(session).type_context()
        )
    except Problem as exc:
        errors.add("identifier", str(exc))
        return product.identifier
    if identifier != product.identifier and _exists(session, identifier):
        raise AlreadyExists("product", identifier)
    return identifier


class _IdentifierRules:
    def prop(self, name: str, default: Any = None) -> Any:
        return default


def _family_and_parent(session: Session, product: Product, data: dict, errors: Collector
                       ) -> tuple[Family | None, ProductModel | None]:
    parent = product.parent
    if "parent" in data:
        parent = _lookup(session, ProductModel, ProductModel.code, data["parent"], errors, "parent")
    family = product.family
    if "family" in data:
        family = _lookup(session, Family, Family.code, data["family"], errors, "family")
    if parent is not None:
        if "family" in data and family is not None and family.id != parent.family.id:
            errors.add("family", f"a variant of {parent.code!r} belongs to family "
                                 f"{parent.family.code!r}")
        family = parent.family
        check_parent_level(parent, product_level(parent.family_variant) - 1, errors)
    return family, parent


def _lookup(session: Session, model: type, column: Any, code: Any, errors: Collector,
            field: str) -> Any:
    if code is None or code == "":
        return None
    if not isinstance(code, str):
        errors.add(field, f"{field} must be a code or null")
        return None
    found = session.scalar(select(model).where(column == code))
    if found is None:
        errors.add(field, f"{field.replace('_', ' ')} {code!r} does not exist")
    return found


def _check_unsupported(data: dict, errors: Collector) -> None:
    for key in ("groups", "associations", "quantified_associations"):
        if data.get(key):
            errors.add(key, f"{key} are not supported by Prism; send an empty value")


def _allowed(family: Family | None, parent: ProductModel | None, ident: str | None
             ) -> tuple[set[str] | None, str]:
    if parent is not None:
        variant = parent.family_variant
        level = product_level(variant)
        return level_attributes(variant, level, ident), (
            f"a variant attribute of {variant.code!r} at level {level}"
        )
    if family is not None:
        return allowed_attributes(family, ident), f"in family {family.code!r}"
    return None, ""


def _check_variant(session: Session, product: Product, parent: ProductModel, values: dict,
                   ident: str | None) -> None:
    errors = Collector()
    variant = parent.family_variant
    level = product_level(variant)
    outside = set(values) - level_attributes(variant, level, ident)
    for code in sorted(outside):
        errors.add("values", f"attribute {code!r} lives on the product model level; "
                             "it cannot be set on the variant", attribute=code)
    check_axes(session, variant, level, values, parent.id, product.id, errors)
    errors.raise_if_any()


def values_outside_family(session: Session, product: Product) -> list[str]:
    """Codes of values the product keeps although its family no longer has them."""
    if product.family is None:
        return []
    ident = structure(session).identifier_attribute
    allowed = set(product.family.attribute_codes) | ({ident.code} if ident else set())
    return sorted(set(product.values) - allowed)


def dump_product(product: Product, *, merged: bool = True) -> dict[str, Any]:
    """Return the product in Akeneo's REST shape (values merged over its parents)."""
    return {
        "uuid": product.uuid,
        "identifier": product.identifier,
        "enabled": product.enabled,
        "status": product.status,
        "family": product.family.code if product.family else None,
        "categories": sorted(c.code for c in product.categories),
        "groups": [],
        "parent": product.parent.code if product.parent else None,
        "values": merged_values(product) if merged else dict(product.values or {}),
        "created": _time(product.created),
        "updated": _time(product.updated),
        "associations": {},
        "quantified_associations": {},
    }


def _time(value: Any) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


FLAT_PROPERTIES = ("identifier", "family", "parent", "categories", "enabled", "status")


def flatten_product(data: dict[str, Any]) -> dict[str, Any]:
    """Flat form for versions: product properties plus one key per value."""
    flat = {key: data[key] for key in FLAT_PROPERTIES if key in data}
    flat.update(flatten_values(data.get("values", {})))
    return flat


def unflatten_content(session: Session, flat: dict[str, Any], properties: tuple[str, ...]
                      ) -> dict[str, Any]:
    """Rebuild Akeneo-shaped data from its flat form."""
    cache = structure(session)
    data: dict[str, Any] = {key: flat[key] for key in properties if key in flat}
    values: dict[str, list] = {}
    for key, value in flat.items():
        if key in properties:
            continue
        code, locale, scope = _split_key(key, cache)
        values.setdefault(code, []).append({"locale": locale, "scope": scope, "data": value})
    data["values"] = values
    return data


def _split_key(key: str, cache: Any) -> tuple[str, str | None, str | None]:
    code, *rest = key.split("-")
    attribute = cache.attribute(code)
    if len(rest) == 2:
        return code, rest[0], rest[1]
    if not rest:
        return code, None, None
    scopable_only = attribute is not None and attribute.scopable and not attribute.localizable
    return (code, None, rest[0]) if scopable_only else (code, rest[0], None)


def _replace(session: Session, code: str, data: dict[str, Any], **stamp: Any) -> Product:
    data = {**data, "categories": data.get("categories", []), "parent": data.get("parent")}
    return update_product(session, code, data, replace=True, **stamp)


def _recreate(session: Session, data: dict[str, Any], entity_id: int, **stamp: Any) -> Product:
    product = create_product(session, data, entity_id=entity_id, commit=False, **stamp)
    product.uuid = data.get("uuid") or product.uuid
    return product


def _remove(session: Session, product: Product) -> None:
    session.delete(product)


PRODUCT = register_kind(ResourceKind(
    name="product",
    label="product",
    model=Product,
    code_attr="identifier",
    dump=lambda p: dump_product(p, merged=False),
    replace=_replace,
    recreate=_recreate,
    remove=_remove,
    flatten=flatten_product,
    unflatten=lambda session, flat: unflatten_content(session, flat, FLAT_PROPERTIES),
))
