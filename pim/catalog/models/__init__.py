"""Catalog tables, one module per idea."""

from pim.catalog.models.families import Family, FamilyAttribute, FamilyRequirement, FamilyVariant
from pim.catalog.models.history import Changeset, TrashItem, Version
from pim.catalog.models.products import (
    Completeness,
    Product,
    ProductModel,
    UniqueValue,
    product_categories,
    product_model_categories,
)
from pim.catalog.models.structure import (
    Attribute,
    AttributeGroup,
    AttributeOption,
    Category,
    Channel,
    Currency,
    Locale,
)

__all__ = [
    "Attribute",
    "AttributeGroup",
    "AttributeOption",
    "Category",
    "Changeset",
    "Channel",
    "Completeness",
    "Currency",
    "Family",
    "FamilyAttribute",
    "FamilyRequirement",
    "FamilyVariant",
    "Locale",
    "Product",
    "ProductModel",
    "TrashItem",
    "UniqueValue",
    "Version",
    "product_categories",
    "product_model_categories",
]
