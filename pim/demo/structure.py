"""The demo catalog's structure: channels, categories, attributes, families, variants."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from pim.catalog import services as s
from pim.demo.words import (
    CATEGORIES,
    COLORS,
    FAMILY_LABELS,
    GENDERS,
    LOCALES,
    MATERIALS,
    labels,
)

AUTHOR = "demo"
TREE = {"master": None, "apparel": "master", "tops": "apparel", "footwear": "apparel",
        "electronics": "master", "computers": "electronics", "audio": "electronics",
        "home": "master", "kitchen": "home", "bags": "master"}

CHANNELS = [
    {"code": "ecommerce", "locales": list(LOCALES), "currencies": ["EUR", "USD", "PLN", "RON"],
     "exporter": "jsonld", "labels": {"en_US": "Web shop", "fr_FR": "Boutique en ligne",
                                      "de_DE": "Webshop"}},
    {"code": "google_shopping", "locales": ["en_US", "de_DE", "fr_FR"], "currencies": ["EUR"],
     "exporter": "google", "labels": {"en_US": "Google Shopping"}},
    {"code": "marketplace", "locales": ["en_US"], "currencies": ["EUR", "USD"],
     "exporter": "amazon", "labels": {"en_US": "Amazon marketplace"},
     # the demo seller: a placeholder merchant token, and one country of origin for all
     # its goods (the demo has no origin attribute); a real seller sets their own
     "settings": {"seller_id": "A1PRISMDEMO0001",
                  "mapping": {"country_of_origin": {"value": "PL"}}}},
]

GROUPS = {"marketing": "Marketing", "technical": "Technical", "media": "Media",
          "logistics": "Logistics", "erp": "ERP"}

ATTRIBUTES: list[dict[str, Any]] = [
    {"code": "sku", "type": "pim_catalog_identifier", "group": "erp", "label": "SKU"},
    {"code": "name", "type": "pim_catalog_text", "group": "marketing", "localizable": True,
     "label": "Name", "max_characters": 150},
    {"code": "description", "type": "pim_catalog_textarea", "group": "marketing",
     "localizable": True, "scopable": True, "wysiwyg_enabled": True, "label": "Description"},
    {"code": "price", "type": "pim_catalog_price_collection", "group": "erp",
     "decimals_allowed": True, "label": "Price"},
    {"code": "brand", "type": "pim_catalog_simpleselect", "group": "marketing",
     "label": "Brand", "useable_as_grid_filter": True},
    {"code": "color", "type": "pim_catalog_simpleselect", "group": "marketing",
     "label": "Colour", "useable_as_grid_filter": True},
    {"code": "size", "type": "pim_catalog_simpleselect", "group": "marketing", "label": "Size"},
    {"code": "eu_shoe_size", "type": "pim_catalog_simpleselect", "group": "marketing",
     "label": "EU shoe size"},
    {"code": "gender", "type": "pim_catalog_simpleselect", "group": "marketing",
     "label": "Gender"},
    {"code": "material", "type": "pim_catalog_multiselect", "group": "technical",
     "label": "Material"},
    {"code": "ean", "type": "pim_catalog_text", "group": "erp", "unique": True, "label": "EAN",
     "validation_rule": "regexp", "validation_regexp": "/^[0-9]{8,14}$/"},
    {"code": "weight", "type": "pim_catalog_metric", "group": "logistics", "label": "Weight",
     "metric_family": "Weight", "default_metric_unit": "KILOGRAM", "decimals_allowed": True},
    {"code": "screen_size", "type": "pim_catalog_metric", "group": "technical",
     "label": "Screen size", "metric_family": "Length", "default_metric_unit": "INCH",
     "decimals_allowed": True},
    {"code": "memory", "type": "pim_catalog_metric", "group": "technical", "label": "Memory",
     "metric_family": "Binary", "default_metric_unit": "GIGABYTE"},
    {"code": "storage", "type": "pim_catalog_metric", "group": "technical", "label": "Storage",
     "metric_family": "Binary", "default_metric_unit": "GIGABYTE"},
    {"code": "battery_life", "type": "pim_catalog_metric", "group": "technical",
     "label": "Battery life", "metric_family": "Duration", "default_metric_unit": "HOUR"},
    {"code": "capacity", "type": "pim_catalog_metric", "group": "technical",
     "label": "Capacity", "metric_family": "Volume", "default_metric_unit": "LITER",
     "decimals_allowed": True},
    {"code": "processor", "type": "pim_catalog_text", "group": "technical",
     "label": "Processor"},
    {"code": "wireless", "type": "pim_catalog_boolean", "group": "technical",
     "label": "Wireless"},
    {"code": "dishwasher_safe", "type": "pim_catalog_boolean", "group": "technical",
     "label": "Dishwasher safe"},
    {"code": "waterproof", "type": "pim_catalog_boolean", "group": "technical",
     "label": "Waterproof"},
    {"code": "warranty_years", "type": "pim_catalog_number", "group": "erp",
     "label": "Warranty (years)", "negative_allowed": False, "number_max": "10"},
    {"code": "release_date", "type": "pim_catalog_date", "group": "erp",
     "label": "Release date"},
    {"code": "images", "type": "pim_catalog_asset_collection", "group": "media",
     "label": "Images"},
    {"code": "manual", "type": "pim_catalog_file", "group": "media", "label": "User manual",
     "allowed_extensions": ["pdf"]},
    {"code": "manufacturer_url", "type": "pim_catalog_url", "group": "marketing",
     "label": "Manufacturer page"},
    {"code": "accessories", "type": "pim_catalog_product_link", "group": "marketing",
     "label": "Accessories"},
]

COMMON = ["sku", "name", "description", "price", "images", "ean", "weight"]
FAMILIES: dict[str, dict[str, Any]] = {
    "tshirts": {"extra": ["color", "size", "gender", "material", "brand"],
                "image": "images", "required": ["color", "size"]},
    "sneakers": {"extra": ["color", "eu_shoe_size", "gender", "material", "brand",
                           "waterproof"], "required": ["eu_shoe_size"]},
    "laptops": {"extra": ["brand", "screen_size", "memory", "storage", "processor",
                          "release_date", "warranty_years", "manufacturer_url", "accessories",
                          "manual"], "required": ["brand", "processor"]},
    "headphones": {"extra": ["brand", "color", "wireless", "battery_life", "warranty_years"],
                   "required": ["brand"]},
    "mugs": {"extra": ["color", "capacity", "dishwasher_safe", "material"],
             "required": ["capacity"]},
    "backpacks": {"extra": ["brand", "color", "capacity", "material", "waterproof",
                            "warranty_years"], "required": ["brand", "capacity"]},
}

OPTIONS: dict[str, dict[str, dict[str, str]]] = {
    "color": {code: labels(words) for code, words in COLORS.items()},
    "material": {code: labels(words) for code, words in MATERIALS.items()},
    "gender": {code: labels(words) for code, words in GENDERS.items()},
    "size": {code: {"en_US": code.upper()} for code in ("xs", "s", "m", "l", "xl")},
    "eu_shoe_size": {f"eu{n}": {"en_US": str(n)} for n in range(38, 46)},
    "brand": {code: {"en_US": label} for code, label in {
        "aurora": "Aurora", "kestrel": "Kestrel", "nordlys": "Nordlys", "vela": "Vela",
        "zefir": "Zefir", "orbita": "Orbita"}.items()},
}


def load_structure(session: Session) -> None:
    """Create the demo's channels, categories, attributes, families and variants."""
    for code, parent in TREE.items():
        s.create_category(session, {"code": code, "parent": parent,
                                    "labels": labels(CATEGORIES[code])}, author=AUTHOR)
    for channel in CHANNELS:
        s.create_channel(session, {**channel, "category_tree": "master"}, author=AUTHOR)
    for i, (code, label) in enumerate(GROUPS.items()):
        s.save_group(session, {"code": code, "sort_order": i, "labels": {"en_US": label}},
                     author=AUTHOR)
    for i, spec in enumerate(ATTRIBUTES):
        data = {k: v for k, v in spec.items() if k != "label"}
        s.create_attribute(session, {**data, "sort_order": i,
                                     "labels": {"en_US": spec["label"]}}, author=AUTHOR)
    for attribute, options in OPTIONS.items():
        for i, (code, option_labels) in enumerate(options.items()):
            s.save_option(session, attribute, {"code": code, "sort_order": i,
                                               "labels": option_labels}, author=AUTHOR)
    for code, spec in FAMILIES.items():
        s.create_family(session, _family(code, spec), author=AUTHOR)
    _variants(session)


