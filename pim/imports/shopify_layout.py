"""How Shopify's product CSV maps onto Prism's attributes, in both header dialects.

Deterministic rules (the same file always gives the same structure):

- Columns are matched case-insensitively; the classic dialect (`Handle`, `Body (HTML)`,
  `Variant SKU`, `Variant Price`, `Image Src` ...) and the newer one (`URL handle`,
  `Description`, `SKU`, `Price`, `Product image URL` ...) name the same fields.
- Each field with a column in the file lands in a fixed attribute (FIELDS below), created
  when missing. An attribute of that code that exists with another type refuses the import.
- Option names become simple select attributes (the axes): code = the name in lower case
  with `_` for anything but letters and digits (`Size` -> `size`); if that code is taken by
  an attribute that cannot be an axis, or is reserved, `shopify_<code>` is used instead.
  Option values become options of that attribute: code = the value in the same form,
  label = the value as written.
- Every product is in family `shopify`, which gets every attribute above. A product with
  several variants becomes a product model (code = its handle) in family variant
  `shopify_<axis>[_<axis>...]` (one level, its option axes in the file's order) with one
  variant product per row; a product with one variant becomes a simple product.
- Identifiers: the variant's SKU, or when empty the handle, followed for variants by the
  option value codes (`classic-varsity-top-small`).
- Images are URLs: Prism does not download them; they are kept, one per line in position
  order, in `image_urls` (variant images in `variant_image_url`), and each is reported.
- An empty cell leaves the value as it is (Shopify's later rows of a product leave its
  product fields empty). A weight of 0 grams is no weight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pim.catalog.codes import RESERVED_CODES
from pim.imports.columns import AttributeInfo, StructureView

MODEL = "model"
VARIANT = "variant"


@dataclass(frozen=True)
class Field:
    """One Shopify field: the attribute it lands in and how that attribute is made."""

    name: str
    attribute: str
    type: str
    level: str
    label: str
    properties: tuple[tuple[str, object], ...] = ()


FIELDS = (
    Field("title", "name", "pim_catalog_text", MODEL, "Title"),
    Field("body", "description", "pim_catalog_textarea", MODEL, "Description",
          (("wysiwyg_enabled", True),)),
    Field("vendor", "vendor", "pim_catalog_text", MODEL, "Vendor"),
    Field("type", "product_type", "pim_catalog_text", MODEL, "Product type"),
    Field("category", "shopify_category", "pim_catalog_text", MODEL, "Shopify category"),
    Field("tags", "tags", "pim_catalog_textarea", MODEL, "Tags"),
    Field("seo_title", "seo_title", "pim_catalog_text", MODEL, "SEO title"),
    Field("seo_description", "seo_description", "pim_catalog_textarea", MODEL,
          "SEO description"),
    Field("image", "image_urls", "pim_catalog_textarea", MODEL, "Image URLs"),
    Field("price", "price", "pim_catalog_price_collection", VARIANT, "Price",
          (("decimals_allowed", True),)),
    Field("compare_at_price", "compare_at_price", "pim_catalog_price_collection", VARIANT,
          "Compare-at price", (("decimals_allowed", True),)),
    Field("grams", "weight", "pim_catalog_metric", VARIANT, "Weight", (
        ("metric_family", "Weight"), ("default_metric_unit", "GRAM"),
        ("decimals_allowed", True), ("negative_allowed", False))),
    Field("barcode", "barcode", "pim_catalog_text", VARIANT, "Barcode"),
    Field("variant_image", "variant_image_url", "pim_catalog_url", VARIANT,
          "Variant image URL"),
)
FIELD_BY_NAME = {f.name: f for f in FIELDS}
# fields that are read but land in no attribute of their own
PLAIN = ("handle", "sku", "published", "status", "image_position", "image_alt")

HEADERS = {
    "handle": "handle", "url handle": "handle", "title": "title", "body (html)": "body",
    "description": "body", "vendor": "vendor", "type": "type", "product category": "category",
    "tags": "tags", "published": "published", "published on online store": "published",
    "status": "status", "variant sku": "sku", "sku": "sku", "variant grams": "grams",
    "weight value (grams)": "grams", "variant price": "price", "price": "price",
    "variant compare at price": "compare_at_price", "compare-at price": "compare_at_price",
    "variant barcode": "barcode", "barcode": "barcode", "image src": "image",
    "product image url": "image", "image position": "image_position",
    "image alt text": "image_alt", "seo title": "seo_title",
    "seo description": "seo_description", "variant image": "variant_image",
    "variant image url": "variant_image",
    **{f"option{n} {part}": f"option{n}_{part}" for n in (1, 2, 3)
       for part in ("name", "value")},
}
# Shopify columns Prism has no place for (stock, shipping, taxes, channels' own fields)
IGNORED = frozenset({
    "variant inventory tracker", "variant inventory qty", "variant inventory policy",
    "variant fulfillment service", "variant requires shipping", "variant taxable",
    "variant tax code", "variant weight unit", "gift card", "cost per item",
    "inventory tracker", "inventory quantity", "continue selling when out of stock",
    "weight unit for display", "requires shipping", "fulfillment service", "charge tax",
    "tax code", "unit price total measure", "unit price total measure unit",
    "unit price base measure", "unit price base measure unit", "option1 linked to",
    "option2 linked to", "option3 linked to", "variant inventory adjust",
})
IGNORED_PREFIXES = ("google shopping", "metafield", "variant metafield", "included /",
                    "price /", "compare at price /", "status /")
NO_OPTIONS = ("title", "default title")
SLUG = re.compile(r"[^0-9a-z]+")


def slug(text: str, limit: int = 100) -> str:
    """Lower-case `text` with `_` for every run of other characters than letters/digits."""
    return SLUG.sub("_", text.strip().lower()).strip("_")[:limit]


def read_header(header: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Return {column: field} for the known columns and {column: reason} for unknown ones."""
    fields, unknown = {}, {}
    for column in header:
        key = " ".join(column.strip().lower().split())
        if key in HEADERS:
            fields[column] = HEADERS[key]
        elif key not in IGNORED and not key.startswith(IGNORED_PREFIXES) and "metafields." \
                not in key:
            unknown[column] = "not a column of Shopify's product CSV"
    return fields, unknown


def axis_code(name: str, view: StructureView) -> str:
    """Return the attribute code of an option name, following the rules above."""
    code = slug(name, 90) or "option"
    found = view.attributes.get(code)
    usable = found is None or (found.type == "pim_catalog_simpleselect" and
                               not found.localizable and not found.scopable)
    if code.lower() in RESERVED_CODES or not usable or code in {f.attribute for f in FIELDS}:
        code = f"shopify_{code}"
    return code


def option_code(value: str) -> str:
    """Return the option code of an option value."""
    return slug(value) or "value"


def field_problem(field: Field, view: StructureView) -> str | None:
    """Say why an existing attribute cannot hold a field, or None when it can."""
    found = view.attributes.get(field.attribute)
    if found is None or found.type == field.type:
        return None
    return (f"attribute {field.attribute!r} exists as {found.type}; Shopify's {field.label} "
            f"needs {field.type}")


def placements(info: AttributeInfo | None, view: StructureView, locale: str | None
               ) -> list[tuple[str | None, str | None]]:
    """The (locale, channel) slots a Shopify value fills on an attribute."""
    if info is None or not (info.localizable or info.scopable):
        return [(None, None)]
    if not info.scopable:
        return [(locale, None)]
    return [(locale if info.localizable else None, channel)
            for channel, locales in sorted(view.channels.items())
            if not info.localizable or locale in locales]
