"""Shopify product CSV: a row per variant, extra rows for more images, options from axes.

Variants of one product model share a handle (the root model's code); the first row of a
handle carries the product's title, description, vendor, type, tags and option names,
each following row one variant (its option values, SKU, price, barcode, weight and
image), then one row per further product image. A simple product is a product with the
single variant Shopify calls "Default Title".
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, BinaryIO

from exporters.google import STOCK
from exporters.output import CsvRows
from exporters.registry import Exporter, RecordWriter, exporter
from exporters.rules import Field, Problem
from exporters.values import Image, Measure, Price, as_text
from pim.catalog.measures import convert
from pim.catalog.reading import ResolvedProduct

COLUMNS = [
    "Handle", "Title", "Body (HTML)", "Vendor", "Type", "Tags", "Published",
    "Option1 Name", "Option1 Value", "Option2 Name", "Option2 Value", "Option3 Name",
    "Option3 Value", "Variant SKU", "Variant Grams", "Variant Inventory Tracker",
    "Variant Inventory Qty", "Variant Inventory Policy", "Variant Fulfillment Service",
    "Variant Price", "Variant Compare At Price", "Variant Requires Shipping", "Variant Taxable",
    "Variant Barcode", "Image Src", "Image Position", "Image Alt Text", "Gift Card",
    "SEO Title", "SEO Description", "Variant Image", "Variant Weight Unit", "Status",
]
PRODUCT_COLUMNS = ("Title", "Body (HTML)", "Vendor", "Type", "Tags", "Published", "SEO Title",
                   "SEO Description", "Gift Card", "Status")
WEIGHT_UNITS = {"KILOGRAM": "kg", "GRAM": "g", "POUND": "lb", "OUNCE": "oz"}
MAX_OPTIONS = 3

FIELDS = (
    Field("handle", required=True, max_length=255),
    Field("title", required=True, max_length=255, role="title"),
    Field("body_html", max_length=65_000),
    Field("vendor", max_length=255),
    Field("product_type", max_length=255),
    Field("tags", "list"),
    Field("published", "bool"),
    Field("sku", required=True, max_length=255),
    Field("price", "price", required=True, role="price"),
    Field("compare_at_price", "price"),
    Field("barcode", "gtin", role="gtin"),
    Field("inventory_quantity", "integer"),
    Field("availability", "enum", enum=("in_stock", "out_of_stock"), role="availability"),
    Field("weight", "measure"),
    Field("images", "images", max_items=250),
    Field("seo_title", max_length=70),
    Field("seo_description", max_length=320),
    Field("options", "list", max_items=MAX_OPTIONS),
)

DEFAULT_MAPPING: dict[str, Any] = {
    "handle": {"property": "item_group", "fallback": {"property": "identifier"},
               "transforms": ["slug"]},
    "title": {"attribute": "name", "transforms": ["strip_html", {"truncate": 255}]},
    "body_html": {"attribute": "description", "transforms": ["sanitize_html"]},
    "vendor": {"attribute": "brand"},
    "product_type": {"property": "family_label"},
    "tags": {"property": "categories"},
    "published": {"property": "enabled"},
    "sku": {"property": "identifier"},
    "price": {"attribute": "price"},
    "barcode": [{"attribute": "ean"}, {"attribute": "gtin"}],
    "inventory_quantity": [{"attribute": "stock"}, {"attribute": "quantity"}],
    "availability": STOCK[:2],
    "weight": {"attribute": "weight"},
    "images": {"images": "images"},
}


@exporter("shopify")
class ShopifyProducts(Exporter):
    """Shopify's product import CSV."""

    label = "Shopify product CSV"
    fields = FIELDS
    default_mapping = DEFAULT_MAPPING
    extension = "csv"
    media_type = "text/csv"
    grouped = True
    computed = frozenset({"options"})
    image_presets = {"images": "max-2048x2048|format-jpeg"}

    def finish(self, record: dict[str, Any], product: ResolvedProduct) -> list[Problem]:
        """Name the variant's options after its axes, and check the compare-at price."""
        options = self.options_of(product)
        if len(options) > MAX_OPTIONS:
            return [Problem("options", "max_items",
                            f"Shopify takes {MAX_OPTIONS} options, the product varies on "
                            f"{len(options)}", [name for name, _ in options])]
        if product.axes and any(not value for _name, value in options):
            return [Problem("options", "required", "a variant axis has no value",
                            [name for name, _ in options])]
        record["options"] = [f"{name}: {value}" for name, value in options]
        compare, price = record.get("compare_at_price"), record.get("price")
        if isinstance(compare, Price) and isinstance(price, Price) and (
                compare.amount <= price.amount):
            return [Problem("compare_at_price", "above_price",
                            "the compare-at price must be higher than the price", compare)]
        return []

    def options_of(self, product: ResolvedProduct) -> list[tuple[str, str]]:
        locales = [self.ctx.locale, *self.ctx.fallback_locales]
        options = []
        for code in product.axes:
            data = _axis_data(product, code)
            label = self.ctx.attribute_label(code, locales)
            value = self.ctx.option_label(code, data, locales) if isinstance(data, str) else (
                as_text(data))
            options.append((label, value))
        return options

    def open(self, stream: BinaryIO, *, delta: bool = False) -> RecordWriter:
        """Write the header, then products handle by handle."""
        return ShopifyCsv(self, stream)


