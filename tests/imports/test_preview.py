"""Preview: the format, the files, what each column feeds and the first rows; no write."""

from __future__ import annotations

from sqlalchemy import func, select

from pim.catalog.models import Product
from pim.imports.preview import preview_import
from pim.imports.sources import ImportOptions
from tests.conftest import shared_data
from tests.imports.test_akeneo_files import HEADER, row


def test_preview_of_an_akeneo_file_with_an_unknown_column(catalog, write_file, session):
    path = write_file("products.csv", header=[*HEADER, "colour", "X_SELL-products"],
                      rows=[[*row(f"P-{n}"), "red", ""] for n in range(15)])
    found = preview_import(session, path)
    assert found["format"] == "akeneo" and "unknown columns" in found["refused"]
    file = found["files"][0]
    assert file["kind"] == "products" and file["delimiter"] == ";" and len(file["rows"]) == 10
    assert file["rows"][0] == {"row": 2, "cells": dict(zip(file["header"], [*row("P-0"), "red",
                                                                           ""], strict=True))}
    columns = {c["column"]: c for c in file["columns"]}
    assert columns["sku"] == {"column": "sku", "status": "property", "property": "identifier"}
    assert columns["price-EUR"] == {"column": "price-EUR", "status": "value",
                                    "attribute": "price", "locale": None, "scope": None,
                                    "part": "EUR"}
    assert columns["description-en_US-ecommerce"]["scope"] == "ecommerce"
    assert columns["colour"] == {"column": "colour", "status": "unknown",
                                 "reason": "attribute 'colour' does not exist"}
    assert columns["X_SELL-products"]["status"] == "ignored"
    allowed = preview_import(session, path, ImportOptions(ignore_unknown_columns=True))
    assert allowed["refused"] is None
    assert session.scalar(select(func.count()).select_from(Product)) == 0


def test_preview_of_a_shopify_file_and_of_an_unreadable_one(write_file, session):
    found = preview_import(session, shared_data("shopify-samples", "apparel.csv"), rows=3)
    assert found["format"] == "shopify" and found["refused"] is None
    columns = {c["column"]: c for c in found["files"][0]["columns"]}
    assert columns["Title"] == {"column": "Title", "status": "value", "attribute": "name"}
    assert columns["Handle"]["property"] == "handle"
    assert columns["Variant Inventory Qty"]["status"] == "ignored"
    assert [r["row"] for r in found["files"][0]["rows"]] == [2, 3, 4]
    broken = preview_import(session, write_file("products.csv", b"\x00\x01garbage"))
    assert broken["files"] == [] and "binary" in broken["refused"]
