"""schema.org Product and Offer as JSON-LD, one document per product (JSON Lines).

Each line is what a product page embeds in `<script type="application/ld+json">`: the
product's name, description, SKU, GTIN, brand, images and an Offer with price, currency,
availability and condition; variants name their product group.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, BinaryIO

import orjson

from exporters.google import STOCK
from exporters.registry import Exporter, RecordWriter, exporter
from exporters.rules import Field, Problem
from exporters.values import Image, Price
from pim.catalog.reading import ResolvedProduct

SCHEMA = "https://schema.org/"
AVAILABILITY = ("InStock", "OutOfStock", "PreOrder", "BackOrder", "Discontinued",
                "LimitedAvailability", "SoldOut", "InStoreOnly", "OnlineOnly")
CONDITIONS = ("NewCondition", "RefurbishedCondition", "UsedCondition", "DamagedCondition")
GTIN_PROPERTY = {8: "gtin8", 12: "gtin12", 13: "gtin13", 14: "gtin14"}

FIELDS = (
    Field("sku", required=True, max_length=255),
    Field("name", required=True, role="title"),
    Field("description"),
    Field("gtin", "gtin", role="gtin"),
    Field("mpn"),
    Field("brand"),
    Field("color"),
    Field("size"),
    Field("category"),
    Field("image", "images"),
    Field("url", "url", required=True),
    Field("price", "price", required=True, role="price"),
    Field("availability", "enum", required=True, enum=AVAILABILITY, role="availability"),
    Field("item_condition", "enum", enum=CONDITIONS),
    Field("product_group", max_length=255),
)

STOCK_WORDS = {"in": "InStock", "out": "OutOfStock"}
DEFAULT_MAPPING: dict[str, Any] = {
    "sku": {"property": "identifier"},
    "name": {"attribute": "name", "transforms": ["strip_html"]},
    "description": {"attribute": "description", "transforms": ["strip_html"]},
    "gtin": [{"attribute": "ean"}, {"attribute": "gtin"}],
    "mpn": {"attribute": "mpn"},
    "brand": {"attribute": "brand"},
    "color": {"attribute": "color"},
    "size": [{"attribute": "size", "fallback": {"attribute": "eu_shoe_size"}},
             {"attribute": "size"}],
    "category": {"category_path": " > "},
    "image": {"images": "images"},
    "url": {"property": "product_url"},
    "price": {"attribute": "price"},
    "availability": [{**entry, "transforms": [{"availability": STOCK_WORDS}]}
                     if "transforms" in entry else {"value": "InStock"} for entry in STOCK],
    "item_condition": {"value": "NewCondition"},
    "product_group": {"property": "item_group"},
}


@exporter("jsonld")
class SchemaOrgProducts(Exporter):
    """schema.org Product + Offer JSON-LD for the merchant's own product pages."""

    label = "schema.org JSON-LD"
    fields = FIELDS
    default_mapping = DEFAULT_MAPPING
    extension = "jsonl"
    media_type = "application/x-ndjson"
    image_presets = {"image": "max-1200x1200|format-jpeg"}

    def finish(self, record: dict[str, Any], product: ResolvedProduct) -> list[Problem]:
        """A variant needs the id of its product group."""
        if product.parent is not None and not record.get("product_group"):
            return [Problem("product_group", "required",
                            "a variant names the product group it belongs to")]
        return []

    def open(self, stream: BinaryIO, *, delta: bool = False) -> RecordWriter:
        """Write one JSON-LD document per line."""
        return JsonLdLines(stream)


def json_ld(record: dict[str, Any]) -> dict[str, Any]:
    """The schema.org Product document of one record."""
    price: Price = record["price"]
    offer: dict[str, Any] = {
        "@type": "Offer", "url": record["url"], "sku": record["sku"],
        "price": str(price.amount.quantize(Decimal("0.01"))), "priceCurrency": price.currency,
        "availability": SCHEMA + record["availability"],
    }
    if record.get("item_condition"):
        offer["itemCondition"] = SCHEMA + record["item_condition"]
    document: dict[str, Any] = {"@context": "https://schema.org", "@type": "Product",
                                "sku": record["sku"], "name": record["name"]}
    for key, name in (("description", "description"), ("mpn", "mpn"), ("color", "color"),
                      ("size", "size"), ("category", "category"),
                      ("product_group", "inProductGroupWithID")):
        if record.get(key):
            document[name] = record[key]
    if record.get("gtin"):
        document[GTIN_PROPERTY[len(record["gtin"])]] = record["gtin"]
    if record.get("brand"):
        document["brand"] = {"@type": "Brand", "name": record["brand"]}
    images: list[Image] = record.get("image") or []
    if images:
        document["image"] = [image.url for image in images]
    document["offers"] = offer
    return document


class JsonLdLines:
    """JSON Lines of schema.org documents."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    def write(self, record: dict[str, Any], product: ResolvedProduct, new: bool = False
              ) -> None:
        """Write one product's document on its own line."""
        self.stream.write(orjson.dumps(json_ld(record)) + b"\n")

    def remove(self, identifier: str) -> None:
        """Product pages go away with the shop; nothing to write."""

    def close(self) -> None:
        """Nothing closes a JSON Lines file."""
