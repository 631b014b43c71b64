"""Families: the attributes of a kind of product and what each channel requires."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pim.catalog import completeness, trash
from pim.catalog.codes import Collector, check_code, check_code_list, check_keys, check_labels
from pim.catalog.content import Stamp, save
from pim.catalog.models import (
    Attribute,
    Channel,
    Family,
    FamilyAttribute,
    FamilyRequirement,
    FamilyVariant,
    Product,
)
from pim.catalog.resources import ResourceKind, register_kind
from pim.catalog.structure_cache import forget_structure, structure
from pim.errors import AlreadyExists, InUse, NotFound

FIELDS = {"code", "labels", "attributes", "attribute_as_label", "attribute_as_image",
          "attribute_requirements"}
LABEL_TYPES = ("pim_catalog_identifier", "pim_catalog_text")
IMAGE_TYPES = ("pim_catalog_image", "pim_catalog_asset_collection")


def get_family(session: Session, code: str) -> Family:
    """Return the family `code`."""
    family = session.scalar(select(Family).where(Family.code == code))
    if family is None:
        raise NotFound("family", code)
    return family


def list_families(session: Session) -> list[Family]:
    """List families by code."""
    return list(session.scalars(select(Family).order_by(Family.code)))


def create_family(session: Session, data: dict[str, Any], *, author: str, source: str = "ui",
                  commit: bool = True, entity_id: int | None = None,
                  changeset_id: str | None = None) -> Family:
    """Create a family with its attributes and per-channel requirements."""
    family = Family(labels={})
    if entity_id is not None:
        family.id = entity_id
    _apply(session, family, data, creating=True)
    save(session, FAMILY, family, None, Stamp(author, source, None, changeset_id), commit=commit)
    forget_structure(session)
    return family


def update_family(session: Session, code: str, data: dict[str, Any], *, author: str,
                  source: str = "ui", replace: bool = False, commit: bool = True,
                  changeset_id: str | None = None, comment: str | None = None) -> Family:
    """Patch a family; products' completeness is recomputed when requirements change."""
    family = get_family(session, code)
    before = dump_family(family)
    if not replace and isinstance(data, dict):
        data = _merge_patch(family, before, data)
    _apply(session, family, data, creating=False)
    changed = save(session, FAMILY, family, before, Stamp(author, source, comment, changeset_id),
                   commit=False)
    forget_structure(session)
    after = dump_family(family)
    if changed and (before["attribute_requirements"] != after["attribute_requirements"]):
        completeness.recompute(session, family_ids=[family.id])
    if commit:
        session.commit()
    return family


def _merge_patch(family: Family, before: dict, data: dict) -> dict:
    merged = dict(data)
    if isinstance(data.get("labels"), dict):
        merged["labels"] = {**family.labels, **data["labels"]}
    if isinstance(data.get("attribute_requirements"), dict):
        merged["attribute_requirements"] = {**before["attribute_requirements"],
                                            **data["attribute_requirements"]}
    return merged


def delete_family(session: Session, code: str, *, author: str, commit: bool = True) -> None:
    """Move a family no product or family variant uses to the trash."""
    trash.put(session, FAMILY, get_family(session, code), author=author)
    forget_structure(session)
    if commit:
        session.commit()


def _apply(session: Session, family: Family, data: Any, *, creating: bool) -> None:
    errors = Collector()
    data = check_keys(data, FIELDS, errors, {"_links"})
    code = family.code
    if creating:
        code = check_code(data.get("code"), errors)
        if code and session.scalar(select(Family.id).where(Family.code == code)):
            raise AlreadyExists("family", code)
    elif "code" in data and data["code"] != family.code:
        errors.add("code", "a family code cannot change")
    attributes = _attributes(session, family, data, errors)
    by_code = {a.code: a for a in attributes}
    label = _special(data, family, "attribute_as_label", by_code, LABEL_TYPES, errors)
    image = _special(data, family, "attribute_as_image", by_code, IMAGE_TYPES, errors)
    requirements = _requirements(session, family, data, by_code, errors)
    labels = check_labels(data.get("labels", family.labels), errors)
    errors.raise_if_any()
    ident = structure(session).identifier_attribute
    family.code, family.labels = code, labels
    family.attribute_as_label = label or (ident.code if ident else None)
    family.attribute_as_image = image
    family.attribute_links = [
        FamilyAttribute(attribute=a, position=i) for i, a in enumerate(attributes)
    ]
    family.requirements = [
        FamilyRequirement(channel=channel, attribute=by_code[c])
        for channel, codes in requirements for c in codes
    ]
    session.add(family)


