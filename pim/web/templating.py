"""Template helpers: labels in the user's language, times, sanitized rich text, links."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, request, url_for
from flask_login import current_user
from markupsafe import Markup

from pim.auth.roles import APPROVE, MANAGE_STRUCTURE, MANAGE_USERS, READ, WRITE_CONTENT
from pim.catalog.types import Problem, type_for
from pim.catalog.types.text import sanitize_html
from pim.web.security import can

DEFAULT_LOCALE = "en_US"


def ui_locale() -> str:
    """Return the locale the signed-in user reads labels in."""
    locale = getattr(current_user, "ui_locale", None)
    return locale or DEFAULT_LOCALE


def label(entity: Any, locale: str | None = None) -> str:
    """Return an entity's label in `locale` (or the user's), falling back to its code."""
    labels = getattr(entity, "labels", None) or {}
    if isinstance(entity, dict):
        labels = entity.get("labels") or {}
    locale = locale or ui_locale()
    code = entity.get("code") if isinstance(entity, dict) else getattr(entity, "code", "")
    return labels.get(locale) or labels.get(DEFAULT_LOCALE) or str(code or "")


def when(moment: dt.datetime | str | None) -> str:
    """Format a time as `YYYY-MM-DD HH:MM UTC`."""
    if moment is None or moment == "":
        return ""
    if isinstance(moment, str):
        try:
            moment = dt.datetime.fromisoformat(moment)
        except ValueError:
            return moment
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def rich(html: str | None) -> Markup:
    """Render rich text through the sanitizer; never trust stored HTML as it is."""
    return Markup(sanitize_html(html or ""))


def show_value(data: Any, type_code: str | None) -> str:
    """Render a value's data as plain text for its attribute type."""
    if data is None:
        return ""
    try:
        return type_for(type_code or "").format(data)
    except Problem:
        return str(data)


def url_with(**changes: Any) -> str:
    """Return the current page's URL with some query arguments replaced or removed."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None or value == "":
            args.pop(key, None)
        else:
            args[key] = value
    return url_for(request.endpoint or "dashboard.index", **(request.view_args or {}), **args)


@dataclass(frozen=True)
class NavItem:
    """A page in the main navigation, shown when its view exists and the role allows it."""

    label: str
    endpoint: str
    action: str

    @property
    def blueprint(self) -> str:
        return self.endpoint.split(".")[0]

    @property
    def url(self) -> str:
        return url_for(self.endpoint)


FEATURE_NAV = (
    NavItem("Assets", "assets_ui.index", READ),
    NavItem("Imports", "imports_ui.index", WRITE_CONTENT),
    NavItem("Channels", "channels_ui.index", READ),
    NavItem("Jobs", "jobs_ui.index", READ),
)


def extra_nav() -> list[NavItem]:
    """Return the feature pages this installation has and the user may open."""
    return [item for item in FEATURE_NAV
            if item.endpoint in current_app.view_functions and can(item.action)]


def asset_thumb(code: str) -> str | None:
    """Return the URL of an asset's thumbnail, when the app serves asset renditions."""
    if "media.asset_rendition" not in current_app.view_functions:
        return None
    from pim.web.assets_views import thumbnail_url

    return thumbnail_url(code)


def asset_picker_endpoint() -> str | None:
    """Return the endpoint of the asset picker fragment, when the asset library exists."""
    endpoint = "assets_ui.picker"
    return endpoint if endpoint in current_app.view_functions else None


def product_links(identifier: str) -> list[dict[str, str]]:
    """Return links to the product's other pages (its listing on every channel)."""
    if "channels_ui.listing" not in current_app.view_functions:
        return []
    return [{"label": "Listing on channels",
             "url": url_for("channels_ui.listing", identifier=identifier)}]


def bulk_extra_actions() -> list[dict[str, str]]:
    """Return the bulk actions features add to the grid (publishing, once channels exist)."""
    if "bulk.publish" not in current_app.view_functions:
        return []
    return [{"value": "publish", "label": "Publish to a channel"}]


def exporter_kinds() -> list[str]:
    """Return the kinds of exporter a channel may name."""
    try:
        from exporters.registry import BUILTIN
    except ImportError:
        return []
    return sorted(BUILTIN)


def init_templating(app: Flask) -> None:
    """Register the UI's filters and globals with Jinja."""
    app.jinja_env.filters.update(label=label, when=when, rich=rich, show_value=show_value)
    app.jinja_env.globals.update(
        can=can, ui_locale=ui_locale, url_with=url_with, extra_nav=extra_nav,
        asset_thumb=asset_thumb, asset_picker_endpoint=asset_picker_endpoint,
        product_links=product_links, bulk_extra_actions=bulk_extra_actions,
        exporter_kinds=exporter_kinds, READ=READ,
        WRITE_CONTENT=WRITE_CONTENT, APPROVE=APPROVE, MANAGE_STRUCTURE=MANAGE_STRUCTURE,
        MANAGE_USERS=MANAGE_USERS,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
