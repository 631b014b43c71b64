"""The OAuth token endpoint's request and answer."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from pim.api.schemas.common import Loose


class TokenRequest(Loose):
    grant_type = fields.String(required=True,
                               validate=validate.OneOf(["password", "refresh_token"]))
    username = fields.String()
    password = fields.String()
    refresh_token = fields.String()


class TokenOut(Schema):
    access_token = fields.String(required=True)
    expires_in = fields.Integer(required=True)
    token_type = fields.String(required=True)
    scope = fields.String(required=True, allow_none=True)
    refresh_token = fields.String(required=True)
