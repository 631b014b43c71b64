"""BMEcat 2005 for B2B partners: a T_NEW_CATALOG document, or T_UPDATE_PRODUCTS for a delta.

Each product becomes a PRODUCT with its supplier id, short and long descriptions, GTIN,
manufacturer data, features (name, value, unit), order units, a net price and its images.
A delta says new and changed products with mode "update" and removed ones with "delete".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import cached_property
from typing import Any, BinaryIO

from lxml import etree

from exporters.registry import Exporter, RecordWriter, exporter
from exporters.rules import Field, Problem, clean_text
from exporters.transforms import truncate_words
from exporters.values import Image, Measure, Price, as_text, plain_number
from pim.catalog.reading import ResolvedProduct

NS = "http://www.bmecat.org/bmecat/2005"
LANGUAGES = {"en": "eng", "fr": "fra", "de": "deu", "pl": "pol", "ro": "ron", "el": "ell",
             "ru": "rus", "es": "spa", "it": "ita", "nl": "nld", "pt": "por", "cs": "ces",
             "sv": "swe", "da": "dan", "fi": "fin", "hu": "hun", "uk": "ukr", "tr": "tur"}
# UN/CEFACT common codes of Prism's units
UNITS = {"KILOGRAM": "KGM", "GRAM": "GRM", "MILLIGRAM": "MGM", "TON": "TNE", "POUND": "LBR",
         "OUNCE": "ONZ", "METER": "MTR", "CENTIMETER": "CMT", "MILLIMETER": "MMT",
         "KILOMETER": "KMT", "INCH": "INH", "FEET": "FOT", "LITER": "LTR", "MILLILITER": "MLT",
         "CUBIC_METER": "MTQ", "WATT": "WTT", "KILOWATT": "KWT", "VOLT": "VLT", "HOUR": "HUR",
         "MINUTE": "MIN", "SECOND": "SEC", "GIGABYTE": "E34", "MEGABYTE": "4L", "HERTZ": "HTZ",
         "CELSIUS": "CEL", "SQUARE_METER": "MTK"}
FEATURE_VALUE_LENGTH = 60
DEFAULT_FEATURES = ["color", "size", "eu_shoe_size", "material", "weight", "capacity",
                    "screen_size", "memory", "storage", "processor", "battery_life"]

FIELDS = (
    Field("supplier_pid", required=True, max_length=32),
    Field("description_short", required=True, max_length=150, role="title"),
    Field("description_long", max_length=64_000),
    Field("gtin", "gtin", role="gtin"),
    Field("manufacturer_pid", max_length=50),
    Field("manufacturer_name", max_length=50),
    Field("keywords", "list", max_items=50, max_length=50),
    Field("price", "price", required=True, role="price"),
    Field("tax_rate", "number"),
    Field("order_unit", "enum", required=True, enum=("C62", "PCE", "PR", "SET", "PK", "BX")),
    Field("images", "images", max_items=20),
    Field("features", "list"),
)

DEFAULT_MAPPING: dict[str, Any] = {
    "supplier_pid": {"property": "identifier"},
    "description_short": {"attribute": "name", "transforms": ["strip_html",
                                                             {"truncate": 150}]},
    "description_long": {"attribute": "description", "transforms": ["strip_html"]},
    "gtin": [{"attribute": "ean"}, {"attribute": "gtin"}],
    "manufacturer_pid": {"attribute": "mpn"},
    "manufacturer_name": {"attribute": "brand", "transforms": [{"truncate": 50}]},
    "keywords": {"category_path": " > ", "transforms": [{"truncate": 50}]},
    "price": {"attribute": "price"},
    "order_unit": {"value": "C62"},
    "images": {"images": "images", "limit": 20},
}


@exporter("bmecat")
class BMEcatCatalog(Exporter):
    """BMEcat 2005 catalog (`settings`: catalog_id, catalog_version, supplier_name)."""

    label = "BMEcat 2005"
    fields = FIELDS
    default_mapping = DEFAULT_MAPPING
    extension = "xml"
    media_type = "application/xml"
    can_remove = True
    computed = frozenset({"features"})
    image_presets = {"images": "max-1600x1600|format-jpeg"}

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        settings = ctx.settings
        self.language = LANGUAGES.get(ctx.locale.split("_")[0], "eng")
        wanted = settings.get("features") or DEFAULT_FEATURES
        self.features = [code for code in wanted if code in ctx.attributes]

    @cached_property
    def feature_readers(self) -> list[tuple[str, Callable[[ResolvedProduct], Any]]]:
        """Each feature attribute's label and reader, compiled once per export."""
        from exporters.sources import attribute_reader

        return [(self.ctx.attribute_label(code, [self.ctx.locale]),
                 attribute_reader(code, {}, self.ctx)) for code in self.features]

    def finish(self, record: dict[str, Any], product: ResolvedProduct) -> list[Problem]:
        """Collect the product's features from the channel's feature attributes."""
        features = []
        for name, read in self.feature_readers:
            value = read(product)
            if value is None or value == [] or value == "":
                continue
            features.append(_feature(name, value))
        if features:
            record["features"] = features
        return []

    def open(self, stream: BinaryIO, *, delta: bool = False) -> RecordWriter:
        """Write the header, then products."""
        return BMEcatWriter(self, stream, delta)

    def header(self) -> dict[str, str]:
        """The catalog's identity from the channel settings."""
        settings = self.ctx.settings
        return {
            "catalog_id": str(settings.get("catalog_id") or self.ctx.channel)[:20],
            "catalog_version": str(settings.get("catalog_version") or "1.0")[:7],
            "catalog_name": str(settings.get("catalog_name") or self.ctx.channel)[:100],
            "supplier_name": str(settings.get("supplier_name") or "Prism")[:50],
        }


