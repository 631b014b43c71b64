"""The editors' web UI: server-rendered Jinja2 pages with htmx, no build step."""

from __future__ import annotations

import importlib

from flask import Blueprint, Flask

# modules defining one blueprint `bp` each, in the order the navigation shows them
PAGE_MODULES = (
    "pim.web.base",
    "pim.web.auth_views",
    "pim.web.dashboard",
    "pim.web.grid",
    "pim.web.bulk",
    "pim.web.editor",
    "pim.web.conflicts",
    "pim.web.history",
    "pim.web.jobs_views",
    "pim.web.assets_views",
    "pim.web.imports_views",
    "pim.web.channels_views",
    "pim.web.channel_mapping",
    "pim.web.publications_views",
    "pim.web.settings.attributes",
    "pim.web.settings.families",
    "pim.web.settings.categories",
    "pim.web.settings.channels",
    "pim.web.settings.users",
)


def page_blueprints() -> list[Blueprint]:
    """Import the UI's page modules and return their blueprints."""
    return [importlib.import_module(name).bp for name in PAGE_MODULES]


def init_app(app: Flask) -> None:
    """Attach the UI: sign-in, CSRF protection, pages, template helpers and error pages."""
    from pim.web.errors import register_error_pages
    from pim.web.security import init_security
    from pim.web.templating import init_templating

    blueprints = page_blueprints()
    init_security(app, {bp.name for bp in blueprints})
    init_templating(app)
    for bp in blueprints:
        register_error_pages(bp)
        app.register_blueprint(bp)
