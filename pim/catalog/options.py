"""Options of select attributes, and attribute groups."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from pim.catalog import trash
from pim.catalog.codes import Collector, check_code, check_code_list, check_keys, check_labels
from pim.catalog.content import Stamp, save
from pim.catalog.models import Attribute, AttributeGroup, AttributeOption, Product, ProductModel
from pim.catalog.resources import ResourceKind, register_kind
from pim.catalog.structure_cache import forget_structure
from pim.errors import AlreadyExists, InUse, NotFound

SELECT_TYPES = ("pim_catalog_simpleselect", "pim_catalog_multiselect")


def _select_attribute(session: Session, code: str) -> Attribute:
    attribute = session.scalar(select(Attribute).where(Attribute.code == code))
    if attribute is None:
        raise NotFound("attribute", code)
    if attribute.type not in SELECT_TYPES:
        raise NotFound("select attribute", code)
    return attribute


def get_option(session: Session, attribute_code: str, code: str) -> AttributeOption:
    """Return option `code` of a select attribute."""
    attribute = _select_attribute(session, attribute_code)
    option = session.scalar(select(AttributeOption).where(
        AttributeOption.attribute_id == attribute.id, AttributeOption.code == code))
    if option is None:
        raise NotFound("attribute option", f"{attribute_code}.{code}")
    return option


def list_options(session: Session, attribute_code: str) -> list[AttributeOption]:
    """List the options of a select attribute in their order."""
    attribute = _select_attribute(session, attribute_code)
    return list(session.scalars(
        select(AttributeOption).where(AttributeOption.attribute_id == attribute.id)
        .order_by(AttributeOption.sort_order, AttributeOption.code)))


def save_option(session: Session, attribute_code: str, data: dict[str, Any], *, author: str,
                source: str = "ui", commit: bool = True, entity_id: int | None = None,
                changeset_id: str | None = None) -> tuple[AttributeOption, bool]:
    """Create or patch an option; return it and whether it is new."""
    attribute = _select_attribute(session, attribute_code)
    errors = Collector()
    data = check_keys(data, {"code", "attribute", "labels", "sort_order"}, errors, {"_links"})
    code = check_code(data.get("code"), errors)
    if data.get("attribute", attribute_code) != attribute_code:
        errors.add("attribute", f"this option belongs to attribute {attribute_code!r}")
    option = None
    if code:
        option = session.scalar(select(AttributeOption).where(
            AttributeOption.attribute_id == attribute.id, AttributeOption.code == code))
    created = option is None
    if created:
        clash = code and session.scalar(select(AttributeOption.code).where(
            AttributeOption.attribute_id == attribute.id,
            AttributeOption.code.ilike(code)))
        if clash:
            raise AlreadyExists("attribute option", f"{attribute_code}.{clash}")
        option = AttributeOption(attribute=attribute, code=code, labels={})
        if entity_id is not None:
            option.id = entity_id
    labels = {**(option.labels or {}), **check_labels(data.get("labels"), errors)}
    sort_order = data.get("sort_order", option.sort_order or 0)
    if not isinstance(sort_order, int) or isinstance(sort_order, bool):
        errors.add("sort_order", "sort_order must be a whole number")
    errors.raise_if_any()
    option.labels, option.sort_order = dict(sorted(labels.items())), sort_order
    session.add(option)
    save(session, OPTION, option, None, Stamp(author, source, None, changeset_id), commit=commit)
    forget_structure(session)
    return option, created


def delete_option(session: Session, attribute_code: str, code: str, *, author: str,
                  commit: bool = True) -> None:
    """Move an option no product uses to the trash."""
    trash.put(session, OPTION, get_option(session, attribute_code, code), author=author)
    forget_structure(session)
    if commit:
        session.commit()


def dump_option(option: AttributeOption) -> dict[str, Any]:
    """Return the option in Akeneo's REST shape."""
    return {"code": option.code, "attribute": option.attribute.code,
            "sort_order": option.sort_order, "labels": dict(option.labels or {})}


