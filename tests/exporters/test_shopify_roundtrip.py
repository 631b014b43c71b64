"""Prism's Shopify CSV, imported back by Prism's own Shopify importer: the same products."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from pim import create_app
from pim.catalog import services as s
from pim.imports.jobs import start_import
from pim.imports.report import get_import
from pim.imports.sources import ImportOptions
from tests.builders import value
from tests.exporters.conftest import IMAGE, set_channel
from tests.exporters.helpers import export_bytes


def facts(session: Session, identifier: str) -> dict[str, Any]:
    """What a Shopify listing carries of a product, in Prism's terms."""
    data = s.dump_product(s.get_product(session, identifier))
    values = data["values"]

    def one(code: str) -> Any:
        entries = values.get(code) or [{"data": None}]
        return entries[0]["data"]

    weight = one("weight")
    grams = None
    if weight:
        factor = {"GRAM": 1, "KILOGRAM": 1000}[weight["unit"]]
        grams = round(float(weight["amount"]) * factor)
    return {"parent": data["parent"], "name": one("name"),
            "price": [p["amount"] for p in one("price") or [] if p["currency"] == "EUR"],
            "barcode": one("barcode") or one("ean"), "grams": grams,
            "size": (one("size") or "").lower() or None}


def test_the_shopify_csv_reads_back_to_the_same_products(catalog: Session, tmp_path: Path,
                                                         committed_url: str) -> None:
    if make_url(committed_url).get_backend_name() != catalog.get_bind().dialect.name:
        pytest.skip("the round trip runs on one backend at a time")
    s.update_product(catalog, "shoe-2", {"values": {"name": value("Road shoe «Ζ»", "en_US")}},
                     author="t")
    set_channel(catalog, "shopify", {"mapping": {"images": IMAGE}})
    data, stats, _seen = export_bytes(catalog)
    source = tmp_path / "products.csv"
    source.write_bytes(data)
    exported = ["trail-s", "trail-m", "shoe-1", "shoe-2"]
    assert stats.exported == len(exported)
    other = create_app({"DATABASE_URL": committed_url, "INSTANCE_PATH": str(tmp_path / "other"),
                        "SECRET_KEY": "t", "JOBS_INLINE": True, "SEARCH_ENABLED": False})
    try:
        record = start_import(other, source, ImportOptions(currency="EUR", locale="en_US"),
                              created_by="t")
        with other.extensions["prism.sessions"]() as session:
            record = get_import(session, record.id)
            assert record.status == "succeeded", record.error
            assert record.rows_failed == 0
            for identifier in exported:
                assert facts(session, identifier) == facts(catalog, identifier), identifier
            assert facts(session, "trail-m") == {
                "parent": "trail", "name": "Trail runner", "price": ["99.00"],
                "barcode": "96385074", "grams": 800, "size": "m"}
            model = s.get_product_model(session, "trail")
            assert [axis for level in model.family_variant.variant_attribute_sets
                    for axis in level["axes"]] == ["size"]
    finally:
        other.extensions["prism.engine"].dispose()
