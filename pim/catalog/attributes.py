"""Attributes, their options and attribute groups."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pim.catalog import trash
from pim.catalog.attribute_rules import check_properties
from pim.catalog.codes import RESERVED_CODES, Collector, check_bool, check_code, check_keys
from pim.catalog.codes import check_labels as labels_of
from pim.catalog.content import Stamp, save
from pim.catalog.models import Attribute, AttributeGroup, FamilyAttribute
from pim.catalog.resources import ResourceKind, register_kind
from pim.catalog.structure_cache import forget_structure
from pim.catalog.types import TYPES
from pim.errors import AlreadyExists, InUse, NotFound

FLAGS = ("localizable", "scopable", "unique", "useable_as_grid_filter")
IMMUTABLE = ("type", "localizable", "scopable", "unique")
BASE_FIELDS = {"code", "type", "group", "labels", "sort_order", "guidelines", *FLAGS}
READ_ONLY = {"_links", "group_labels", "updated"}


def get_attribute(session: Session, code: str) -> Attribute:
    """Return the attribute `code`."""
    attribute = session.scalar(select(Attribute).where(Attribute.code == code))
    if attribute is None:
        raise NotFound("attribute", code)
    return attribute


def list_attributes(session: Session, *, codes: list[str] | None = None,
                    types: list[str] | None = None) -> list[Attribute]:
    """List attributes, optionally only some codes or types."""
    query = select(Attribute).order_by(Attribute.sort_order, Attribute.code)
    if codes:
        query = query.where(Attribute.code.in_(codes))
    if types:
        query = query.where(Attribute.type.in_(types))
    return list(session.scalars(query))


def create_attribute(session: Session, data: dict[str, Any], *, author: str,
                     source: str = "ui", commit: bool = True, entity_id: int | None = None,
                     changeset_id: str | None = None) -> Attribute:
    """Create an attribute of a registered type with its validation rules."""
    attribute = Attribute(labels={}, properties={})
    if entity_id is not None:
        attribute.id = entity_id
    _apply(session, attribute, data, creating=True)
    save(session, ATTRIBUTE, attribute, None, Stamp(author, source, None, changeset_id),
         commit=commit)
    forget_structure(session)
    return attribute


def update_attribute(session: Session, code: str, data: dict[str, Any], *, author: str,
                     source: str = "ui", replace: bool = False, commit: bool = True,
                     changeset_id: str | None = None, comment: str | None = None) -> Attribute:
    """Patch an attribute; its type and localizable/scopable flags cannot change."""
    attribute = get_attribute(session, code)
    before = dump_attribute(attribute)
    if not replace and isinstance(data, dict) and isinstance(data.get("labels"), dict):
        data = {**data, "labels": {**attribute.labels, **data["labels"]}}
    _apply(session, attribute, data, creating=False)
    save(session, ATTRIBUTE, attribute, before, Stamp(author, source, comment, changeset_id),
         commit=commit)
    forget_structure(session)
    return attribute


def delete_attribute(session: Session, code: str, *, author: str, commit: bool = True) -> None:
    """Move an attribute that no family uses to the trash."""
    trash.put(session, ATTRIBUTE, get_attribute(session, code), author=author)
    forget_structure(session)
    if commit:
        session.commit()


def _apply(session: Session, attribute: Attribute, data: Any, *, creating: bool) -> None:
    errors = Collector()
    kind = data.get("type", attribute.type) if isinstance(data, dict) else None
    type_ = TYPES.get(kind) if isinstance(kind, str) else None
    allowed = BASE_FIELDS | set(type_.properties if type_ else ()) | {"available_locales"}
    data = check_keys(data, allowed, errors, READ_ONLY | _ignored_akeneo_keys())
    code = _code(session, attribute, data, errors, creating)
    if type_ is None:
        errors.add("type", f"attribute type {kind!r} does not exist "
                           f"(known: {', '.join(sorted(TYPES))})")
    for name in IMMUTABLE:
        if not creating and name in data and data[name] != getattr(attribute, name):
            errors.add(name, f"{name} cannot change once the attribute exists")
    flags = {n: check_bool(data[n], errors, n) for n in FLAGS if n in data}
    if flags.get("unique") and type_ and not type_.unique_allowed:
        errors.add("unique", f"attributes of type {kind} cannot be unique")
    if flags.get("unique") and (flags.get("localizable") or flags.get("scopable")):
        errors.add("unique", "a unique attribute is neither localizable nor scopable")
    if kind == "pim_catalog_identifier" and (flags.get("localizable") or flags.get("scopable")):
        errors.add("type", "the identifier attribute is neither localizable nor scopable")
    group = _group(session, data.get("group"), errors) if "group" in data else attribute.group
    properties = check_properties(type_, data, attribute.properties or {}, errors)
    labels = labels_of(data.get("labels", attribute.labels), errors)
    sort_order = data.get("sort_order", attribute.sort_order or 0)
    if not isinstance(sort_order, int) or isinstance(sort_order, bool):
        errors.add("sort_order", "sort_order must be a whole number")
    errors.raise_if_any()
    attribute.code, attribute.type, attribute.group = code, kind, group
    for name, value in flags.items():
        setattr(attribute, name, value)
    if kind == "pim_catalog_identifier":
        attribute.unique = True
    attribute.properties, attribute.labels, attribute.sort_order = properties, labels, sort_order
    session.add(attribute)


def _ignored_akeneo_keys() -> set[str]:
    # properties Akeneo returns for every type; Prism ignores them where they do not apply
    return {"reference_data_name", "default_value", "minimum_input_length", "guidelines",
            "is_main_identifier", "is_mandatory", "decimal_places_strategy", "decimal_places"}


def _code(session: Session, attribute: Attribute, data: dict, errors: Collector,
          creating: bool) -> str:
    if not creating:
        if "code" in data and data["code"] != attribute.code:
            errors.add("code", "an attribute code cannot change")
        return attribute.code
    code = check_code(data.get("code"), errors)
    if code and code.lower() in RESERVED_CODES:
        errors.add("code", f"{code!r} is reserved for a product property")
    if code and session.scalar(select(Attribute.id).where(func.lower(Attribute.code) ==
                                                           code.lower())):
        raise AlreadyExists("attribute", code)
    return code or ""


def _group(session: Session, code: Any, errors: Collector) -> AttributeGroup | None:
    if code in (None, ""):
        return None
    group = session.scalar(select(AttributeGroup).where(AttributeGroup.code == code))
    if group is None:
        errors.add("group", f"attribute group {code!r} does not exist")
    return group


def dump_attribute(attribute: Attribute) -> dict[str, Any]:
    """Return the attribute in Akeneo's REST shape."""
    data: dict[str, Any] = {
        "code": attribute.code,
        "type": attribute.type,
        "group": attribute.group.code if attribute.group else None,
        "unique": attribute.unique,
        "useable_as_grid_filter": attribute.useable_as_grid_filter,
        "localizable": attribute.localizable,
        "scopable": attribute.scopable,
        "sort_order": attribute.sort_order,
        "labels": dict(attribute.labels or {}),
    }
    data.update(attribute.properties or {})
    return data


def _remove(session: Session, attribute: Attribute) -> None:
    used = session.scalars(
        select(FamilyAttribute.family_id).where(FamilyAttribute.attribute_id == attribute.id)
    ).first()
    if used is not None or attribute.type == "pim_catalog_identifier":
        raise InUse(f"attribute {attribute.code!r} is used by a family or is the identifier; "
                    "remove it from every family first")
    session.delete(attribute)


def _replace(session: Session, code: str, data: dict[str, Any], **stamp: Any) -> Attribute:
    return update_attribute(session, code, data, replace=True, **stamp)


def _recreate(session: Session, data: dict[str, Any], entity_id: int, **stamp: Any
              ) -> Attribute:
    return create_attribute(session, data, entity_id=entity_id, commit=False, **stamp)


ATTRIBUTE = register_kind(ResourceKind(
    name="attribute", label="attribute", model=Attribute, code_attr="code",
    dump=dump_attribute, replace=_replace, recreate=_recreate, remove=_remove,
))