def _option_in_use(session: Session, option: AttributeOption) -> str | None:
    code = option.attribute.code
    for model, name in ((Product, "identifier"), (ProductModel, "code")):
        rows = session.execute(select(getattr(model, name), model.values).where(
            cast(model.values, String).contains(f'"{option.code}"'))).all()
        for owner, values in rows:
            for entry in values.get(code, []):
                data = entry["data"]
                if data == option.code or (isinstance(data, list) and option.code in data):
                    return owner
    return None


def _remove_option(session: Session, option: AttributeOption) -> None:
    owner = _option_in_use(session, option)
    if owner:
        raise InUse(f"option {option.code!r} is used by {owner!r}; change those values first")
    session.delete(option)


def _recreate_option(session: Session, data: dict[str, Any], entity_id: int, **stamp: Any
                     ) -> AttributeOption:
    return save_option(session, data["attribute"], data, entity_id=entity_id, commit=False,
                       **stamp)[0]


OPTION = register_kind(ResourceKind(
    name="attribute_option", label="attribute option", model=AttributeOption, code_attr="code",
    dump=dump_option, replace=lambda *a, **k: None, recreate=_recreate_option,
    remove=_remove_option, versioned=False,
))


def get_group(session: Session, code: str) -> AttributeGroup:
    """Return the attribute group `code`."""
    group = session.scalar(select(AttributeGroup).where(AttributeGroup.code == code))
    if group is None:
        raise NotFound("attribute group", code)
    return group


def list_groups(session: Session) -> list[AttributeGroup]:
    """List attribute groups in their order."""
    return list(session.scalars(select(AttributeGroup).order_by(AttributeGroup.sort_order,
                                                                AttributeGroup.code)))


def save_group(session: Session, data: dict[str, Any], *, author: str, source: str = "ui",
               commit: bool = True, entity_id: int | None = None,
               changeset_id: str | None = None) -> tuple[AttributeGroup, bool]:
    """Create or patch an attribute group, moving the attributes it lists into it."""
    errors = Collector()
    data = check_keys(data, {"code", "labels", "sort_order", "attributes"}, errors, {"_links"})
    code = check_code(data.get("code"), errors)
    group = session.scalar(select(AttributeGroup).where(AttributeGroup.code == code)) \
        if code else None
    created = group is None
    group = group or AttributeGroup(code=code, labels={}, id=entity_id)
    labels = {**(group.labels or {}), **check_labels(data.get("labels"), errors)}
    members = []
    if "attributes" in data:
        codes = check_code_list(data["attributes"], errors, "attributes")
        members = list(session.scalars(select(Attribute).where(Attribute.code.in_(codes))))
        for missing in set(codes) - {a.code for a in members}:
            errors.add("attributes", f"attribute {missing!r} does not exist")
    errors.raise_if_any()
    group.labels = dict(sorted(labels.items()))
    group.sort_order = data.get("sort_order", group.sort_order or 0)
    session.add(group)
    for attribute in members:
        attribute.group = group
    save(session, GROUP, group, None, Stamp(author, source, None, changeset_id), commit=commit)
    return group, created


def dump_group(group: AttributeGroup, attributes: list[str] | None = None) -> dict[str, Any]:
    """Return the group in Akeneo's REST shape."""
    return {"code": group.code, "sort_order": group.sort_order,
            "attributes": attributes or [], "labels": dict(group.labels or {})}


def group_members(session: Session, group: AttributeGroup) -> list[str]:
    """Codes of the attributes in `group`, in their order."""
    return list(session.scalars(select(Attribute.code).where(Attribute.group_id == group.id)
                                .order_by(Attribute.sort_order, Attribute.code)))


def _remove_group(session: Session, group: AttributeGroup) -> None:
    if group_members(session, group):
        raise InUse(f"attribute group {group.code!r} still holds attributes; move them first")
    session.delete(group)


GROUP = register_kind(ResourceKind(
    name="attribute_group", label="attribute group", model=AttributeGroup, code_attr="code",
    dump=dump_group, replace=lambda *a, **k: None,
    recreate=lambda session, data, entity_id, **stamp: save_group(
        session, data, entity_id=entity_id, commit=False, **stamp)[0],
    remove=_remove_group, versioned=False,
))


