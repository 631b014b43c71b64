"""Shopify product CSV in both header dialects: products, variants, options, images."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from pim.catalog import services as s
from pim.catalog.models import Product, ProductModel, Version
from pim.imports.models import ImportIssue
from tests.conftest import shared_data

NEW_DIALECT = {
    "Handle": "URL handle", "Body (HTML)": "Description", "Published": "Published on online store",
    "Option1 Name": "Option1 name", "Option1 Value": "Option1 value",
    "Option2 Name": "Option2 name", "Option2 Value": "Option2 value",
    "Option3 Name": "Option3 name", "Option3 Value": "Option3 value",
    "Variant SKU": "SKU", "Variant Grams": "Weight value (grams)", "Variant Price": "Price",
    "Variant Compare At Price": "Compare-at price", "Variant Barcode": "Barcode",
    "Image Src": "Product image URL", "Image Position": "Image position",
    "Image Alt Text": "Image alt text", "SEO Title": "SEO title",
    "SEO Description": "SEO description", "Variant Image": "Variant image URL",
    "Variant Inventory Tracker": "Inventory tracker",
    "Variant Inventory Qty": "Inventory quantity",
    "Variant Inventory Policy": "Continue selling when out of stock",
    "Variant Fulfillment Service": "Fulfillment service",
    "Variant Requires Shipping": "Requires shipping", "Variant Taxable": "Charge tax",
    "Variant Weight Unit": "Weight unit for display", "Variant Tax Code": "Tax code",
}


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def expected(rows: list[dict[str, str]]) -> tuple[int, int, int]:
    """(simple products, product models, variant products) the rows describe."""
    variants = Counter(r["Handle"] for r in rows
                       if r["Option1 Value"] or r["Variant SKU"] or r["Variant Price"])
    simple = sum(1 for n in variants.values() if n == 1)
    models = sum(1 for n in variants.values() if n > 1)
    return simple, models, sum(n for n in variants.values() if n > 1)


def count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def check_sample(session, record, rows) -> None:
    simple, models, variants = expected(rows)
    assert record.status == "succeeded", record.error
    assert record.rows_failed == 0 and record.rows_read == len(rows)
    assert count(session, ProductModel) == models >= 1
    assert count(session, Product, Product.parent_id.is_(None)) == simple
    assert count(session, Product, Product.parent_id.is_not(None)) == variants
    images = sum(1 for r in rows if r["Image Src"])
    warnings = [p["message"] for i in session.scalars(select(ImportIssue).where(
        ImportIssue.import_id == record.id)) for p in i.problems]
    assert sum(1 for m in warnings if m.startswith("image not fetched")) == images


def test_the_apparel_sample_imports_with_its_variants(run_import, session):
    path = shared_data("shopify-samples", "apparel.csv")
    record = run_import(path)
    check_sample(session, record, read(path))
    model = s.get_product_model(session, "classic-varsity-top")
    assert model.family_variant.code == "shopify_size"
    assert model.values["name"][0]["data"] == "Classic Varsity Top"
    children = sorted(p.identifier for p in session.scalars(
        select(Product).where(Product.parent_id == model.id)))
    assert children == ["classic-varsity-top-large", "classic-varsity-top-medium",
                        "classic-varsity-top-small"]
    small = s.dump_product(s.get_product(session, "classic-varsity-top-small"))
    assert small["values"]["size"][0]["data"] == "small"
    assert small["values"]["price"][0]["data"] == [{"amount": "60.00", "currency": "USD"}]
    assert small["values"]["name"][0]["data"] == "Classic Varsity Top"  # from the model
    assert {o.code: o.labels for o in s.list_options(session, "size")}["medium"] == {
        "en_US": "Medium"}
    shirt = s.get_product(session, "ocean-blue-shirt")
    assert shirt.parent is None and shirt.family.code == "shopify" and shirt.enabled
    assert shirt.values["image_urls"][0]["data"].startswith("https://burst.shopifycdn.com/")
    assert "weight" not in shirt.values  # 0 grams is no weight


def test_the_home_and_garden_sample_imports_with_its_variants(run_import, session):
    path = shared_data("shopify-samples", "home-and-garden.csv")
    record = run_import(path)
    check_sample(session, record, read(path))
    pot = s.get_product_model(session, "clay-plant-pot")
    assert pot.values["image_urls"][0]["data"].count("https://") == 2
    large = s.get_product(session, "clay-plant-pot-large")
    assert large.values["price"][0]["data"] == [{"amount": "15.99", "currency": "USD"}]
    light = s.get_product(session, "copper-light")
    assert light.values["compare_at_price"][0]["data"] == [{"amount": "75.00",
                                                             "currency": "USD"}]
    assert light.values["product_type"][0]["data"] == "Indoor"
    assert light.values["tags"][0]["data"] == "Copper, Bedroom"


def test_the_newer_header_dialect_gives_the_same_catalog(run_import, session, tmp_path):
    source = shared_data("shopify-samples", "apparel.csv")
    rows = read(source)
    renamed = tmp_path / "products_export.csv"
    with renamed.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([NEW_DIALECT.get(column, column) for column in rows[0]])
        writer.writerows([list(r.values()) for r in rows])
    record = run_import(renamed)
    assert record.format == "shopify"
    check_sample(session, record, rows)
    assert s.get_product(session, "classic-varsity-top-large").parent.code == \
        "classic-varsity-top"


def test_importing_a_shopify_file_again_writes_no_version(run_import, session):
    path = shared_data("shopify-samples", "home-and-garden.csv")
    run_import(path)
    versions = count(session, Version)
    again = run_import(path)
    assert count(session, Version) == versions
    assert all(c["created"] == c["updated"] == c["failed"] == 0
               for k, c in again.counts.items() if k != "side_effects")


def test_shopify_values_follow_existing_localizable_attributes(catalog, run_import,
                                                              write_file, session):
    header = ["Handle", "Title", "Body (HTML)", "Option1 Name", "Option1 Value",
              "Option2 Name", "Option2 Value", "Variant SKU", "Variant Price", "Variant Grams",
              "Image Src", "Status"]
    rows = [["trail", "Trail shoe", "<p>Light</p><script>x</script>", "Size", "M", "Colour",
             "Red", "TR-M-RED", "89.9", "350", "https://example.com/a.jpg", "active"],
            ["trail", "", "", "", "L", "", "Red", "TR-L-RED", "95", "360", "", ""],
            ["trail", "", "", "", "L", "", "Blue", "", "95", "", "", ""],
            ["trail", "", "", "", "L", "", "Blue", "TR-DUP", "95", "", "", ""],
            ["cap", "Cap", "", "Title", "Default Title", "", "", "", "15", "0", "", "draft"]]
    out = io.StringIO(newline="")
    csv.writer(out).writerows([header, *rows])
    record = run_import(write_file("shop.csv", out.getvalue().encode()), currency="EUR")
    assert record.status == "succeeded"
    model = s.get_product_model(session, "trail")
    assert model.family_variant.code == "shopify_size_colour"
    assert model.values["name"] == [{"locale": "en_US", "scope": None, "data": "Trail shoe"}]
    assert {(e["locale"], e["scope"]) for e in model.values["description"]} == {
        ("en_US", "ecommerce"), ("en_US", "mobile")}
    assert "<script>" not in model.values["description"][0]["data"]
    red = s.get_product(session, "TR-M-RED")
    assert red.values["size"][0]["data"] == "m"  # the existing option, found in any case
    assert red.values["colour"][0]["data"] == "red"
    assert red.values["weight"][0]["data"] == {"amount": "350", "unit": "GRAM"}
    assert red.values["price"][0]["data"] == [{"amount": "89.90", "currency": "EUR"}]
    assert s.get_product(session, "trail-l-blue").values["colour"][0]["data"] == "blue"
    refused = [(i.row, p["message"]) for i in session.scalars(select(ImportIssue).where(
        ImportIssue.import_id == record.id, ImportIssue.severity == "error"))
        for p in i.problems]
    assert refused and refused[0][0] == 5
    assert "another variant under the same parent already has the axis values" in refused[0][1]
    cap = s.get_product(session, "cap")
    assert cap.parent is None and cap.enabled is False and "size" not in cap.values