def _family(code: str, spec: dict[str, Any]) -> dict[str, Any]:
    attributes = COMMON + spec["extra"]
    base = ["name", "description", "price", "images"]
    google = base + ["ean"] + (["brand"] if "brand" in attributes else [])
    return {
        "code": code,
        "labels": labels(FAMILY_LABELS[code]),
        "attributes": attributes,
        "attribute_as_label": "name",
        "attribute_as_image": "images",
        "attribute_requirements": {
            "ecommerce": base + spec["required"],
            "google_shopping": google,
            "marketplace": ["name", "price", "ean", "weight"],
        },
    }


def _variants(session: Session) -> None:
    s.create_family_variant(session, {
        "code": "tshirts_color_size", "family": "tshirts",
        "labels": {"en_US": "T-shirts by colour and size"},
        "variant_attribute_sets": [
            {"level": 1, "axes": ["color"], "attributes": ["color", "images"]},
            {"level": 2, "axes": ["size"], "attributes": ["size", "ean", "weight"]},
        ]}, author=AUTHOR)
    s.create_family_variant(session, {
        "code": "sneakers_size", "family": "sneakers",
        "labels": {"en_US": "Sneakers by size"},
        "variant_attribute_sets": [
            {"level": 1, "axes": ["eu_shoe_size"], "attributes": ["eu_shoe_size", "ean"]},
        ]}, author=AUTHOR)
