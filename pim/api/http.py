"""Reading requests and shaping answers: JSON bodies, collections, ETags, locations."""

from __future__ import annotations

import json
from typing import Any

import orjson
from flask import Response, current_app, jsonify, request, url_for
from marshmallow import Schema

from pim.api.errors import ApiError, field_errors

JSON = "application/json"
# the answer Flask's encoder writes (keys sorted, dates and dataclasses through its default),
# written by orjson: several times faster than the json module on pages of products
ORJSON_OPTIONS = (orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
                  | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS)
COLLECTION = "application/vnd.akeneo.collection+json"
BAD_JSON = "Invalid json message received"


def require_content_type(expected: str) -> None:
    """Refuse (415) a body that does not say it is `expected`."""
    given = request.mimetype
    if not given:
        raise ApiError(415, f"The 'Content-type' header is missing. '{expected}' has to be "
                            "specified as value.")
    if given != expected:
        raise ApiError(415, f"'{given}' in 'Content-type' header is not valid. Only "
                            f"'{expected}' is allowed.")


def raw_text() -> str:
    """Return the request body as text; too large a body is refused (413) by Flask."""
    data = request.get_data(cache=True)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, f"{BAD_JSON}: the body is not UTF-8") from None


def json_body(schema: type[Schema] | None = None, *, partial: bool = True) -> Any:
    """Return the JSON body, checked against `schema` (422 listing every bad property)."""
    require_content_type(JSON)
    text = raw_text()
    try:
        data = json.loads(text) if text.strip() else None
    except ValueError:
        raise ApiError(400, BAD_JSON) from None
    if data is None and not text.strip():
        raise ApiError(400, f"{BAD_JSON}: the body is empty")
    if schema is not None:
        check(schema, data, partial=partial)
    return data


def check(schema: type[Schema], data: Any, *, partial: bool = True) -> None:
    """Raise 422 with Akeneo's errors array when `data` does not fit `schema`."""
    if not isinstance(data, dict):
        raise ApiError(422, "Validation failed.", [
            {"property": "body", "message": "expected a JSON object"}])
    problems = schema().validate(data, partial=partial)
    if problems:
        raise ApiError(422, "Validation failed.", field_errors(problems))


def collection_lines() -> list[tuple[int, Any, str | None]]:
    """Split a collection PATCH into (line number, object, problem) for each line."""
    require_content_type(COLLECTION)
    limit = current_app.config.get("API_COLLECTION_LIMIT", 100)
    lines = [line for line in raw_text().split("\n") if line.strip()]
    if len(lines) > limit:
        raise ApiError(413, f"Too many resources to process, {limit} is the maximum allowed.")
    parsed = []
    for number, line in enumerate(lines, start=1):
        try:
            parsed.append((number, json.loads(line), None))
        except ValueError:
            parsed.append((number, None, BAD_JSON))
    return parsed


def collection_response(lines: list[dict[str, Any]]) -> Response:
    """Answer a collection PATCH: one JSON status object per line."""
    body = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    return Response(body, status=200, mimetype=COLLECTION)


def etag(version: int) -> str:
    """Return the ETag header value of an entity version."""
    return f'"{version}"'


def with_etag(response: Response, version: int) -> Response:
    """Give `response` the ETag of the entity version it answers with."""
    response.headers["ETag"] = etag(version)
    return response


def expected_version() -> int | None:
    """Return the version named by If-Match, None when absent or "*"; -1 if unreadable."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    value = header.split(",")[0].strip().removeprefix("W/").strip('"')
    return int(value) if value.isdigit() else -1


def created(endpoint: str, **values: Any) -> Response:
    """Answer 201 with the Location of the new resource."""
    response = Response(status=201)
    response.headers["Location"] = url_for(endpoint, _external=True, **values)
    return response


def updated(endpoint: str, **values: Any) -> Response:
    """Answer 204 with the Location of the updated resource."""
    response = Response(status=204)
    response.headers["Location"] = url_for(endpoint, _external=True, **values)
    return response


def no_content() -> Response:
    """Answer 204 without a body."""
    return Response(status=204)


def ok(data: Any, status: int = 200) -> Response:
    """Answer `data` as JSON."""
    try:
        body = orjson.dumps(data, default=current_app.json.default, option=ORJSON_OPTIONS)
    except orjson.JSONEncodeError:
        # what orjson refuses (integers past 64 bits) Flask's encoder still writes
        response = jsonify(data)
    else:
        response = Response(body, mimetype=JSON)
    response.status_code = status
    return response


def query_list(name: str) -> list[str] | None:
    """Return a comma-separated query parameter as a list, None when absent."""
    raw = request.args.get(name)
    if raw is None:
        return None
    return [item.strip() for item in raw.split(",") if item.strip()]
