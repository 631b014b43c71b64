"""How the UI says no: error pages, or a message fragment for htmx requests."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from pim.errors import (
    AlreadyExists,
    ConflictError,
    InUse,
    NotFound,
    PermissionDenied,
    PrismError,
    ValidationError,
)

STATUS = {NotFound: 404, PermissionDenied: 403, AlreadyExists: 409, ConflictError: 409,
          InUse: 409, ValidationError: 422}
TITLES = {400: "Bad request", 401: "Sign-in needed", 403: "Not allowed", 404: "Not found",
          405: "Not allowed here", 409: "Conflict", 413: "Too large", 422: "Invalid input",
          429: "Too many requests"}


def error_response(status: int, message: str, details: list[str] | None = None) -> Response:
    """Render an error as a page, or as a message fragment when htmx asked."""
    title = TITLES.get(status, "Something went wrong")
    if request.headers.get("HX-Request"):
        body = render_template("errors/_message.html", title=title, message=message,
                               details=details or [])
        response = Response(body, status=status)
        response.headers["HX-Retarget"] = "#messages"
        response.headers["HX-Reswap"] = "innerHTML"
        return response
    body = render_template("errors/error.html", status=status, title=title, message=message,
                           details=details or [])
    return Response(body, status=status)


def _domain_error(exc: PrismError) -> Response:
    status = next((code for cls, code in STATUS.items() if isinstance(exc, cls)), 400)
    details = [f"{e.where()}: {e.message}" for e in getattr(exc, "errors", [])]
    return error_response(status, exc.message, details)


def _http_error(exc: HTTPException) -> Response:
    messages = {403: "Your role does not allow this.",
                404: "There is nothing at this address."}
    return error_response(exc.code or 500, messages.get(exc.code or 0, exc.description or ""))


def _csrf_error(exc: CSRFError) -> Response:
    return error_response(400, "This form has expired or did not come from Prism "
                               f"({exc.description}). Reload the page and try again.")


def register_error_pages(bp: Blueprint) -> None:
    """Make `bp` answer domain and HTTP errors with readable pages (once per blueprint)."""
    if getattr(bp, "prism_error_pages", False):
        return
    bp.prism_error_pages = True  # type: ignore[attr-defined]
    bp.register_error_handler(CSRFError, _csrf_error)
    bp.register_error_handler(PrismError, _domain_error)
    bp.register_error_handler(HTTPException, _http_error)
