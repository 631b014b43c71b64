"""Products and product models, in Akeneo's shape."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from pim.api.schemas.common import SelfLink, Strict, code_list, flag, values_field

STATUSES = ("draft", "in_review", "approved")


class _ReadOnly(Schema):
    """Properties a client may send back unchanged; they are ignored."""

    created = fields.Raw()
    updated = fields.Raw()
    metadata = fields.Raw()
    _links = fields.Raw(data_key="_links")
    associations = fields.Dict()
    quantified_associations = fields.Dict()


class ProductIn(Strict, _ReadOnly):
    """A product to create or patch (merge semantics for values)."""

    identifier = fields.String(metadata={"description": "SKU; unique"})
    uuid = fields.String()
    enabled = flag()
    status = fields.String(validate=validate.OneOf(STATUSES),
                           metadata={"description": "workflow status; approving needs the "
                                                    "reviewer role"})
    family = fields.String(allow_none=True)
    parent = fields.String(allow_none=True)
    categories = code_list()
    groups = code_list()
    values = values_field()
    completeness = fields.Raw()


class ProductOut(Schema):
    """A product as the API returns it (values merged over its parent models)."""

    _links = fields.Nested(SelfLink, data_key="_links")
    uuid = fields.String(required=True)
    identifier = fields.String()
    enabled = fields.Boolean(required=True)
    status = fields.String(required=True)
    family = fields.String(required=True, allow_none=True)
    categories = code_list(required=True)
    groups = code_list(required=True)
    parent = fields.String(required=True, allow_none=True)
    values = values_field(required=True)
    created = fields.String(required=True, allow_none=True)
    updated = fields.String(required=True, allow_none=True)
    associations = fields.Dict(required=True)
    quantified_associations = fields.Dict(required=True)


class ProductModelIn(Strict, _ReadOnly):
    """A product model to create or patch."""

    code = fields.String()
    family = fields.String(allow_none=True)
    family_variant = fields.String()
    parent = fields.String(allow_none=True)
    categories = code_list()
    values = values_field()


class ProductModelOut(Schema):
    """A product model as the API returns it."""

    _links = fields.Nested(SelfLink, data_key="_links")
    code = fields.String(required=True)
    family = fields.String(required=True)
    family_variant = fields.String(required=True)
    parent = fields.String(required=True, allow_none=True)
    categories = code_list(required=True)
    values = values_field(required=True)
    created = fields.String(required=True, allow_none=True)
    updated = fields.String(required=True, allow_none=True)
    associations = fields.Dict(required=True)
    quantified_associations = fields.Dict(required=True)


class CompletenessOut(Schema):
    """How complete a product is on one channel and locale, and what is missing."""

    scope = fields.String(required=True)
    locale = fields.String(required=True)
    data = fields.Integer(required=True, metadata={"description": "ratio, 0 to 100"})
    required = fields.Integer(required=True)
    missing = fields.Integer(required=True)
    missing_attributes = code_list(required=True)


class CompletenessList(Schema):
    identifier = fields.String(required=True)
    completenesses = fields.List(fields.Nested(CompletenessOut), required=True)