def _feature(name: str, value: Any) -> list[str]:
    if isinstance(value, Measure):
        return [name, plain_number(value.amount), UNITS.get(value.unit, value.unit)[:20]]
    text = truncate_words(clean_text(as_text(value)), FEATURE_VALUE_LENGTH)
    return [name[:60], text]


class BMEcatWriter:
    """The BMEcat document, written product by product with lxml's incremental writer."""

    def __init__(self, exporter: BMEcatCatalog, stream: BinaryIO, delta: bool) -> None:
        self.exporter = exporter
        self.delta = delta
        self.language = exporter.language
        self._file = etree.xmlfile(stream, encoding="utf-8")
        self._xf = self._file.__enter__()
        self._xf.write_declaration()
        self._root = self._xf.element("BMECAT", {"version": "2005"}, nsmap={None: NS})
        self._root.__enter__()
        self._xf.write(self._header())
        if delta:
            version = exporter.header()["catalog_version"]
            self._body = self._xf.element("T_UPDATE_PRODUCTS", {"prev_version": version})
        else:
            self._body = self._xf.element("T_NEW_CATALOG")
        self._body.__enter__()

    def _header(self) -> etree._Element:
        info = self.exporter.header()
        header = _el("HEADER")
        _sub(header, "GENERATOR_INFO", "Prism")
        catalog = _sub(header, "CATALOG")
        _sub(catalog, "LANGUAGE", self.language, default="true")
        _sub(catalog, "CATALOG_ID", info["catalog_id"])
        _sub(catalog, "CATALOG_VERSION", info["catalog_version"])
        _sub(catalog, "CATALOG_NAME", info["catalog_name"])
        stamp = _sub(catalog, "DATETIME", type="generation_date")
        _sub(stamp, "DATE", dt.datetime.now(dt.UTC).date().isoformat())
        supplier = _sub(header, "SUPPLIER")
        _sub(supplier, "SUPPLIER_NAME", info["supplier_name"])
        return header

    def write(self, record: dict[str, Any], product: ResolvedProduct, new: bool = False
              ) -> None:
        """Write one PRODUCT (mode "new" or "update" in a delta)."""
        self._xf.write(self._product(record, "new" if new else "update"))

    def _product(self, record: dict[str, Any], mode: str) -> etree._Element:
        product = _el("PRODUCT", mode=mode) if self.delta else _el("PRODUCT")
        _sub(product, "SUPPLIER_PID", record["supplier_pid"])
        details = _sub(product, "PRODUCT_DETAILS")
        _sub(details, "DESCRIPTION_SHORT", record["description_short"])
        if record.get("description_long"):
            _sub(details, "DESCRIPTION_LONG", record["description_long"])
        if record.get("gtin"):
            _sub(details, "INTERNATIONAL_PID", record["gtin"], type="gtin")
        for key, tag in (("manufacturer_pid", "MANUFACTURER_PID"),
                         ("manufacturer_name", "MANUFACTURER_NAME")):
            if record.get(key):
                _sub(details, tag, record[key])
        for keyword in record.get("keywords") or []:
            _sub(details, "KEYWORD", keyword)
        self._features(product, record.get("features") or [])
        order = _sub(product, "PRODUCT_ORDER_DETAILS")
        _sub(order, "ORDER_UNIT", record["order_unit"])
        _sub(order, "CONTENT_UNIT", record["order_unit"])
        _sub(order, "NO_CU_PER_OU", "1")
        self._price(product, record["price"], record.get("tax_rate"))
        self._images(product, record.get("images") or [])
        return product

    def _features(self, product: etree._Element, features: list[list[str]]) -> None:
        if not features:
            return
        group = _sub(product, "PRODUCT_FEATURES")
        for feature in features:
            element = _sub(group, "FEATURE")
            _sub(element, "FNAME", feature[0])
            _sub(element, "FVALUE", feature[1])
            if len(feature) > 2:
                _sub(element, "FUNIT", feature[2])

    def _price(self, product: etree._Element, price: Price, tax: Decimal | None) -> None:
        details = _sub(product, "PRODUCT_PRICE_DETAILS")
        element = _sub(details, "PRODUCT_PRICE", price_type="net_customer")
        _sub(element, "PRICE_AMOUNT", str(price.amount.quantize(Decimal("0.01"))))
        _sub(element, "PRICE_CURRENCY", price.currency)
        if tax is not None:
            _sub(element, "TAX", plain_number(tax))

    def _images(self, product: etree._Element, images: list[Image]) -> None:
        if not images:
            return
        info = _sub(product, "MIME_INFO")
        for position, image in enumerate(images, start=1):
            mime = _sub(info, "MIME")
            _sub(mime, "MIME_TYPE", "image/jpeg")
            _sub(mime, "MIME_SOURCE", image.url[:255])
            _sub(mime, "MIME_PURPOSE", "normal" if position == 1 else "detail")
            _sub(mime, "MIME_ORDER", str(position))

    def remove(self, identifier: str) -> None:
        """Write a PRODUCT with mode "delete" (delta documents only)."""
        if not self.delta:
            return
        product = _el("PRODUCT", mode="delete")
        _sub(product, "SUPPLIER_PID", identifier[:32])
        details = _sub(product, "PRODUCT_DETAILS")
        _sub(details, "DESCRIPTION_SHORT", identifier[:150])
        order = _sub(product, "PRODUCT_ORDER_DETAILS")
        _sub(order, "ORDER_UNIT", "C62")
        _sub(order, "CONTENT_UNIT", "C62")
        prices = _sub(product, "PRODUCT_PRICE_DETAILS")
        _sub(prices, "PRODUCT_PRICE", price_type="net_customer")
        self._xf.write(product)

    def close(self) -> None:
        """Close the body and the document."""
        self._body.__exit__(None, None, None)
        self._root.__exit__(None, None, None)
        self._file.__exit__(None, None, None)


def _el(tag: str, **attributes: str) -> etree._Element:
    return etree.Element(f"{{{NS}}}{tag}", attributes, nsmap={None: NS})


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str
         ) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element
