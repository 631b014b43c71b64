"""Reference data: attributes, options, groups, families, variants, categories, channels."""

from __future__ import annotations

from marshmallow import Schema, fields

from pim.api.schemas.common import SelfLink, Strict, code_list, flag, labels_field

LINKS = {"data_key": "_links"}


def _type_properties() -> dict[str, fields.Field]:
    """Validation rules and options of attribute types, under Akeneo's names."""
    return {
        "max_characters": fields.Integer(allow_none=True),
        "validation_rule": fields.String(allow_none=True),
        "validation_regexp": fields.String(allow_none=True),
        "wysiwyg_enabled": flag(allow_none=True),
        "decimals_allowed": flag(allow_none=True),
        "negative_allowed": flag(allow_none=True),
        "number_min": fields.String(allow_none=True),
        "number_max": fields.String(allow_none=True),
        "date_min": fields.String(allow_none=True),
        "date_max": fields.String(allow_none=True),
        "metric_family": fields.String(allow_none=True),
        "default_metric_unit": fields.String(allow_none=True),
        "allowed_extensions": code_list(allow_none=True),
        "max_file_size": fields.String(allow_none=True),
        "auto_option_sorting": flag(allow_none=True),
        "available_locales": code_list(allow_none=True),
    }


class _AttributeBase(Schema):
    code = fields.String()
    type = fields.String()
    group = fields.String(allow_none=True)
    labels = labels_field()
    localizable = flag()
    scopable = flag()
    unique = flag()
    useable_as_grid_filter = flag()
    sort_order = fields.Integer()
    locals().update(_type_properties())


class AttributeIn(Strict, _AttributeBase):
    """An attribute to create or patch; type properties depend on the type."""

    number_min = fields.Raw(allow_none=True)
    number_max = fields.Raw(allow_none=True)
    max_file_size = fields.Raw(allow_none=True)
    max_characters = fields.Raw(allow_none=True)
    allowed_extensions = fields.Raw(allow_none=True)
    _links = fields.Raw(**LINKS)
    group_labels = fields.Raw()
    updated = fields.Raw()
    reference_data_name = fields.Raw()
    default_value = fields.Raw()
    minimum_input_length = fields.Raw()
    guidelines = fields.Raw()
    is_main_identifier = fields.Raw()
    is_mandatory = fields.Raw()
    decimal_places_strategy = fields.Raw()
    decimal_places = fields.Raw()


class AttributeOut(_AttributeBase):
    """An attribute as the API returns it."""

    _links = fields.Nested(SelfLink, **LINKS)


class OptionIn(Strict):
    code = fields.String()
    attribute = fields.String()
    sort_order = fields.Integer()
    labels = labels_field()
    _links = fields.Raw(**LINKS)


class OptionOut(Schema):
    _links = fields.Nested(SelfLink, **LINKS)
    code = fields.String(required=True)
    attribute = fields.String(required=True)
    sort_order = fields.Integer(required=True)
    labels = labels_field(required=True)


class GroupIn(Strict):
    code = fields.String()
    sort_order = fields.Integer()
    attributes = code_list()
    labels = labels_field()
    _links = fields.Raw(**LINKS)


class GroupOut(Schema):
    _links = fields.Nested(SelfLink, **LINKS)
    code = fields.String(required=True)
    sort_order = fields.Integer(required=True)
    attributes = code_list(required=True)
    labels = labels_field(required=True)


REQUIREMENTS = fields.Dict(keys=fields.String(), values=code_list())


class FamilyIn(Strict):
    code = fields.String()
    attributes = code_list()
    attribute_as_label = fields.String(allow_none=True)
    attribute_as_image = fields.String(allow_none=True)
    attribute_requirements = fields.Dict(keys=fields.String(), values=code_list())
    labels = labels_field()
    _links = fields.Raw(**LINKS)


class FamilyOut(Schema):
    _links = fields.Nested(SelfLink, **LINKS)
    code = fields.String(required=True)
    attributes = code_list(required=True)
    attribute_as_label = fields.String(required=True, allow_none=True)
    attribute_as_image = fields.String(required=True, allow_none=True)
    attribute_requirements = fields.Dict(keys=fields.String(), values=code_list(), required=True)
    labels = labels_field(required=True)


class VariantSet(Schema):
    level = fields.Integer(required=True)
    axes = code_list(required=True)
    attributes = code_list(required=True)


class FamilyVariantIn(Strict):
    code = fields.String()
    family = fields.String()
    labels = labels_field()
    variant_attribute_sets = fields.List(fields.Dict())
    _links = fields.Raw(**LINKS)


class FamilyVariantOut(Schema):
    _links = fields.Nested(SelfLink, **LINKS)
    code = fields.String(required=True)
    family = fields.String(required=True, allow_none=True)
    labels = labels_field(required=True)
    variant_attribute_sets = fields.List(fields.Nested(VariantSet), required=True)


class CategoryIn(Strict):
    code = fields.String()
    parent = fields.String(allow_none=True)
    position = fields.Integer()
    labels = labels_field()
    updated = fields.Raw()
    _links = fields.Raw(**LINKS)


class CategoryOut(Schema):
    _links = fields.Nested(SelfLink, **LINKS)
    code = fields.String(required=True)
    parent = fields.String(required=True, allow_none=True)
    position = fields.Integer(required=True)
    labels = labels_field(required=True)


class ChannelIn(Strict):
    code = fields.String()
    locales = code_list()
    currencies = code_list()
    category_tree = fields.String(allow_none=True)
    conversion_units = fields.Dict(keys=fields.String(), values=fields.String())
    labels = labels_field()
    exporter = fields.String(allow_none=True)
    settings = fields.Dict()
    _links = fields.Raw(**LINKS)


class ChannelOut(Schema):
    _links = fields.Nested(SelfLink, **LINKS)
    code = fields.String(required=True)
    locales = code_list(required=True)
    currencies = code_list(required=True)
    category_tree = fields.String(required=True, allow_none=True)
    conversion_units = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    labels = labels_field(required=True)
    exporter = fields.String(required=True, allow_none=True)
    settings = fields.Dict(required=True)


class LocaleOut(Schema):
    _links = fields.Nested(SelfLink, **LINKS)
    code = fields.String(required=True)
    enabled = fields.Boolean(required=True)


class CurrencyOut(Schema):
    _links = fields.Nested(SelfLink, **LINKS)
    code = fields.String(required=True)
    enabled = fields.Boolean(required=True)
    label = fields.String(allow_none=True)
