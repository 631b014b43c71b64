"""Google Merchant Center: an RSS 2.0 feed with the `g:` namespace, or its tab-separated form.

Rules follow Google's product data specification: id at most 50 characters, title 150,
description 5000, up to 10 additional images, `15.00 EUR` prices, availability words with
an availability date for preorders and backorders, a GTIN with a valid check digit,
item_group_id on variants, and gender, age group, colour and size for apparel.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, BinaryIO

from exporters.output import TsvRows, xml_text
from exporters.registry import Exporter, RecordWriter, exporter
from exporters.rules import Field, Problem
from exporters.values import Image, Measure, Price, as_text
from pim.catalog.reading import ResolvedProduct

NS = "http://base.google.com/ns/1.0"
AVAILABILITY = ("in_stock", "out_of_stock", "preorder", "backorder")
# "Apparel & Accessories" and its branches in Google's product taxonomy
APPAREL_TAXONOMY = frozenset({"166", "1604", "167", "184", "187", "188", "1933", "6551",
                              "6552", "212"})
WEIGHT_UNITS = {"KILOGRAM": "kg", "GRAM": "g", "POUND": "lb", "OUNCE": "oz"}

FIELDS = (
    Field("id", required=True, max_length=50),
    Field("title", required=True, max_length=150, role="title"),
    Field("description", required=True, max_length=5000),
    Field("link", "url", required=True, max_length=2000),
    Field("image_link", "image", required=True, min_image=(100, 100)),
    Field("additional_image_link", "images", max_items=10, min_image=(100, 100)),
    Field("price", "price", required=True, positive=True, role="price"),
    Field("sale_price", "price", positive=True),
    Field("availability", "enum", required=True, enum=AVAILABILITY, role="availability"),
    Field("availability_date", "datetime", max_length=25),
    Field("condition", "enum", enum=("new", "refurbished", "used")),
    Field("brand", max_length=70),
    Field("gtin", "gtin", max_length=50, role="gtin"),
    Field("mpn", max_length=70),
    Field("identifier_exists", "enum", enum=("yes", "no")),
    Field("item_group_id", max_length=50),
    Field("color", max_length=100),
    Field("size", max_length=100),
    Field("gender", "enum", enum=("male", "female", "unisex")),
    Field("age_group", "enum", enum=("newborn", "infant", "toddler", "kids", "adult")),
    Field("google_product_category", max_length=750),
    Field("product_type", max_length=750),
    Field("shipping_weight", "measure"),
)

# each field's element in the feed: <g:id>...</g:id>
ELEMENTS = tuple((f.name, f"<g:{f.name}>", f"</g:{f.name}>") for f in FIELDS)

STOCK = [
    {"attribute": "stock", "transforms": [{"availability": {"in": "in_stock",
                                                            "out": "out_of_stock"}}]},
    {"attribute": "in_stock", "transforms": [{"availability": {"in": "in_stock",
                                                               "out": "out_of_stock"}}]},
    {"value": "in_stock"},
]

DEFAULT_MAPPING: dict[str, Any] = {
    "id": {"property": "identifier"},
    "title": {"attribute": "name", "transforms": ["strip_html", {"truncate": 150}]},
    "description": {"attribute": "description", "transforms": ["strip_html",
                                                              {"truncate": 5000}]},
    "link": {"property": "product_url"},
    "image_link": {"images": "images", "index": 0},
    "additional_image_link": {"images": "images", "from": 1, "limit": 10},
    "price": {"attribute": "price"},
    "availability": STOCK,
    "availability_date": {"attribute": "release_date", "transforms": ["datetime"]},
    "condition": {"value": "new"},
    "brand": {"attribute": "brand"},
    "gtin": [{"attribute": "ean"}, {"attribute": "gtin"}],
    "mpn": {"attribute": "mpn"},
    "item_group_id": {"property": "item_group"},
    "color": {"attribute": "color"},
    "size": [{"attribute": "size", "fallback": {"attribute": "eu_shoe_size"}},
             {"attribute": "size"}],
    "gender": {"attribute": "gender", "label": False},
    "age_group": {"attribute": "age_group", "label": False},
    "google_product_category": {"taxonomy": "google"},
    "product_type": {"category_path": " > "},
    "shipping_weight": {"attribute": "weight"},
}


@exporter("google")
class GoogleMerchant(Exporter):
    """Google Merchant Center product feed (`settings["format"]`: "xml" or "tsv")."""

    label = "Google Merchant Center"
    fields = FIELDS
    default_mapping = DEFAULT_MAPPING
    computed = frozenset({"identifier_exists"})
    image_presets = {"image_link": "fill-1200x1200|bg-ffffff|format-jpeg",
                     "additional_image_link": "fill-1200x1200|bg-ffffff|format-jpeg"}

    @property
    def tsv(self) -> bool:
        return self.ctx.settings.get("format") == "tsv"

    @property
    def extension(self) -> str:  # type: ignore[override]
        return "tsv" if self.tsv else "xml"

    @property
    def media_type(self) -> str:  # type: ignore[override]
        return "text/tab-separated-values" if self.tsv else "application/xml"

    def finish(self, record: dict[str, Any], product: ResolvedProduct) -> list[Problem]:
        """Fill identifier_exists; check rules that span fields."""
        problems = []
        if "gtin" not in record and not ("mpn" in record and "brand" in record):
            record.setdefault("identifier_exists", "no")
        if record.get("availability") in ("preorder", "backorder"):
            if "availability_date" not in record:
                problems.append(Problem("availability_date", "required",
                                        f"availability_date is required when availability is "
                                        f"{record['availability']}"))
        else:
            record.pop("availability_date", None)
        problems += _sale_price(record)
        problems += _weight(record)
        if product.parent is not None and not record.get("item_group_id"):
            problems.append(Problem("item_group_id", "required",
                                    "item_group_id is required for a variant"))
        if self._apparel(record, product):
            for name in ("gender", "age_group", "color", "size"):
                if not record.get(name):
                    problems.append(Problem(name, "required",
                                            f"{name} is required for apparel"))
        return problems

    @cached_property
    def apparel_categories(self) -> frozenset[str]:
        """Categories the channel declares apparel (`settings["apparel_categories"]`)."""
        return frozenset(self.ctx.settings.get("apparel_categories") or [])

    def _apparel(self, record: dict[str, Any], product: ResolvedProduct) -> bool:
        return record.get("google_product_category") in APPAREL_TAXONOMY or bool(
            self.apparel_categories & product.ancestors)

    def open(self, stream: BinaryIO, *, delta: bool = False) -> RecordWriter:
        """Write the RSS feed, or the TSV file."""
        if self.tsv:
            return GoogleTsv(stream)
        title = (self.ctx.settings.get("feed_title")
                 or f"{self.ctx.channel} products")
        return GoogleXml(stream, title, self.ctx.public_url)


def _sale_price(record: dict[str, Any]) -> list[Problem]:
    sale, price = record.get("sale_price"), record.get("price")
    if not isinstance(sale, Price) or not isinstance(price, Price):
        return []
    if sale.currency != price.currency:
        return [Problem("sale_price", "currency",
                        f"sale price is in {sale.currency}, price in {price.currency}", sale)]
    if sale.amount >= price.amount:
        return [Problem("sale_price", "below_price",
                        "the sale price must be lower than the price", sale)]
    return []


def _weight(record: dict[str, Any]) -> list[Problem]:
    weight = record.get("shipping_weight")
    if isinstance(weight, Measure) and weight.unit not in WEIGHT_UNITS:
        return [Problem("shipping_weight", "unit",
                        f"unit {weight.unit} is not one of {', '.join(WEIGHT_UNITS)}; "
                        'add a transform {"convert": "KILOGRAM"}', weight)]
    return []


def feed_text(name: str, value: Any) -> str:
    """Write one value the way Google reads it."""
    if isinstance(value, Price):
        return value.text()
    if isinstance(value, Measure):
        return f"{as_text(value.amount)} {WEIGHT_UNITS.get(value.unit, value.unit)}"
    if isinstance(value, Image):
        return value.url
    return as_text(value)


class GoogleXml:
    """The RSS 2.0 document, written item by item as UTF-8 text.

    The bytes are those lxml's incremental writer produces for the same elements; items
    are rendered as strings (several times faster than an element context per field) and
    reach the stream in blocks of `FLUSH_ITEMS`.
    """

    FLUSH_ITEMS = 200

    def __init__(self, stream: BinaryIO, title: str, link: str) -> None:
        self._stream = stream
        self._pending: list[str] = [
            f"<?xml version='1.0' encoding='utf-8'?>\n"
            f'<rss xmlns:g="{NS}" version="2.0"><channel>']
        for tag, text in (("title", title), ("link", link),
                          ("description", f"{title}, published by Prism")):
            self._pending.append(f"<{tag}>{xml_text(text)}</{tag}>")

    def write(self, record: dict[str, Any], product: ResolvedProduct, new: bool = False
              ) -> None:
        """Write one `<item>`; repeated fields become repeated elements."""
        parts = ["<item>"]
        add, get = parts.append, record.get
        for name, opening, closing in ELEMENTS:
            value = get(name)
            if value is None:
                continue
            if type(value) is str:  # most values: one text, most of them with nothing to escape
                if value.isprintable() and not ("&" in value or "<" in value or ">" in value):
                    add(opening + value + closing)
                else:
                    add(opening + xml_text(value) + closing)
                continue
            for one in value if isinstance(value, list) else (value,):
                add(opening + xml_text(one if type(one) is str else feed_text(name, one))
                    + closing)
        add("</item>")
        self._pending.append("".join(parts))
        if len(self._pending) >= self.FLUSH_ITEMS:
            self._flush()

    def remove(self, identifier: str) -> None:
        """A feed file says removals by leaving items out."""

    def close(self) -> None:
        """Close the channel and rss elements and flush the file."""
        self._pending.append("</channel></rss>")
        self._flush()

    def _flush(self) -> None:
        self._stream.write("".join(self._pending).encode("utf-8"))
        self._pending.clear()


class GoogleTsv:
    """The tab-separated form: one header row of attribute names, one row per item."""

    def __init__(self, stream: BinaryIO) -> None:
        self._rows = TsvRows(stream, [f.name for f in FIELDS])

    def write(self, record: dict[str, Any], product: ResolvedProduct, new: bool = False
              ) -> None:
        """Write one row; repeated fields are comma-separated."""
        self._rows.row({name: ",".join(feed_text(name, v) for v in value)
                        if isinstance(value, list) else feed_text(name, value)
                        for name, value in record.items()})

    def remove(self, identifier: str) -> None:
        """A feed file says removals by leaving rows out."""

    def close(self) -> None:
        """Flush the rows."""
        self._rows.close()
