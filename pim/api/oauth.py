"""POST /api/oauth/v1/token: Akeneo's token endpoint (password and refresh_token grants)."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from flask import Blueprint, Response, current_app, request

from pim import get_session
from pim.api.errors import ApiError, register_error_handlers
from pim.api.http import ok
from pim.auth import oauth, ratelimit
from pim.auth.tokens import GrantError

token_api = Blueprint("oauth", __name__, url_prefix="/api/oauth/v1")
register_error_handlers(token_api)
GRANTS = ("password", "refresh_token")


@token_api.post("/token")
def token() -> Response:
    session = get_session()
    if not ratelimit.hit(session, f"token:{request.remote_addr}",
                         current_app.config["TOKEN_RATE_LIMIT"]):
        raise ApiError(429, "Too many token requests; try again in a minute.",
                       headers={"Retry-After": "60"})
    client_id, secret = _basic_credentials()
    client = oauth.check_client(session, client_id, secret)
    form = _form()
    ttl = {"access_ttl": current_app.config["ACCESS_TOKEN_TTL"],
           "refresh_ttl": current_app.config["REFRESH_TOKEN_TTL"]}
    grant = form.get("grant_type")
    if grant == "password":
        pair = oauth.password_grant(session, client, _text(form, "username"),
                                    _text(form, "password"), **ttl)
    elif grant == "refresh_token":
        pair = oauth.refresh_grant(session, client, _text(form, "refresh_token"), **ttl)
    else:
        raise GrantError(f'Parameter "grant_type" must be one of {", ".join(GRANTS)}')
    response = ok(pair.as_dict())
    response.headers["Cache-Control"] = "no-store"
    return response


def _basic_credentials() -> tuple[str, str]:
    header = request.headers.get("Authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        raise GrantError(oauth.BAD_CLIENT)
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise GrantError(oauth.BAD_CLIENT) from None
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        raise GrantError(oauth.BAD_CLIENT)
    return client_id, secret


def _form() -> dict[str, Any]:
    if request.mimetype == "application/json":
        try:
            data = json.loads(request.get_data(as_text=True) or "null")
        except ValueError:
            raise ApiError(400, "Invalid json message received") from None
        if not isinstance(data, dict):
            raise ApiError(400, "Invalid json message received")
        return data
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data", ""):
        return request.form.to_dict()
    raise ApiError(415, f"'{request.mimetype}' in 'Content-type' header is not valid. Only "
                        "'application/json' or 'application/x-www-form-urlencoded' is allowed.")


def _text(form: dict[str, Any], name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""
