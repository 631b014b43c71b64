"""The OpenAPI 3 document, built by apispec from the routes' marshmallow schemas, and the
browsable page at /api/docs (vendored Swagger UI, works offline)."""

from __future__ import annotations

import re
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Flask, Response, current_app, url_for

from pim.api.blueprint import Operation, api, endpoint
from pim.api.http import ok
from pim.api.schemas.auth import TokenOut, TokenRequest
from pim.api.schemas.common import Error

docs = Blueprint("api_docs", __name__, static_folder="static",
                 static_url_path="/api/docs/static")
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
ERRORS = {400: "Malformed request", 401: "Missing, unknown or expired token",
          403: "The role or token scope does not allow it", 404: "Not found",
          412: "Stale If-Match", 413: "Body or collection too large",
          415: "Wrong content type", 422: "Invalid data", 429: "Too many requests"}
DESCRIPTION = """Akeneo-compatible REST API of Prism.

Get a token at `POST /api/oauth/v1/token` (HTTP Basic with the client id and secret,
`grant_type` password or refresh_token), or use a personal token; send it as
`Authorization: Bearer <token>`. Lists take `page`/`limit` (at most 100), `with_count`
and Akeneo's `search` JSON filters; products and product models also take
`pagination_type=search_after`, `scope`, `locales` and `attributes`."""


@api.get("/openapi.json")
@endpoint("This OpenAPI document", tag="Documentation", action=None, public=True,
          responses={200: "The OpenAPI 3 document"})
def openapi_document() -> Response:
    return ok(build_spec(current_app))


@docs.get("/api/docs")
def browse() -> Response:
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Prism REST API</title>
<link rel="stylesheet" href="{url_for('api_docs.static', filename='swagger-ui/swagger-ui.css')}">
<link rel="icon" href="{url_for('api_docs.static', filename='swagger-ui/favicon-32x32.png')}">
</head><body data-spec="{url_for('api.openapi_document')}"><div id="swagger-ui"></div>
<script src="{url_for('api_docs.static', filename='swagger-ui/swagger-ui-bundle.js')}"></script>
<script src="{url_for('api_docs.static', filename='swagger-ui/prism-init.js')}"></script>
</body></html>"""
    return Response(page, mimetype="text/html")


def build_spec(app: Flask) -> dict[str, Any]:
    """Build the OpenAPI 3 document of every API route from its schemas."""
    spec = APISpec(title="Prism REST API", version="1.0.0", openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()], info={"description": DESCRIPTION})
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.security_scheme("client", {"type": "http", "scheme": "basic"})
    spec.components.schema("Error", schema=Error)
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions.get(rule.endpoint)
        operation: Operation | None = getattr(view, "operation", None)
        if operation is None:
            continue
        method = next(m for m in rule.methods or () if m not in ("HEAD", "OPTIONS")).lower()
        paths.setdefault(PARAM.sub(r"{\2}", rule.rule), {})[method] = _operation(
            rule, operation)
    paths["/api/oauth/v1/token"] = {"post": _token_operation()}
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


def _operation(rule: Any, op: Operation) -> dict[str, Any]:
    name = rule.endpoint.split(".", 1)[1]
    parameters: list[Any] = [
        {"in": "path", "name": arg, "required": True,
         "schema": {"type": "integer"} if conv == "int" else {"type": "string"}}
        for conv, arg in PARAM.findall(rule.rule)]
    if op.query is not None:
        parameters.append({"in": "query", "schema": op.query})
    data: dict[str, Any] = {"operationId": name, "summary": op.summary, "tags": [op.tag],
                            "parameters": parameters, "responses": _responses(rule, op)}
    if op.body is not None:
        data["requestBody"] = {"required": op.body_type != "optional",
                               "content": {op.body_type: {"schema": op.body}}}
    data["security"] = [] if op.public else [{"bearer": []}]
    return data


def _responses(rule: Any, op: Operation) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    statuses = dict(op.responses)
    if not op.public:
        statuses.setdefault(401, ERRORS[401])
        statuses.setdefault(403, ERRORS[403])
    if "<" in rule.rule:
        statuses.setdefault(404, ERRORS[404])
    if op.query is not None:
        statuses.setdefault(422, ERRORS[422])
    if op.body is not None:
        for status in (400, 413, 415, 422):
            statuses.setdefault(status, ERRORS[status])
    for status, what in sorted(statuses.items()):
        responses[str(status)] = _response(status, what, op)
    return responses


def _response(status: int, what: Any, op: Operation) -> dict[str, Any]:
    if isinstance(what, dict):  # a response object written out (redirects, binary bodies)
        return what
    if what is None:
        return {"description": {201: "Created; Location names it",
                                204: "Done"}.get(status, "Done")}
    if isinstance(what, str):
        if status < 300:
            return {"description": what, "content": {"application/json": {"schema": {
                "type": "object"}}}}
        return {"description": what,
                "content": {"application/json": {"schema": "Error"}}}
    media = op.body_type if op.body_type != "application/json" and status == 200 else (
        "application/json")
    return {"description": "OK", "content": {media: {"schema": what}}}


def _token_operation() -> dict[str, Any]:
    return {
        "operationId": "get_token", "summary": "Get an access token (password or refresh grant)",
        "tags": ["Authentication"], "security": [{"client": []}],
        "requestBody": {"required": True, "content": {
            "application/json": {"schema": TokenRequest},
            "application/x-www-form-urlencoded": {"schema": TokenRequest}}},
        "responses": {
            "200": {"description": "Tokens", "content": {"application/json": {
                "schema": TokenOut}}},
            **{str(s): {"description": ERRORS[s], "content": {"application/json": {
                "schema": "Error"}}} for s in (400, 415, 422, 429)},
        },
    }
