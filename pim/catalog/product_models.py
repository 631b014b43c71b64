"""Product model services: shared values of variant products, one or two levels."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pim.catalog import completeness, trash
from pim.catalog.codes import Collector, check_keys
from pim.catalog.content import READ_ONLY, Stamp, check_expected_version, resolve_categories, save
from pim.catalog.models import FamilyVariant, Product, ProductModel
from pim.catalog.products import unflatten_content
from pim.catalog.resources import ResourceKind, register_kind
from pim.catalog.structure_cache import structure
from pim.catalog.types import Problem
from pim.catalog.types.base import check_text
from pim.catalog.values import ValuesValidator, flatten_values, merge_values, without_empty
from pim.catalog.variants import check_axes, level_attributes, merged_values
from pim.errors import AlreadyExists, InUse, NotFound

FIELDS = {"code", "family", "family_variant", "parent", "categories", "values", "associations",
          "quantified_associations"}
FLAT_PROPERTIES = ("code", "family_variant", "parent", "categories")


def get_product_model(session: Session, code: str) -> ProductModel:
    """Return the product model `code`."""
    model = session.scalar(select(ProductModel).where(ProductModel.code == code))
    if model is None:
        raise NotFound("product model", code)
    return model


def create_product_model(
    session: Session, data: dict[str, Any], *, author: str, source: str = "ui",
    comment: str | None = None, changeset_id: str | None = None, commit: bool = True,
    entity_id: int | None = None,
) -> ProductModel:
    """Create a product model from Akeneo-shaped data."""
    model = ProductModel(values={}, categories=[])
    if entity_id is not None:
        model.id = entity_id
    _apply(session, model, data, replace=True, creating=True)
    save(session, PRODUCT_MODEL, model, None, Stamp(author, source, comment, changeset_id),
         commit=commit)
    return model


def update_product_model(
    session: Session, code: str, data: dict[str, Any], *, author: str, source: str = "ui",
    expected_version: int | None = None, replace: bool = False, comment: str | None = None,
    changeset_id: str | None = None, commit: bool = True,
) -> ProductModel:
    """Patch (or replace) a product model; its variants' completeness follows."""
    model = get_product_model(session, code)
    check_expected_version(model, expected_version, "product model", code)
    before = PRODUCT_MODEL.flatten(dump_product_model(model, merged=False))
    _apply(session, model, data, replace=replace, creating=False)
    changed = save(session, PRODUCT_MODEL, model, before,
                   Stamp(author, source, comment, changeset_id), commit=False)
    if changed:
        completeness.recompute(session, product_ids=descendant_product_ids(session, model))
    if commit:
        session.commit()
    return model


def upsert_product_model(session: Session, data: dict[str, Any], **stamp: Any
                         ) -> tuple[ProductModel, bool]:
    """Create or patch the product model named in `data`."""
    code = data.get("code") if isinstance(data, dict) else None
    if isinstance(code, str) and session.scalar(
        select(ProductModel.id).where(ProductModel.code == code)
    ):
        return update_product_model(session, code, data, **stamp), False
    return create_product_model(session, data, **stamp), True


def delete_product_model(session: Session, code: str, *, author: str, commit: bool = True
                         ) -> None:
    """Move a product model without children to the trash."""
    model = get_product_model(session, code)
    trash.put(session, PRODUCT_MODEL, model, author=author)
    if commit:
        session.commit()


def descendant_product_ids(session: Session, model: ProductModel) -> list[int]:
    """Ids of the variant products under `model`, directly or through a sub-model."""
    model_ids = [model.id, *session.scalars(
        select(ProductModel.id).where(ProductModel.parent_id == model.id)
    )]
    return list(session.scalars(select(Product.id).where(Product.parent_id.in_(model_ids))))


def _apply(session: Session, model: ProductModel, data: Any, *, replace: bool, creating: bool
           ) -> None:
    errors = Collector()
    data = check_keys(data, FIELDS, errors, READ_ONLY)
    code = _code(session, model, data, errors, creating)
    variant, parent = _variant_and_parent(session, model, data, errors, creating)
    categories = resolve_categories(session, data["categories"], errors) if (
        "categories" in data) else None
    for key in ("associations", "quantified_associations"):
        if data.get(key):
            errors.add(key, f"{key} are not supported by Prism; send an empty value")
    if variant is None:
        errors.raise_if_any()
        return
    level = 0 if parent is None else 1
    ident = structure(session).identifier_attribute
    allowed = level_attributes(variant, level, ident.code if ident else None)
    changes, value_errors = ValuesValidator(structure(session)).validate(
        data.get("values", {}), allowed, f"a level {level} attribute of {variant.code!r}"
    )
    errors.extend(value_errors)
    errors.raise_if_any()
    values = without_empty(changes) if replace else merge_values(model.values or {}, changes)
    if parent is not None:
        check_axes(session, variant, 1, values, parent.id, model.id, errors)
        errors.raise_if_any()
    model.code, model.family_variant, model.parent = code, variant, parent
    model.values = dict(sorted(values.items()))
    if categories is not None:
        model.categories = categories
    session.add(model)


