"""The REST API face: Akeneo-compatible routes under /api/rest/v1, OAuth, OpenAPI, docs."""

from __future__ import annotations

from flask import Flask


def init_api(app: Flask) -> None:
    """Register the API's blueprints and its JSON answers to routing errors."""
    from pim.api import routes
    from pim.api.errors import register_routing_errors

    for blueprint in routes.blueprints():
        app.register_blueprint(blueprint)
    register_routing_errors(app)
