"""Shared pieces: links, errors, labels, values, list envelopes, query parameters."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, RAISE, Schema, fields, validate

VALUE_ENTRY = {
    "type": "object",
    "required": ["locale", "scope", "data"],
    "properties": {
        "locale": {"type": "string", "nullable": True},
        "scope": {"type": "string", "nullable": True},
        "data": {"nullable": True, "description": "depends on the attribute type"},
    },
}
VALUES_DOC = {
    "type": "object",
    "description": "Values keyed by attribute code, each a list of {locale, scope, data}.",
    "additionalProperties": {"type": "array", "items": VALUE_ENTRY},
}


class Strict(Schema):
    """An input schema that refuses properties it does not know."""

    class Meta:
        unknown = RAISE


class Loose(Schema):
    """A query-parameter schema that ignores parameters it does not know."""

    class Meta:
        unknown = EXCLUDE


def flag(**kwargs: Any) -> fields.Boolean:
    """A JSON boolean: true or false, nothing else."""
    return fields.Boolean(truthy={True}, falsy={False}, **kwargs)


def labels_field(**kwargs: Any) -> fields.Dict:
    """A {locale code: label} object."""
    return fields.Dict(keys=fields.String(), values=fields.String(allow_none=True), **kwargs)


def code_list(**kwargs: Any) -> fields.List:
    """A list of codes."""
    return fields.List(fields.String(), **kwargs)


def values_field(**kwargs: Any) -> fields.Raw:
    """Product values in Akeneo's shape (checked in depth by the catalog services)."""
    return fields.Raw(metadata=VALUES_DOC, **kwargs)


class Href(Schema):
    href = fields.String(required=True)


class SelfLink(Schema):
    self = fields.Nested(Href, required=True)


class ListLinks(Schema):
    self = fields.Nested(Href, required=True)
    first = fields.Nested(Href, required=True)
    previous = fields.Nested(Href)
    next = fields.Nested(Href)


class ErrorItem(Schema):
    property = fields.String(required=True)
    message = fields.String(required=True)
    attribute = fields.String(allow_none=True)
    locale = fields.String(allow_none=True)
    scope = fields.String(allow_none=True)


class Error(Schema):
    """Akeneo's error body."""

    code = fields.Integer(required=True)
    message = fields.String(required=True)
    errors = fields.List(fields.Nested(ErrorItem))


class CollectionLine(Schema):
    """One line of a collection PATCH answer."""

    line = fields.Integer(required=True)
    code = fields.String()
    identifier = fields.String()
    uuid = fields.String()
    status_code = fields.Integer(required=True)
    message = fields.String()
    errors = fields.List(fields.Nested(ErrorItem))


class PageQuery(Loose):
    """Offset pagination and filters of a list."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1),
                          metadata={"description": "page number (offset pagination)"})
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1),
                           metadata={"description": "items per page (at most API_PAGE_LIMIT)",
                                     "maximum": 100})
    with_count = fields.Boolean(load_default=False,
                                metadata={"description": "add items_count (slower)"})
    search = fields.String(metadata={"description": "JSON filters, as Akeneo's `search`"})


class ProductQuery(PageQuery):
    """List parameters of products and product models."""

    pagination_type = fields.String(load_default="page",
                                    validate=validate.OneOf(["page", "search_after"]))
    search_after = fields.String(metadata={"description": "cursor; follow the `next` link"})
    search_locale = fields.String()
    search_scope = fields.String()
    scope = fields.String(metadata={"description": "channel: its tree and its values only"})
    locales = fields.String(metadata={"description": "comma-separated locale codes"})
    attributes = fields.String(metadata={"description": "comma-separated attribute codes"})


class OneQuery(Loose):
    """Narrowing of one product's values."""

    scope = fields.String()
    locales = fields.String()
    attributes = fields.String()


def list_of(item: type[Schema], name: str) -> type[Schema]:
    """Build the paginated envelope schema of `item`."""
    embedded = type(f"{name}Embedded", (Schema,), {
        "items": fields.List(fields.Nested(item), required=True)})
    return type(f"{name}Page", (Schema,), {
        "_links": fields.Nested(ListLinks, required=True, data_key="_links"),
        "current_page": fields.Integer(),
        "items_count": fields.Integer(),
        "_embedded": fields.Nested(embedded, required=True, data_key="_embedded"),
    })