def _code(session: Session, model: ProductModel, data: dict, errors: Collector, creating: bool
          ) -> str:
    if "code" not in data:
        if creating:
            errors.add("code", "a product model needs a code")
        return model.code
    try:
        code = check_text(data["code"], what="code").strip()
    except Problem as exc:
        errors.add("code", str(exc))
        return model.code
    if not code or len(code) > 255 or any(c in code for c in "\r\n\t,;"):
        errors.add("code", f"{code!r} is not a valid product model code")
    elif code != model.code and session.scalar(
        select(ProductModel.id).where(ProductModel.code == code)
    ):
        raise AlreadyExists("product model", code)
    return code


def _variant_and_parent(session: Session, model: ProductModel, data: dict, errors: Collector,
                        creating: bool) -> tuple[FamilyVariant | None, ProductModel | None]:
    parent = model.parent
    if "parent" in data and data["parent"] is not None:
        parent = session.scalar(select(ProductModel).where(ProductModel.code == data["parent"]))
        if parent is None:
            errors.add("parent", f"product model {data['parent']!r} does not exist")
    elif "parent" in data and not creating and model.parent is not None:
        errors.add("parent", "a sub-model cannot become a root model")
    variant = parent.family_variant if parent is not None else model.family_variant
    if parent is None and "family_variant" in data:
        variant = session.scalar(
            select(FamilyVariant).where(FamilyVariant.code == data["family_variant"])
        )
        if variant is None:
            errors.add("family_variant",
                       f"family variant {data['family_variant']!r} does not exist")
    if creating and variant is None and "family_variant" not in data and parent is None:
        errors.add("family_variant", "a root product model needs a family variant")
    if parent is not None:
        _check_sub_model(model, parent, data, errors)
    if not creating and variant is not None and model.family_variant_id not in (None, variant.id):
        errors.add("family_variant", "the family variant of a product model cannot change")
    return variant, parent


def _check_sub_model(model: ProductModel, parent: ProductModel, data: dict, errors: Collector
                     ) -> None:
    if parent.parent_id is not None or parent.family_variant.levels < 2:
        errors.add("parent", f"product model {parent.code!r} cannot have sub-models")
    wanted = data.get("family_variant")
    if wanted and wanted != parent.family_variant.code:
        errors.add("family_variant", f"a sub-model uses its parent's family variant "
                                     f"{parent.family_variant.code!r}")
    if model.id is not None and parent.id == model.id:
        errors.add("parent", "a product model cannot be its own parent")


def dump_product_model(model: ProductModel, *, merged: bool = True) -> dict[str, Any]:
    """Return the product model in Akeneo's REST shape."""
    return {
        "code": model.code,
        "family": model.family_variant.family.code,
        "family_variant": model.family_variant.code,
        "parent": model.parent.code if model.parent else None,
        "categories": sorted(c.code for c in model.categories),
        "values": merged_values(model) if merged else dict(model.values or {}),
        "created": model.created.isoformat(timespec="seconds") if model.created else None,
        "updated": model.updated.isoformat(timespec="seconds") if model.updated else None,
        "associations": {},
        "quantified_associations": {},
    }


def _flatten(data: dict[str, Any]) -> dict[str, Any]:
    flat = {key: data[key] for key in FLAT_PROPERTIES if key in data}
    flat.update(flatten_values(data.get("values", {})))
    return flat


def _replace(session: Session, code: str, data: dict[str, Any], **stamp: Any) -> ProductModel:
    data = {**data, "categories": data.get("categories", [])}
    return update_product_model(session, code, data, replace=True, **stamp)


def _recreate(session: Session, data: dict[str, Any], entity_id: int, **stamp: Any
              ) -> ProductModel:
    return create_product_model(session, data, entity_id=entity_id, commit=False, **stamp)


def _remove(session: Session, model: ProductModel) -> None:
    children = session.scalar(select(Product.identifier).where(Product.parent_id == model.id))
    sub = session.scalar(select(ProductModel.code).where(ProductModel.parent_id == model.id))
    if children or sub:
        raise InUse(f"product model {model.code!r} still has variants ({children or sub}); "
                    "delete or move them first")
    session.delete(model)


PRODUCT_MODEL = register_kind(ResourceKind(
    name="product_model",
    label="product model",
    model=ProductModel,
    code_attr="code",
    dump=lambda m: dump_product_model(m, merged=False),
    replace=_replace,
    recreate=_recreate,
    remove=_remove,
    flatten=_flatten,
    unflatten=lambda session, flat: unflatten_content(session, flat, FLAT_PROPERTIES),
))
