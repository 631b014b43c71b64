"""Meta (Facebook and Instagram) catalog: a CSV data feed.

Rules follow Meta's catalog field specification: id at most 100 characters, title 200,
plain-text description up to 9999, availability `in stock` / `out of stock`, a price with
its currency, absolute links, and up to 20 additional images.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from exporters.google import STOCK as GOOGLE_STOCK
from exporters.output import CsvRows
from exporters.registry import Exporter, RecordWriter, exporter
from exporters.rules import Field, Problem
from exporters.values import Image, Price, as_text
from pim.catalog.reading import ResolvedProduct

AVAILABILITY = ("in stock", "out of stock", "preorder", "available for order", "discontinued")

FIELDS = (
    Field("id", required=True, max_length=100),
    Field("title", required=True, max_length=200, role="title"),
    Field("description", required=True, max_length=9999),
    Field("availability", "enum", required=True, enum=AVAILABILITY, role="availability"),
    Field("condition", "enum", required=True, enum=("new", "refurbished", "used")),
    Field("price", "price", required=True, positive=True, role="price"),
    Field("sale_price", "price", positive=True),
    Field("link", "url", required=True),
    Field("image_link", "image", required=True, min_image=(500, 500)),
    Field("additional_image_link", "images", max_items=20, min_image=(500, 500)),
    Field("brand", required=True, max_length=100),
    Field("item_group_id", max_length=100),
    Field("gtin", "gtin", role="gtin"),
    Field("color", max_length=200),
    Field("size", max_length=200),
    Field("google_product_category", max_length=250),
)

STOCK_WORDS = {"in": "in stock", "out": "out of stock"}
STOCK = [
    {**entry, "transforms": [{"availability": STOCK_WORDS}]} if "transforms" in entry
    else {"value": "in stock"}
    for entry in GOOGLE_STOCK
]

DEFAULT_MAPPING: dict[str, Any] = {
    "id": {"property": "identifier"},
    "title": {"attribute": "name", "transforms": ["strip_html", {"truncate": 200}]},
    "description": {"attribute": "description", "transforms": ["strip_html",
                                                              {"truncate": 9999}]},
    "availability": STOCK,
    "condition": {"value": "new"},
    "price": {"attribute": "price"},
    "link": {"property": "product_url"},
    "image_link": {"images": "images", "index": 0},
    "additional_image_link": {"images": "images", "from": 1, "limit": 20},
    "brand": {"attribute": "brand"},
    "item_group_id": {"property": "item_group"},
    "gtin": [{"attribute": "ean"}, {"attribute": "gtin"}],
    "color": {"attribute": "color"},
    "size": [{"attribute": "size", "fallback": {"attribute": "eu_shoe_size"}},
             {"attribute": "size"}],
    "google_product_category": {"taxonomy": "google"},
}


@exporter("meta")
class MetaCatalog(Exporter):
    """Meta commerce catalog feed, as CSV."""

    label = "Meta catalog"
    fields = FIELDS
    default_mapping = DEFAULT_MAPPING
    extension = "csv"
    media_type = "text/csv"
    image_presets = {"image_link": "fill-1024x1024|bg-ffffff|format-jpeg",
                     "additional_image_link": "fill-1024x1024|bg-ffffff|format-jpeg"}

    def finish(self, record: dict[str, Any], product: ResolvedProduct) -> list[Problem]:
        """Check the sale price against the price."""
        sale, price = record.get("sale_price"), record.get("price")
        if isinstance(sale, Price) and isinstance(price, Price) and (
            sale.currency != price.currency or sale.amount >= price.amount
        ):
            return [Problem("sale_price", "below_price",
                            "the sale price must be lower than the price, in its currency",
                            sale)]
        return []

    def open(self, stream: BinaryIO, *, delta: bool = False) -> RecordWriter:
        """Write the CSV header, then a row per record."""
        return MetaCsv(stream)


def cell(value: Any) -> str:
    """Write one value the way Meta reads it; several images are comma-separated."""
    if isinstance(value, list):
        return ",".join(cell(item) for item in value)
    if isinstance(value, Price):
        return value.text()
    if isinstance(value, Image):
        return value.url
    return as_text(value)


class MetaCsv:
    """Rows of the Meta CSV feed."""

    def __init__(self, stream: BinaryIO) -> None:
        self._rows = CsvRows(stream, [f.name for f in FIELDS])

    def write(self, record: dict[str, Any], product: ResolvedProduct, new: bool = False
              ) -> None:
        """Write one row."""
        self._rows.row({name: cell(value) for name, value in record.items()})

    def remove(self, identifier: str) -> None:
        """A CSV feed says removals by leaving rows out."""

    def close(self) -> None:
        """Flush the rows."""
        self._rows.close()
