"""What an export knows about its channel and the catalog structure, read once per run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from exporters.values import Image
from pim.catalog.models import Attribute, AttributeOption, Category, Channel, Family
from pim.catalog.reading import ResolvedProduct


class ImageSource(Protocol):
    """Turns asset codes into images a channel can fetch."""

    def prepare(self, products: list[ResolvedProduct], attributes: set[str]) -> None:
        """Load what the images of these products need, in one go."""

    def images(self, codes: list[str], preset: str | None) -> list[Image]:
        """Return the images of `codes` rendered with `preset`, in order."""


class NoImages:
    """An image source for exports without assets: every code is reported missing."""

    def prepare(self, products: list[ResolvedProduct], attributes: set[str]) -> None:
        """Load nothing."""

    def images(self, codes: list[str], preset: str | None) -> list[Image]:
        """Return no image."""
        return []


@dataclass(frozen=True, slots=True)
class AttributeInfo:
    code: str
    type: str
    localizable: bool
    scopable: bool
    metric_family: str | None
    labels: dict[str, str]


@dataclass(frozen=True, slots=True)
class CategoryInfo:
    code: str
    parent: str | None
    labels: dict[str, str]
    depth: int


@dataclass
class ExportContext:
    """The channel, its locales and currencies, and the structure mappings refer to."""

    channel: str
    kind: str
    locales: list[str]
    currencies: list[str]
    tree: str | None
    settings: dict[str, Any]
    attributes: dict[str, AttributeInfo]
    options: dict[str, dict[str, dict[str, str]]]
    categories: dict[str, CategoryInfo]
    families: dict[str, dict[str, str]]
    identifier_attribute: str | None
    public_url: str
    images: ImageSource = field(default_factory=NoImages)
    # every channel's locales and currencies, for exports of the whole catalog
    catalog_channels: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)

    @property
    def locale(self) -> str:
        """The locale texts are taken in (settings "locale", else the first)."""
        return self.settings.get("locale") or self.locales[0]

    @property
    def fallback_locales(self) -> list[str]:
        """Locales tried in turn when the main locale has no value."""
        return list(self.settings.get("fallback_locales") or [])

    @property
    def currency(self) -> str:
        """The currency prices are taken in (settings "currency", else the first)."""
        return self.settings.get("currency") or self.currencies[0]

    def option_label(self, attribute: str, code: str, locales: list[str]) -> str:
        """Return the label of an option in the first locale that has one, else its code."""
        labels = self.options.get(attribute, {}).get(code.lower()) or {}
        for locale in locales:
            if labels.get(locale):
                return labels[locale]
        return code

    def attribute_label(self, code: str, locales: list[str]) -> str:
        """Return an attribute's label in the first locale that has one, else its code."""
        info = self.attributes.get(code)
        labels = info.labels if info else {}
        return next((labels[loc] for loc in locales if labels.get(loc)), code)

    def category_label(self, code: str, locales: list[str]) -> str:
        """Return a category's label in the first locale that has one, else its code."""
        info = self.categories.get(code)
        labels = info.labels if info else {}
        return next((labels[loc] for loc in locales if labels.get(loc)), code)

    def category_path(self, code: str) -> list[str]:
        """Codes from just below the tree root down to `code`."""
        path = []
        current: str | None = code
        while current is not None and current in self.categories:
            path.append(current)
            current = self.categories[current].parent
        path.reverse()
        return path[1:] if len(path) > 1 else path

    def deepest_category(self, product: ResolvedProduct) -> str | None:
        """The product's most specific category inside the channel's tree."""
        return self.deepest_of(product.categories)

    def deepest_of(self, categories: tuple[str, ...]) -> str | None:
        """The most specific of these categories inside the channel's tree."""
        inside = [c for c in categories if self.in_tree(c)]
        if not inside:
            return None
        return min(inside, key=lambda c: (-self.categories[c].depth, c))

    def in_tree(self, code: str) -> bool:
        """Tell whether `code` belongs to the channel's category tree."""
        if code not in self.categories:
            return False
        return self.tree is None or self.category_path_root(code) == self.tree

    def category_path_root(self, code: str) -> str:
        current = code
        while self.categories[current].parent is not None:
            current = self.categories[current].parent  # type: ignore[assignment]
        return current


def build_context(session: Session, channel: Channel, *, public_url: str,
                  images: ImageSource | None = None, kind: str | None = None) -> ExportContext:
    """Read the structure an export of `channel` needs."""
    attributes = {
        a.code: AttributeInfo(a.code, a.type, a.localizable, a.scopable,
                              a.prop("metric_family"), dict(a.labels or {}))
        for a in session.scalars(select(Attribute))
    }
    return ExportContext(
        channel=channel.code, kind=kind or channel.exporter or "", locales=list(channel.locales),
        currencies=list(channel.currencies),
        tree=channel.category_tree.code if channel.category_tree else None,
        settings=dict(channel.settings or {}), attributes=attributes,
        options=_options(session), categories=_categories(session),
        families={f.code: dict(f.labels or {}) for f in session.scalars(select(Family))},
        identifier_attribute=next(
            (a.code for a in attributes.values() if a.type == "pim_catalog_identifier"), None),
        public_url=public_url.rstrip("/"), images=images or NoImages(),
        catalog_channels={c.code: (list(c.locales), list(c.currencies))
                          for c in session.scalars(select(Channel).order_by(Channel.code))},
    )


def _options(session: Session) -> dict[str, dict[str, dict[str, str]]]:
    rows = session.execute(
        select(Attribute.code, AttributeOption.code, AttributeOption.labels)
        .join(Attribute, Attribute.id == AttributeOption.attribute_id))
    found: dict[str, dict[str, dict[str, str]]] = {}
    for attribute, code, labels in rows:
        found.setdefault(attribute, {})[code.lower()] = dict(labels or {})
    return found


def _categories(session: Session) -> dict[str, CategoryInfo]:
    rows = session.execute(select(Category.id, Category.code, Category.parent_id,
                                  Category.labels)).all()
    codes = {r.id: r.code for r in rows}
    parents = {r.id: r.parent_id for r in rows}

    def depth(category_id: int) -> int:
        count = 0
        while parents.get(category_id) is not None:
            category_id = parents[category_id]  # type: ignore[assignment]
            count += 1
        return count

    return {r.code: CategoryInfo(r.code, codes.get(r.parent_id), dict(r.labels or {}),
                                 depth(r.id)) for r in rows}
