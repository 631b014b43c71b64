"""The API blueprint: every route authenticates, checks its role and documents itself."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, current_app, g, request
from marshmallow import Schema

from pim import get_session
from pim.api.errors import register_error_handlers
from pim.auth.principal import Principal, principal_for_bearer
from pim.auth.tokens import Unauthenticated

api = Blueprint("api", __name__, url_prefix="/api/rest/v1")
register_error_handlers(api)

# statuses every authenticated operation may answer
COMMON_ERRORS = (401, 403)


@dataclass
class Operation:
    """What the OpenAPI document says about one route and method."""

    summary: str
    tag: str
    action: str | None
    query: type[Schema] | None = None
    body: type[Schema] | None = None
    body_type: str = "application/json"
    responses: dict[int, Any] = field(default_factory=dict)
    public: bool = False


def endpoint(summary: str, *, tag: str, action: str | None, query: type[Schema] | None = None,
             body: type[Schema] | None = None, body_type: str = "application/json",
             responses: dict[int, Any] | None = None, public: bool = False) -> Callable:
    """Describe a view for the OpenAPI document and refuse callers lacking `action`."""
    spec = Operation(summary, tag, action, query, body, body_type, dict(responses or {}),
                     public)

    def wrap(view: Callable) -> Callable:
        @functools.wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            if action is not None:
                principal().require(action)
            return view(*args, **kwargs)

        checked.operation = spec  # type: ignore[attr-defined]
        checked.public = public  # type: ignore[attr-defined]
        return checked

    return wrap


def principal() -> Principal:
    """Return the authenticated caller of this request."""
    found = g.get("principal")
    if found is None:
        raise Unauthenticated("Authentication is required")
    return found


@api.before_request
def _authenticate() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None or getattr(view, "public", False):
        return
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("Authentication is required")
    g.principal = principal_for_bearer(get_session(), token.strip())
