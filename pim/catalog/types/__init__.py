"""Attribute types: one small class per type, registered under Akeneo's type code."""

from pim.catalog.types import choices, dates, media, numbers, prices, text  # noqa: F401
from pim.catalog.types.base import (
    TYPES,
    AttributeType,
    Problem,
    TypeContext,
    attribute_type,
    type_for,
)

__all__ = ["TYPES", "AttributeType", "Problem", "TypeContext", "attribute_type", "type_for"]
