"""The product grid: search box, facets and filters, sortable columns, pages, bulk selection."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, current_app, render_template, request
from sqlalchemy.orm import Session

from pim import get_session
from pim.catalog import services as s
from pim.catalog.models import Product
from pim.catalog.variants import merged_values
from pim.errors import ValidationError
from pim.web import reads
from pim.web.grid_query import (
    PER_PAGE_CHOICES,
    UPDATED_CHOICES,
    GridQuery,
    GridResult,
    load_products,
    run_grid,
)
from pim.web.templating import ui_locale

bp = Blueprint("grid", __name__)


@dataclass(frozen=True)
class GridRow:
    """One product line of the grid."""

    identifier: str
    label: str
    family: str
    parent: str | None
    image: str | None
    ratio: int | None
    enabled: bool
    status: str
    updated: Any


def pick_channel(db: Session, code: str) -> Any:
    """Return the channel named `code`, or the first one, or None when there is none."""
    channels = s.list_channels(db)
    return next((c for c in channels if c.code == code), channels[0] if channels else None)


def grid_locale(query: GridQuery, channel: Any) -> str:
    """Return the locale the grid shows labels and completeness in."""
    locales = list(channel.locales) if channel is not None else []
    if query.locale in locales:
        return query.locale
    return ui_locale() if ui_locale() in locales or not locales else locales[0]


@bp.route("/products")
def index() -> str:
    """Show the grid, or only its results when htmx asks for them."""
    db = get_session()
    query = GridQuery.from_args(request.args)
    channel = pick_channel(db, query.channel)
    locale = grid_locale(query, channel)
    problem = None
    try:
        result = run_grid(current_app, db, query, channel)
    except ValidationError as exc:
        db.rollback()
        problem = "; ".join(e.message for e in exc.errors) or exc.message
        result = GridResult([], 0)
    products = result.products if result.products is not None else load_products(
        db, result.identifiers)
    context = {
        "query": query, "result": result, "problem": problem, "channel": channel,
        "locale": locale,
        "rows": grid_rows(db, products, channel, locale, complete_locale=query.locale),
        "first": (query.page - 1) * query.per_page + 1 if result.full_text else None,
    }
    context["families"] = s.list_families(db)
    if request.headers.get("HX-Target") == "results":
        context["category_codes"] = [c.code for c in s.list_categories(db)]
        return render_template("products/_results.html", **context)
    return render_template(
        "products/grid.html", **context, channels=s.list_channels(db),
        forest=reads.category_forest(db, {query.category}),
        per_page_choices=PER_PAGE_CHOICES, updated_choices=UPDATED_CHOICES)


def grid_rows(db: Session, products: list[Product], channel: Any, locale: str, *,
              complete_locale: str = "") -> list[GridRow]:
    """Build the grid's lines: label, main image and completeness of each product."""
    ratios: dict[int, int] = {}
    if channel is not None:
        locales = [complete_locale] if complete_locale in channel.locales else list(
            channel.locales)
        ratios = reads.completeness_ratios(db, [p.id for p in products], channel.id, locales)
    labels = {a.code: a for a in s.list_attributes(db)} if products else {}
    rows = []
    for product in products:
        values = merged_values(product)
        family = product.family
        rows.append(GridRow(
            product.identifier,
            _label(values, family.attribute_as_label if family else None, labels, locale),
            family.code if family else "", product.parent.code if product.parent else None,
            _image(values, family.attribute_as_image if family else None),
            ratios.get(product.id), product.enabled, product.status, product.updated))
    return rows


def _label(values: dict, code: str | None, attributes: dict, locale: str) -> str:
    attribute = attributes.get(code or "")
    if attribute is None:
        return ""
    for entry in values.get(attribute.code, ()):
        if entry.get("locale") in (None, locale) and entry.get("data"):
            return str(entry["data"])
    return ""


def _image(values: dict, code: str | None) -> str | None:
    for entry in values.get(code or "", ()):
        data = entry.get("data")
        if isinstance(data, list) and data:
            return str(data[0])
    return None
