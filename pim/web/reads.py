"""Read models the editor pages need: the variant tree, category trees, latest versions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pim.catalog import services as s
from pim.catalog.models import Category, Completeness, Product, ProductModel, Version
from pim.catalog.values import get_value
from pim.web.templating import label

MAX_VARIANTS_SHOWN = 200


@dataclass
class TreeNode:
    """A product model or variant product in its family variant's tree."""

    kind: str
    code: str
    axes: str
    current: bool = False
    children: list[TreeNode] = field(default_factory=list)
    more: int = 0


def variant_tree(session: Session, entity: Product | ProductModel) -> TreeNode | None:
    """Return the tree of the entity's root model, or None for a simple product."""
    root = entity if isinstance(entity, ProductModel) else entity.parent
    if root is None:
        return None
    while root.parent is not None:
        root = root.parent
    current = ("product" if isinstance(entity, Product) else "product_model",
               getattr(entity, "identifier", None) or entity.code)
    return _model_node(session, root, current)


def _model_node(session: Session, model: ProductModel, current: tuple[str, str]) -> TreeNode:
    variant = model.family_variant
    node = TreeNode("product_model", model.code, _axes(variant, model.level, model.values),
                    current == ("product_model", model.code))
    for child in session.scalars(select(ProductModel).where(ProductModel.parent_id == model.id)
                                 .order_by(ProductModel.code)):
        node.children.append(_model_node(session, child, current))
    level = model.level + 1
    rows = session.execute(select(Product.identifier, Product.values)
                           .where(Product.parent_id == model.id).order_by(Product.identifier)
                           .limit(MAX_VARIANTS_SHOWN + 1)).all()
    for identifier, values in rows[:MAX_VARIANTS_SHOWN]:
        node.children.append(TreeNode("product", identifier, _axes(variant, level, values),
                                      current == ("product", identifier)))
    node.more = max(0, len(rows) - MAX_VARIANTS_SHOWN)
    return node


def _axes(variant: Any, level: int, values: dict) -> str:
    if level == 0:
        return ""
    axes = variant.level_set(level)["axes"]
    return ", ".join(f"{code}: {get_value(values or {}, code, None, None)}" for code in axes)


@dataclass
class CategoryNode:
    """A category with its children, and whether the product is classified in it."""

    code: str
    label: str
    checked: bool
    children: list[CategoryNode] = field(default_factory=list)

    def any_checked(self) -> bool:
        return self.checked or any(child.any_checked() for child in self.children)


def category_forest(session: Session, checked: set[str], locale: str | None = None
                    ) -> list[CategoryNode]:
    """Return every category tree, marking the categories in `checked`."""
    categories: list[Category] = s.list_categories(session)
    nodes = {c.id: CategoryNode(c.code, label(c, locale), c.code in checked) for c in categories}
    roots = []
    for category in categories:
        node = nodes[category.id]
        parent = nodes.get(category.parent_id) if category.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


def latest_version(session: Session, resource_type: str, entity_id: int) -> int:
    """Return the number of the entity's newest version (0 when it has none)."""
    return int(session.scalar(select(func.coalesce(func.max(Version.number), 0)).where(
        Version.resource_type == resource_type, Version.resource_id == entity_id)) or 0)


def changeset_versions(session: Session, changeset_id: str, limit: int = 500) -> list[Version]:
    """Return the versions a changeset wrote, in the order they were written."""
    return list(session.scalars(select(Version).where(Version.changeset_id == changeset_id)
                                .order_by(Version.id).limit(limit)))


def changeset_kinds(session: Session, changeset_id: str) -> set[str]:
    """Return the kinds of entity a changeset touched."""
    return set(session.scalars(select(Version.resource_type).distinct()
                               .where(Version.changeset_id == changeset_id)))


def completeness_ratios(session: Session, product_ids: list[int], channel_id: int,
                        locales: list[str]) -> dict[int, int]:
    """Return each product's lowest completeness ratio on a channel over `locales`."""
    if not product_ids:
        return {}
    rows = session.execute(
        select(Completeness.product_id, func.min(Completeness.ratio))
        .where(Completeness.product_id.in_(product_ids), Completeness.channel_id == channel_id,
               Completeness.locale.in_(locales))
        .group_by(Completeness.product_id)).all()
    return {product_id: int(ratio) for product_id, ratio in rows}
