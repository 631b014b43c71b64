"""Category trees."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pim.catalog import trash
from pim.catalog.codes import Collector, check_code, check_keys, check_labels
from pim.catalog.content import Stamp, save
from pim.catalog.models import Category, Channel, product_categories, product_model_categories
from pim.catalog.resources import ResourceKind, register_kind
from pim.errors import AlreadyExists, InUse, NotFound

FIELDS = {"code", "parent", "labels", "position"}


def get_category(session: Session, code: str) -> Category:
    """Return the category `code`."""
    category = session.scalar(select(Category).where(Category.code == code))
    if category is None:
        raise NotFound("category", code)
    return category


def list_categories(session: Session, parent: str | None = None) -> list[Category]:
    """List categories, trees first then by position and code."""
    query = select(Category).order_by(Category.parent_id.is_not(None), Category.position,
                                      Category.code)
    if parent:
        query = query.where(Category.parent_id == get_category(session, parent).id)
    return list(session.scalars(query))


def create_category(session: Session, data: dict[str, Any], *, author: str, source: str = "ui",
                    commit: bool = True, entity_id: int | None = None,
                    changeset_id: str | None = None) -> Category:
    """Create a category; a category without parent starts a tree."""
    category = Category(labels={})
    if entity_id is not None:
        category.id = entity_id
    _apply(session, category, data, creating=True)
    save(session, CATEGORY, category, None, Stamp(author, source, None, changeset_id),
         commit=commit)
    return category


def update_category(session: Session, code: str, data: dict[str, Any], *, author: str,
                    source: str = "ui", replace: bool = False, commit: bool = True,
                    changeset_id: str | None = None, comment: str | None = None) -> Category:
    """Patch a category: labels given replace those locales, parent may move it."""
    category = get_category(session, code)
    before = dump_category(category)
    if not replace and isinstance(data, dict) and isinstance(data.get("labels"), dict):
        data = {**data, "labels": {**category.labels, **data["labels"]}}
    _apply(session, category, data, creating=False)
    save(session, CATEGORY, category, before, Stamp(author, source, comment, changeset_id),
         commit=commit)
    return category


def delete_category(session: Session, code: str, *, author: str, commit: bool = True) -> None:
    """Move a category without children, products or channel to the trash."""
    trash.put(session, CATEGORY, get_category(session, code), author=author)
    if commit:
        session.commit()


def ancestors(category: Category) -> list[Category]:
    """Return the category's ancestors, root first."""
    chain = []
    node = category.parent
    while node is not None:
        chain.append(node)
        node = node.parent
    return list(reversed(chain))


def _apply(session: Session, category: Category, data: Any, *, creating: bool) -> None:
    errors = Collector()
    data = check_keys(data, FIELDS, errors, {"updated", "_links"})
    code = category.code
    if creating or "code" in data:
        code = check_code(data.get("code"), errors)
        if code and code != category.code and session.scalar(
            select(Category.id).where(Category.code == code)
        ):
            raise AlreadyExists("category", code)
    parent = category.parent
    if "parent" in data:
        parent = _parent(session, category if not creating else Category(), data["parent"],
                         errors)
    labels = check_labels(data.get("labels", category.labels), errors)
    position = data.get("position", category.position or 0)
    if not isinstance(position, int) or isinstance(position, bool) or position < 0:
        errors.add("position", "position must be a whole number from 0")
    errors.raise_if_any()
    category.code, category.parent, category.labels = code, parent, labels
    category.position = position
    session.add(category)


def _parent(session: Session, category: Category, code: Any, errors: Collector
            ) -> Category | None:
    if code is None:
        if category.id is not None and category.parent_id is not None:
            errors.add("parent", "a category cannot be turned into a tree")
        return None
    parent = session.scalar(select(Category).where(Category.code == code))
    if parent is None:
        errors.add("parent", f"category {code!r} does not exist")
        return None
    if category.id is not None and category.parent_id is None and category.id != parent.id:
        errors.add("parent", "a tree root cannot be moved under another category")
    node: Category | None = parent
    while node is not None:
        if category.id is not None and node.id == category.id:
            errors.add("parent", "a category cannot be moved under itself or its children")
            return None
        node = node.parent
    return parent


def dump_category(category: Category) -> dict[str, Any]:
    """Return the category in Akeneo's REST shape."""
    return {
        "code": category.code,
        "parent": category.parent.code if category.parent else None,
        "position": category.position,
        "labels": dict(category.labels or {}),
    }


def _remove(session: Session, category: Category) -> None:
    users = []
    if session.scalar(select(Category.code).where(Category.parent_id == category.id)):
        users.append("it has child categories")
    for table, label in ((product_categories, "products"),
                         (product_model_categories, "product models")):
        if session.scalar(select(table.c.category_id).where(
                table.c.category_id == category.id).limit(1)):
            users.append(f"{label} are classified in it")
    if session.scalar(select(Channel.code).where(Channel.category_tree_id == category.id)):
        users.append("a channel exports this tree")
    if users:
        raise InUse(f"category {category.code!r} cannot be deleted: {'; '.join(users)}")
    session.delete(category)


def _replace(session: Session, code: str, data: dict[str, Any], **stamp: Any) -> Category:
    return update_category(session, code, data, replace=True, **stamp)


def _recreate(session: Session, data: dict[str, Any], entity_id: int, **stamp: Any
              ) -> Category:
    return create_category(session, data, entity_id=entity_id, commit=False, **stamp)


CATEGORY = register_kind(ResourceKind(
    name="category", label="category", model=Category, code_attr="code", dump=dump_category,
    replace=_replace, recreate=_recreate, remove=_remove,
))
