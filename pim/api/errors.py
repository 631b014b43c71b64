"""One error handler for the API face: every refusal is Akeneo's {"code", "message"} body."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Flask, Response, jsonify, request
from marshmallow import ValidationError as SchemaError
from werkzeug.exceptions import HTTPException

from pim.auth.tokens import GrantError, Unauthenticated
from pim.errors import (
    AlreadyExists,
    ConflictError,
    FieldError,
    InUse,
    NotFound,
    PermissionDenied,
    PrismError,
    StorageError,
    ValidationError,
)

log = logging.getLogger(__name__)
API_PREFIX = "/api/"


class ApiError(Exception):
    """An HTTP refusal raised by the API face itself (bad query, wrong content type...)."""

    def __init__(self, status: int, message: str, errors: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message = status, message
        self.errors, self.headers = errors, headers or {}


def error_response(status: int, message: str, errors: list[dict[str, Any]] | None = None,
                   headers: dict[str, str] | None = None) -> Response:
    """Build Akeneo's error body with `status`."""
    body: dict[str, Any] = {"code": status, "message": message}
    if errors is not None:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.headers.update(headers or {})
    return response


def field_errors(messages: Any, prefix: str = "") -> list[dict[str, Any]]:
    """Flatten marshmallow's nested messages into Akeneo's errors array."""
    found: list[dict[str, Any]] = []
    if isinstance(messages, dict):
        for key, inner in messages.items():
            name = prefix if key == "_schema" else f"{prefix}.{key}" if prefix else str(key)
            found.extend(field_errors(inner, name))
    elif isinstance(messages, list | tuple):
        for item in messages:
            found.extend(field_errors(item, prefix))
    else:
        text = str(messages)
        if text == "Unknown field.":
            text = f"Property {prefix.rsplit('.', 1)[-1]!r} does not exist."
        found.append({"property": prefix or "body", "message": text})
    return found


def domain_status(exc: PrismError) -> int:
    """Return the HTTP status a domain error stands for."""
    for kind, status in STATUSES:
        if isinstance(exc, kind):
            return status
    return 422


STATUSES: tuple[tuple[type[PrismError], int], ...] = (
    (NotFound, 404), (AlreadyExists, 422), (ConflictError, 412), (InUse, 422),
    (PermissionDenied, 403), (Unauthenticated, 401), (GrantError, 422), (ValidationError, 422),
    (StorageError, 503),
)


def domain_body(exc: PrismError) -> tuple[int, str, list[dict[str, Any]] | None]:
    """Return (status, message, errors) for a domain error."""
    status = domain_status(exc)
    if isinstance(exc, ValidationError):
        return status, exc.message, [e.as_dict() for e in exc.errors]
    if isinstance(exc, AlreadyExists):
        field = "identifier" if exc.kind == "product" else "code"
        return status, exc.message, [FieldError(field, exc.message).as_dict()]
    return status, exc.message, None


def _is_api() -> bool:
    return request.path.startswith(API_PREFIX)


def register_error_handlers(blueprint: Blueprint) -> None:
    """Answer every error raised by the API's views with Akeneo's JSON body."""

    @blueprint.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Response:
        return error_response(exc.status, exc.message, exc.errors, exc.headers)

    @blueprint.errorhandler(PrismError)
    def _domain_error(exc: PrismError) -> Response:
        status, message, errors = domain_body(exc)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return error_response(status, message, errors, headers)

    @blueprint.errorhandler(SchemaError)
    def _schema_error(exc: SchemaError) -> Response:
        return error_response(422, "Validation failed.", field_errors(exc.messages))

    blueprint.register_error_handler(HTTPException, http_error)

    @blueprint.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        if isinstance(exc, HTTPException):
            return http_error(exc)
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(500, "An unexpected error occurred; it has been logged.")


def http_error(exc: HTTPException) -> Response:
    """Answer an HTTP error (404, 405, 413...) with Akeneo's JSON body."""
    response = error_response(exc.code or 500, _http_message(exc))
    if exc.code == 405 and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def register_routing_errors(app: Flask) -> None:
    """Give unrouted requests under /api/ a JSON 404 or 405; others go to earlier handlers."""
    earlier = app.error_handler_spec.get(None, {}).get(None, {}).get(HTTPException)

    def _routing_error(exc: HTTPException) -> Any:
        if _is_api():
            return http_error(exc)
        return earlier(exc) if earlier is not None else exc

    app.register_error_handler(HTTPException, _routing_error)


def _http_message(exc: HTTPException) -> str:
    if exc.code == 404:
        return f"No route found for '{request.method} {request.path}'"
    if exc.code == 405:
        allowed = ", ".join(exc.valid_methods or [])
        return f"No route found for '{request.method} {request.path}': Method Not Allowed " \
               f"(Allow: {allowed})"
    if exc.code == 413:
        return "The request body is too large."
    return exc.description or exc.name
