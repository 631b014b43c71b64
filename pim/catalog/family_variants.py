"""Family variants: one or two levels of axes and the attributes on each level."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pim.catalog import trash
from pim.catalog.codes import Collector, check_code, check_code_list, check_keys, check_labels
from pim.catalog.content import Stamp, save
from pim.catalog.families import get_family
from pim.catalog.models import Family, FamilyVariant, ProductModel
from pim.catalog.resources import ResourceKind, register_kind
from pim.errors import AlreadyExists, InUse, NotFound

FIELDS = {"code", "family", "labels", "variant_attribute_sets"}
AXIS_TYPES = ("pim_catalog_simpleselect", "pim_catalog_boolean", "pim_catalog_metric")
MAX_AXES = 5


def get_family_variant(session: Session, code: str, family: str | None = None) -> FamilyVariant:
    """Return the family variant `code` (of `family` when given)."""
    variant = session.scalar(select(FamilyVariant).where(FamilyVariant.code == code))
    if variant is None or (family is not None and variant.family.code != family):
        raise NotFound("family variant", code)
    return variant


def list_family_variants(session: Session, family: str) -> list[FamilyVariant]:
    """List the variants of one family."""
    owner = get_family(session, family)
    return list(session.scalars(select(FamilyVariant).where(FamilyVariant.family_id == owner.id)
                                .order_by(FamilyVariant.code)))


def create_family_variant(session: Session, data: dict[str, Any], *, author: str,
                          source: str = "ui", commit: bool = True, entity_id: int | None = None,
                          changeset_id: str | None = None) -> FamilyVariant:
    """Create a family variant."""
    variant = FamilyVariant(labels={})
    if entity_id is not None:
        variant.id = entity_id
    _apply(session, variant, data, creating=True)
    save(session, FAMILY_VARIANT, variant, None, Stamp(author, source, None, changeset_id),
         commit=commit)
    return variant


def update_family_variant(session: Session, code: str, data: dict[str, Any], *, author: str,
                          source: str = "ui", replace: bool = False, commit: bool = True,
                          changeset_id: str | None = None, comment: str | None = None
                          ) -> FamilyVariant:
    """Patch a family variant's labels, or its levels while no product model uses it."""
    variant = get_family_variant(session, code)
    before = dump_family_variant(variant)
    if not replace and isinstance(data, dict) and isinstance(data.get("labels"), dict):
        data = {**data, "labels": {**variant.labels, **data["labels"]}}
    _apply(session, variant, data, creating=False)
    save(session, FAMILY_VARIANT, variant, before, Stamp(author, source, comment, changeset_id),
         commit=commit)
    return variant


def delete_family_variant(session: Session, code: str, *, author: str, commit: bool = True
                          ) -> None:
    """Move a family variant no product model uses to the trash."""
    trash.put(session, FAMILY_VARIANT, get_family_variant(session, code), author=author)
    if commit:
        session.commit()


def _apply(session: Session, variant: FamilyVariant, data: Any, *, creating: bool) -> None:
    errors = Collector()
    data = check_keys(data, FIELDS, errors, {"_links"})
    code, family = variant.code, variant.family if variant.family_id else None
    if creating:
        code = check_code(data.get("code"), errors)
        if code and session.scalar(select(FamilyVariant.id).where(FamilyVariant.code == code)):
            raise AlreadyExists("family variant", code)
        family = session.scalar(select(Family).where(Family.code == data.get("family")))
        if family is None:
            errors.add("family", f"family {data.get('family')!r} does not exist")
    elif "family" in data and data["family"] != family.code:
        errors.add("family", "the family of a family variant cannot change")
    sets = variant.variant_attribute_sets
    if "variant_attribute_sets" in data and family is not None:
        sets = _sets(data["variant_attribute_sets"], family, errors)
        if not creating and sets != variant.variant_attribute_sets and _used(session, variant):
            errors.add("variant_attribute_sets", "levels cannot change while product models "
                                                 "use this family variant")
    labels = check_labels(data.get("labels", variant.labels), errors)
    errors.raise_if_any()
    variant.code, variant.family, variant.labels = code, family, labels
    variant.variant_attribute_sets = sets
    session.add(variant)


def _sets(value: Any, family: Family, errors: Collector) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not 1 <= len(value) <= 2:
        errors.add("variant_attribute_sets", "expected one or two levels")
        return []
    family_attrs = {link.attribute.code: link.attribute for link in family.attribute_links}
    placed: dict[str, int] = {}
    result = []
    for index, item in enumerate(sorted(value, key=lambda s: s.get("level", 0)
                                        if isinstance(s, dict) else 0), start=1):
        if not isinstance(item, dict) or item.get("level") != index:
            errors.add("variant_attribute_sets", f"level {index} is missing or malformed")
            continue
        axes = check_code_list(item.get("axes", []), errors, "axes")
        attributes = check_code_list(item.get("attributes", []), errors, "attributes")
        _check_axes(axes, family_attrs, index, errors)
        for code in dict.fromkeys(axes + attributes):
            if code not in family_attrs:
                errors.add("variant_attribute_sets", f"{code!r} is not an attribute of "
                                                     f"family {family.code!r}")
            elif code in placed:
                errors.add("variant_attribute_sets", f"{code!r} is on levels {placed[code]} "
                                                     f"and {index}")
            placed[code] = index
        result.append({"level": index, "axes": axes,
                       "attributes": sorted(set(attributes) | set(axes))})
    return result


def _check_axes(axes: list[str], family_attrs: dict, level: int, errors: Collector) -> None:
    if not 1 <= len(axes) <= MAX_AXES:
        errors.add("axes", f"level {level} needs between 1 and {MAX_AXES} axes")
    for code in axes:
        attribute = family_attrs.get(code)
        if attribute is None:
            continue
        if attribute.type not in AXIS_TYPES or attribute.localizable or attribute.scopable:
            errors.add("axes", f"{code!r} cannot be an axis: axes are simple selects, yes/no or "
                               "measurements, neither localizable nor scopable")


def _used(session: Session, variant: FamilyVariant) -> bool:
    found = session.scalar(select(ProductModel.id).where(
        ProductModel.family_variant_id == variant.id).limit(1))
    return found is not None


def dump_family_variant(variant: FamilyVariant) -> dict[str, Any]:
    """Return the family variant in Akeneo's REST shape."""
    return {
        "code": variant.code,
        "family": variant.family.code if variant.family else None,
        "labels": dict(variant.labels or {}),
        "variant_attribute_sets": list(variant.variant_attribute_sets or []),
    }


def _remove(session: Session, variant: FamilyVariant) -> None:
    if _used(session, variant):
        raise InUse(f"family variant {variant.code!r} is used by product models")
    session.delete(variant)


FAMILY_VARIANT = register_kind(ResourceKind(
    name="family_variant", label="family variant", model=FamilyVariant, code_attr="code",
    dump=dump_family_variant,
    replace=lambda session, code, data, **stamp: update_family_variant(
        session, code, data, replace=True, **stamp),
    recreate=lambda session, data, entity_id, **stamp: create_family_variant(
        session, data, entity_id=entity_id, commit=False, **stamp),
    remove=_remove, versioned=True,
))

