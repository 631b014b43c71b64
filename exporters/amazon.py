"""Amazon Selling Partner API: a JSON_LISTINGS_FEED document (listings feed schema v2).

Each product becomes an UPDATE message whose attributes follow the PRODUCT product type
definition (item name, brand, description, bullet points, colour, country of origin,
item type keyword, dangerous goods declaration, an offer with price, condition and
fulfilment, external identifier or its exemption, images, weight). A delta feed ends
with DELETE messages for listings that went away.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from exporters.google import STOCK
from exporters.registry import Exporter, RecordWriter, exporter
from exporters.rules import Field, Problem
from exporters.values import Image, Measure, Price
from pim.catalog.reading import ResolvedProduct
from pim.errors import FieldError, ValidationError
from pim.jsontext import dumps

MAX_MESSAGES = 25_000
DESCRIPTION_BYTES = 10_000
CONDITIONS = ("new_new", "new_oem", "new_open_box", "refurbished_refurbished", "used_like_new",
              "used_very_good", "used_good", "used_acceptable", "collectible_like_new",
              "collectible_very_good", "collectible_good", "collectible_acceptable",
              "club_club")
DANGEROUS_GOODS = ("ghs", "not_applicable", "other", "storage", "transportation", "unknown",
                   "waste")
WEIGHT_UNITS = {"GRAM": "grams", "KILOGRAM": "kilograms", "MILLIGRAM": "milligrams",
                "OUNCE": "ounces", "POUND": "pounds", "TON": "tons"}
GTIN_TYPES = {8: "ean", 12: "upc", 13: "ean", 14: "gtin"}
OTHER_IMAGES = 8

FIELDS = (
    Field("sku", required=True, max_length=40),
    Field("item_name", required=True, max_length=200, role="title"),
    Field("brand", required=True, max_length=100),
    Field("product_description", required=True),
    Field("bullet_point", "list", required=True, max_items=10, max_length=700),
    Field("color", required=True, max_length=1000),
    Field("country_of_origin", required=True, max_length=7),
    Field("item_type_keyword", required=True, max_length=200),
    Field("supplier_declared_dg_hz_regulation", "enum", required=True, enum=DANGEROUS_GOODS),
    Field("gtin", "gtin", role="gtin"),
    Field("price", "price", required=True, positive=True, role="price"),
    Field("quantity", "integer", positive=True),
    Field("availability", "enum", enum=("in_stock", "out_of_stock"), role="availability"),
    Field("condition_type", "enum", required=True, enum=CONDITIONS),
    Field("merchant_shipping_group", required=True, max_length=200),
    Field("main_image", "image", min_image=(500, 500)),
    Field("other_images", "images", max_items=OTHER_IMAGES, min_image=(500, 500)),
    Field("item_weight", "measure"),
)

DEFAULT_MAPPING: dict[str, Any] = {
    "sku": {"property": "identifier"},
    "item_name": {"attribute": "name", "transforms": ["strip_html", {"truncate": 200}]},
    "brand": {"attribute": "brand"},
    "product_description": {"attribute": "description", "transforms": ["strip_html"]},
    "bullet_point": [{"attribute": "bullet_points", "transforms": ["strip_html", "sentences"]},
                     {"attribute": "description",
                      "transforms": ["strip_html", "sentences", {"limit": 5},
                                     {"truncate": 700}]}],
    "color": {"attribute": "color"},
    "country_of_origin": [{"attribute": "country_of_origin", "label": False,
                           "transforms": ["upper"]},
                          {"attribute": "origin", "label": False, "transforms": ["upper"]}],
    "item_type_keyword": [{"attribute": "item_type_keyword"}, {"property": "family"}],
    "supplier_declared_dg_hz_regulation": {"value": "not_applicable"},
    "gtin": [{"attribute": "ean"}, {"attribute": "gtin"}],
    "price": {"attribute": "price"},
    "quantity": [{"attribute": "stock"}, {"attribute": "quantity"}],
    "availability": STOCK[1:],
    "condition_type": {"value": "new_new"},
    # Amazon's name for the shipping template every seller starts with
    "merchant_shipping_group": {"value": "legacy-template-id"},
    "main_image": {"images": "images", "index": 0},
    "other_images": {"images": "images", "from": 1, "limit": OTHER_IMAGES},
    "item_weight": {"attribute": "weight"},
}


@exporter("amazon")
class AmazonListings(Exporter):
    """Amazon listings feed (JSON_LISTINGS_FEED, PRODUCT product type by default)."""

    label = "Amazon listings feed"
    fields = FIELDS
    default_mapping = DEFAULT_MAPPING
    extension = "json"
    media_type = "application/json"
    can_remove = True
    min_records = 1
    image_presets = {"main_image": "fill-1600x1600|bg-ffffff|format-jpeg",
                     "other_images": "fill-1600x1600|bg-ffffff|format-jpeg"}

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        seller = ctx.settings.get("seller_id")
        if not isinstance(seller, str) or not seller.strip():
            raise ValidationError([FieldError(
                "settings.seller_id", "an Amazon channel needs its seller id (merchant token) "
                                      "in settings.seller_id")])
        self.seller_id = seller.strip()
        self.marketplace = ctx.settings.get("marketplace_id") or "ATVPDKIKX0DER"
        self.language = ctx.settings.get("language_tag") or ctx.locale
        self.product_type = ctx.settings.get("product_type") or "PRODUCT"

    def finish(self, record: dict[str, Any], product: ResolvedProduct) -> list[Problem]:
        """Check byte lengths, the country code and what the offer needs."""
        problems = []
        text = record.get("product_description") or ""
        if len(text.encode("utf-8")) > DESCRIPTION_BYTES:
            problems.append(Problem("product_description", "max_bytes",
                                    f"{len(text.encode('utf-8'))} bytes of UTF-8, at most "
                                    f"{DESCRIPTION_BYTES}", text))
        country = record.get("country_of_origin")
        if country is not None and not (country == "unknown" or (
                len(country) == 2 and country.isalpha() and country.isupper())):
            problems.append(Problem("country_of_origin", "enum",
                                    "not an ISO 3166 two-letter country code", country))
        if "quantity" not in record and "availability" not in record:
            problems.append(Problem("quantity", "required",
                                    "the offer needs a quantity or an availability"))
        weight = record.get("item_weight")
        if isinstance(weight, Measure) and weight.unit not in WEIGHT_UNITS:
            problems.append(Problem("item_weight", "unit",
                                    f"unit {weight.unit} is not one Amazon takes", weight))
        return problems

    def attributes(self, record: dict[str, Any]) -> dict[str, Any]:
        """The message attributes of a record, in the product type's shape."""
        market, lang = self.marketplace, self.language

        def localized(value: str) -> list[dict[str, Any]]:
            return [{"value": value, "language_tag": lang, "marketplace_id": market}]

        def plain(value: Any) -> list[dict[str, Any]]:
            return [{"value": value, "marketplace_id": market}]

        attributes: dict[str, Any] = {
            "item_name": localized(record["item_name"]),
            "brand": localized(record["brand"]),
            "product_description": localized(record["product_description"]),
            "bullet_point": [{"value": text, "language_tag": lang, "marketplace_id": market}
                             for text in record["bullet_point"]],
            "color": localized(record["color"]),
            "country_of_origin": plain(record["country_of_origin"]),
            "item_type_keyword": plain(record["item_type_keyword"]),
            "supplier_declared_dg_hz_regulation": plain(
                record["supplier_declared_dg_hz_regulation"]),
            "condition_type": plain(record["condition_type"]),
            "merchant_shipping_group": plain(record["merchant_shipping_group"]),
            "purchasable_offer": [_offer(record["price"], market)],
            "fulfillment_availability": [_fulfilment(record)],
        }
        attributes.update(_identifier(record.get("gtin"), market))
        attributes.update(_images(record, market))
        weight = record.get("item_weight")
        if isinstance(weight, Measure):
            attributes["item_weight"] = [{"value": float(weight.amount),
                                          "unit": WEIGHT_UNITS[weight.unit],
                                          "marketplace_id": market}]
        return attributes

    def open(self, stream: BinaryIO, *, delta: bool = False) -> RecordWriter:
        """Start the feed document: header, then messages one by one."""
        return AmazonFeed(self, stream)


