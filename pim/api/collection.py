"""PATCH on a collection: one JSON object per line, each saved or refused on its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response
from marshmallow import ValidationError as SchemaError

from pim import get_session
from pim.api.errors import ApiError, domain_body, field_errors
from pim.api.http import collection_lines, collection_response
from pim.catalog.structure_cache import forget_structure
from pim.errors import PrismError

Handler = Callable[[dict[str, Any]], int]


def patch_collection(key: str, handle: Handler) -> Response:
    """Upsert each line with `handle` (which returns 201 or 204) and report every line."""
    session = get_session()
    report = []
    for number, data, problem in collection_lines():
        line: dict[str, Any] = {"line": number}
        if problem is not None:
            report.append({**line, "status_code": 400, "message": problem})
            continue
        if not isinstance(data, dict) or not isinstance(data.get(key), str) or not data[key]:
            report.append({**line, "status_code": 422,
                           "message": f"{key.capitalize()} is missing."})
            continue
        line[key] = data[key]
        report.append({**line, **_apply(session, handle, data)})
    return collection_response(report)


def _apply(session: Any, handle: Handler, data: dict[str, Any]) -> dict[str, Any]:
    try:
        with session.begin_nested():
            status = handle(data)
        session.commit()
        return {"status_code": status}
    except ApiError as exc:
        outcome = _refusal(exc.status, exc.message, exc.errors)
    except SchemaError as exc:
        outcome = _refusal(422, "Validation failed.", field_errors(exc.messages))
    except PrismError as exc:
        outcome = _refusal(*domain_body(exc))
    session.rollback()
    forget_structure(session)
    return outcome


def _refusal(status: int, message: str, errors: list[dict[str, Any]] | None) -> dict[str, Any]:
    outcome: dict[str, Any] = {"status_code": status, "message": message}
    if errors:
        outcome["errors"] = errors
    return outcome