def _axis_data(product: ResolvedProduct, code: str) -> Any:
    for entry in product.values.get(code, ()):
        if entry["locale"] is None and entry["scope"] is None:
            return entry["data"]
    return None


def money(value: Any) -> str:
    """A Shopify amount: the number alone, in the store's currency."""
    return str(value.amount.quantize(Decimal("0.01"))) if isinstance(value, Price) else ""


def grams(value: Any) -> str:
    """Weight in whole grams, as Shopify's Variant Grams column wants."""
    if not isinstance(value, Measure) or value.family != "Weight":
        return ""
    return str(round(convert(value.amount, value.unit, "GRAM", "Weight")))


class ShopifyCsv:
    """Rows grouped by handle; a handle's rows are held until the next handle starts."""

    def __init__(self, exporter: ShopifyProducts, stream: BinaryIO) -> None:
        self._exporter = exporter
        self._rows = CsvRows(stream, COLUMNS)
        self._handle: str | None = None
        self._variants: list[tuple[dict[str, Any], list[tuple[str, str]]]] = []

    def write(self, record: dict[str, Any], product: ResolvedProduct, new: bool = False
              ) -> None:
        """Collect the variant under its handle; a new handle writes out the previous one."""
        if record["handle"] != self._handle:
            self._flush()
            self._handle = record["handle"]
        self._variants.append((record, self._exporter.options_of(product)))

    def _flush(self) -> None:
        if not self._variants:
            return
        images = _distinct_images([record for record, _options in self._variants])
        names = [name for name, _value in self._variants[0][1]] or ["Title"]
        for index, (record, options) in enumerate(self._variants):
            row = _variant_row(record, options)
            if index == 0:
                row.update(_product_columns(record, names))
            if index < len(images):
                row["Image Src"], row["Image Position"] = images[index].url, index + 1
            self._rows.row(row)
        for position in range(len(self._variants), len(images)):
            self._rows.row({"Handle": self._handle, "Image Src": images[position].url,
                            "Image Position": position + 1})
        self._variants = []

    def remove(self, identifier: str) -> None:
        """A product CSV cannot say that a product went away."""

    def close(self) -> None:
        """Write the last handle and flush."""
        self._flush()
        self._rows.close()


def _distinct_images(records: list[dict[str, Any]]) -> list[Image]:
    seen: dict[str, Image] = {}
    for record in records:
        for image in record.get("images") or []:
            seen.setdefault(image.url, image)
    return list(seen.values())


def _product_columns(record: dict[str, Any], names: list[str]) -> dict[str, Any]:
    row = {"Title": record["title"], "Body (HTML)": record.get("body_html"),
           "Vendor": record.get("vendor"), "Type": record.get("product_type"),
           "Tags": ", ".join(record.get("tags") or []),
           "Published": "true" if record.get("published", True) else "false",
           "SEO Title": record.get("seo_title"), "SEO Description": record.get("seo_description"),
           "Gift Card": "false",
           "Status": "active" if record.get("published", True) else "draft"}
    for number, name in enumerate(names, start=1):
        row[f"Option{number} Name"] = name
    return row


def _variant_row(record: dict[str, Any], options: list[tuple[str, str]]) -> dict[str, Any]:
    values = [value for _name, value in options] or ["Default Title"]
    quantity = record.get("inventory_quantity")
    weight = record.get("weight")
    images = record.get("images") or []
    row: dict[str, Any] = {
        "Handle": record["handle"], "Variant SKU": record["sku"],
        "Variant Price": money(record["price"]),
        "Variant Compare At Price": money(record.get("compare_at_price")),
        "Variant Barcode": record.get("barcode"),
        "Variant Grams": grams(weight),
        "Variant Weight Unit": WEIGHT_UNITS.get(weight.unit, "kg")
        if isinstance(weight, Measure) else "kg",
        "Variant Inventory Tracker": "shopify" if quantity is not None else "",
        "Variant Inventory Qty": "" if quantity is None else str(quantity),
        "Variant Inventory Policy": "deny", "Variant Fulfillment Service": "manual",
        "Variant Requires Shipping": "true", "Variant Taxable": "true",
        "Variant Image": images[0].url if images else "",
    }
    for number, value in enumerate(values, start=1):
        row[f"Option{number} Value"] = value
    return row