def _offer(price: Price, market: str) -> dict[str, Any]:
    return {"currency": price.currency, "marketplace_id": market,
            "our_price": [{"schedule": [{"value_with_tax": float(price.amount)}]}]}


def _fulfilment(record: dict[str, Any]) -> dict[str, Any]:
    if "quantity" in record:
        return {"fulfillment_channel_code": "DEFAULT", "quantity": int(record["quantity"])}
    return {"fulfillment_channel_code": "DEFAULT",
            "is_inventory_available": record.get("availability") == "in_stock"}


def _identifier(gtin: str | None, market: str) -> dict[str, Any]:
    if gtin:
        return {"externally_assigned_product_identifier": [
            {"type": GTIN_TYPES[len(gtin)], "value": gtin, "marketplace_id": market}]}
    return {"supplier_declared_has_product_identifier_exemption": [
        {"value": True, "marketplace_id": market}]}


def _images(record: dict[str, Any], market: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    main = record.get("main_image")
    if isinstance(main, Image):
        found["main_product_image_locator"] = [{"media_location": main.url,
                                                "marketplace_id": market}]
    for number, image in enumerate(record.get("other_images") or [], start=1):
        found[f"other_product_image_locator_{number}"] = [{"media_location": image.url,
                                                           "marketplace_id": market}]
    return found


class AmazonFeed:
    """The feed document, streamed: the messages array is written one message at a time."""

    def __init__(self, exporter: AmazonListings, stream: BinaryIO) -> None:
        self.exporter = exporter
        self.stream = stream
        self.count = 0
        header = {"sellerId": exporter.seller_id, "version": "2.0",
                  "issueLocale": exporter.language}
        stream.write(b'{"header":' + dumps(header) + b',"messages":[\n')

    def _message(self, message: dict[str, Any]) -> None:
        if self.count >= MAX_MESSAGES:
            raise ValueError(f"an Amazon listings feed holds at most {MAX_MESSAGES:,} messages; "
                             "narrow the channel's filters or publish a delta")
        self.count += 1
        prefix = b"" if self.count == 1 else b",\n"
        self.stream.write(prefix + dumps({"messageId": self.count, **message}))

    def write(self, record: dict[str, Any], product: ResolvedProduct, new: bool = False
              ) -> None:
        """Write an UPDATE message with every attribute of the listing."""
        self._message({"sku": record["sku"], "operationType": "UPDATE",
                       "productType": self.exporter.product_type, "requirements": "LISTING",
                       "attributes": self.exporter.attributes(record)})

    def remove(self, identifier: str) -> None:
        """Write a DELETE message for a listing that went away."""
        self._message({"sku": identifier, "operationType": "DELETE"})

    def close(self) -> None:
        """Close the messages array and the document."""
        self.stream.write(b"\n]}\n")