def _attributes(session: Session, family: Family, data: dict, errors: Collector
                ) -> list[Attribute]:
    if "attributes" not in data:
        return [link.attribute for link in family.attribute_links] or _with_identifier(
            session, [])
    codes = check_code_list(data["attributes"], errors, "attributes")
    found = {a.code: a for a in session.scalars(select(Attribute).where(Attribute.code.in_(codes)))}
    for code in codes:
        if code not in found:
            errors.add("attributes", f"attribute {code!r} does not exist")
    return _with_identifier(session, [found[c] for c in codes if c in found])


def _with_identifier(session: Session, attributes: list[Attribute]) -> list[Attribute]:
    ident = structure(session).identifier_attribute
    if ident is not None and ident not in attributes:
        return [ident, *attributes]
    return attributes


def _special(data: dict, family: Family, name: str, by_code: dict[str, Attribute],
             types: tuple[str, ...], errors: Collector) -> str | None:
    code = data.get(name, getattr(family, name))
    if code in (None, ""):
        return None
    attribute = by_code.get(code)
    if attribute is None:
        errors.add(name, f"{name} {code!r} must be one of the family's attributes")
    elif attribute.type not in types:
        errors.add(name, f"{name} must be of type {' or '.join(types)}")
    return code


def _requirements(session: Session, family: Family, data: dict, by_code: dict[str, Attribute],
                  errors: Collector) -> list[tuple[Channel, list[str]]]:
    channels = structure(session).channels
    wanted = data.get("attribute_requirements")
    if wanted is None:
        wanted = dump_family(family)["attribute_requirements"] if family.id else {}
    if not isinstance(wanted, dict):
        errors.add("attribute_requirements", "expected {channel code: [attribute codes]}")
        return []
    ident = structure(session).identifier_attribute
    result = []
    for channel_code in sorted(set(wanted) | set(channels)):
        channel = channels.get(channel_code)
        if channel is None:
            errors.add("attribute_requirements", f"channel {channel_code!r} does not exist")
            continue
        codes = check_code_list(wanted.get(channel_code, []), errors, "attribute_requirements")
        if ident is not None and ident.code in by_code and ident.code not in codes:
            codes = [ident.code, *codes]
        for code in codes:
            if code not in by_code:
                errors.add("attribute_requirements", f"{code!r} required on {channel_code} "
                                                     "is not an attribute of the family")
        result.append((channel, [c for c in codes if c in by_code]))
    return result


def dump_family(family: Family) -> dict[str, Any]:
    """Return the family in Akeneo's REST shape."""
    requirements: dict[str, list[str]] = {}
    for requirement in family.requirements:
        requirements.setdefault(requirement.channel.code, []).append(requirement.attribute.code)
    return {
        "code": family.code,
        "attributes": sorted(family.attribute_codes),
        "attribute_as_label": family.attribute_as_label,
        "attribute_as_image": family.attribute_as_image,
        "attribute_requirements": {k: sorted(v) for k, v in sorted(requirements.items())},
        "labels": dict(family.labels or {}),
    }


def _remove(session: Session, family: Family) -> None:
    product = session.scalar(select(Product.identifier).where(Product.family_id == family.id))
    variant = session.scalar(select(FamilyVariant.code).where(FamilyVariant.family_id ==
                                                              family.id))
    if product or variant:
        user = f"product {product!r}" if product else f"family variant {variant!r}"
        raise InUse(f"family {family.code!r} is used by {user}")
    session.delete(family)


def _replace(session: Session, code: str, data: dict[str, Any], **stamp: Any) -> Family:
    return update_family(session, code, data, replace=True, **stamp)


def _recreate(session: Session, data: dict[str, Any], entity_id: int, **stamp: Any) -> Family:
    return create_family(session, data, entity_id=entity_id, commit=False, **stamp)


FAMILY = register_kind(ResourceKind(
    name="family", label="family", model=Family, code_attr="code", dump=dump_family,
    replace=_replace, recreate=_recreate, remove=_remove,
))
