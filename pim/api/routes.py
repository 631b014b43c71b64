"""Every module that adds routes to the API, imported once so that they register."""

from __future__ import annotations

from flask import Blueprint


def blueprints() -> list[Blueprint]:
    """Return the API's blueprints with all their routes attached."""
    from pim.api import (  # noqa: F401
        asset_rules,
        assets,
        history,
        imports,
        media_files,
        product_models,
        products,
        products_uuid,
        publications,
        search,
        structure,
    )
    from pim.api.blueprint import api
    from pim.api.oauth import token_api
    from pim.api.openapi import docs

    return [api, token_api, docs]
