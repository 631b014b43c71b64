"""Test data builders: a small but complete catalog through the real services."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from pim.catalog import services as s

ADMIN = "admin"


def attribute(session: Session, code: str, type_: str, **extra: Any):
    return s.create_attribute(session, {"code": code, "type": type_, "group": "general", **extra},
                              author=ADMIN)


def small_catalog(session: Session) -> dict[str, Any]:
    """Build locales, channels, every attribute type, a family, variants and options."""
    s.save_group(session, {"code": "general", "labels": {"en_US": "General"}}, author=ADMIN)
    s.create_category(session, {"code": "master", "labels": {"en_US": "Master"}}, author=ADMIN)
    s.create_category(session, {"code": "shoes", "parent": "master"}, author=ADMIN)
    s.create_category(session, {"code": "men", "parent": "shoes"}, author=ADMIN)
    s.create_channel(session, {"code": "ecommerce", "locales": ["en_US", "fr_FR", "de_DE"],
                               "currencies": ["EUR", "USD"], "category_tree": "master"},
                     author=ADMIN)
    s.create_channel(session, {"code": "mobile", "locales": ["en_US", "pl_PL"],
                               "currencies": ["EUR"], "category_tree": "master"}, author=ADMIN)
    attribute(session, "sku", "pim_catalog_identifier")
    attribute(session, "name", "pim_catalog_text", localizable=True)
    attribute(session, "description", "pim_catalog_textarea", localizable=True, scopable=True,
              wysiwyg_enabled=True)
    attribute(session, "price", "pim_catalog_price_collection", decimals_allowed=True)
    attribute(session, "weight", "pim_catalog_metric", metric_family="Weight",
              default_metric_unit="KILOGRAM", decimals_allowed=True)
    attribute(session, "stock", "pim_catalog_number", negative_allowed=False)
    attribute(session, "waterproof", "pim_catalog_boolean")
    attribute(session, "release_date", "pim_catalog_date")
    attribute(session, "color", "pim_catalog_simpleselect")
    attribute(session, "size", "pim_catalog_simpleselect")
    attribute(session, "materials", "pim_catalog_multiselect")
    attribute(session, "images", "pim_catalog_asset_collection")
    attribute(session, "manual", "pim_catalog_file", allowed_extensions=["pdf"])
    attribute(session, "picture", "pim_catalog_image", allowed_extensions=["jpg", "png"])
    attribute(session, "site", "pim_catalog_url")
    attribute(session, "related", "pim_catalog_product_link")
    attribute(session, "ean", "pim_catalog_text", unique=True,
              validation_rule="regexp", validation_regexp=r"/^\d{8,14}$/")
    for attr, codes in {"color": ["red", "blue", "black"], "size": ["s", "m", "l", "xl"],
                        "materials": ["leather", "cotton", "rubber"]}.items():
        for i, code in enumerate(codes):
            s.save_option(session, attr, {"code": code, "sort_order": i,
                                          "labels": {"en_US": code.title(),
                                                     "fr_FR": f"{code} (fr)"}}, author=ADMIN)
    s.create_family(session, {
        "code": "shoes", "labels": {"en_US": "Shoes"},
        "attributes": ["sku", "name", "description", "price", "weight", "stock", "waterproof",
                       "release_date", "color", "size", "materials", "images", "manual",
                       "picture", "site", "related", "ean"],
        "attribute_as_label": "name",
        "attribute_requirements": {"ecommerce": ["name", "description", "price"],
                                   "mobile": ["name"]},
    }, author=ADMIN)
    s.create_family(session, {"code": "accessories", "attributes": ["sku", "name", "price"],
                              "attribute_requirements": {"ecommerce": ["name"]}}, author=ADMIN)
    s.create_family_variant(session, {
        "code": "shoes_color_size", "family": "shoes",
        "variant_attribute_sets": [
            {"level": 1, "axes": ["color"], "attributes": ["color", "picture"]},
            {"level": 2, "axes": ["size"], "attributes": ["size", "ean", "stock", "weight"]},
        ]}, author=ADMIN)
    s.create_family_variant(session, {
        "code": "shoes_size", "family": "shoes",
        "variant_attribute_sets": [{"level": 1, "axes": ["size"],
                                    "attributes": ["size", "ean"]}]}, author=ADMIN)
    return {}


def value(data: Any, locale: str | None = None, scope: str | None = None) -> list[dict]:
    return [{"locale": locale, "scope": scope, "data": data}]


def product(session: Session, identifier: str = "shoe-1", **extra: Any):
    data = {"identifier": identifier, "family": "shoes", "categories": ["men"],
            "values": {"name": value("Trail shoe", "en_US")}}
    data.update(extra)
    return s.create_product(session, data, author="editor")
