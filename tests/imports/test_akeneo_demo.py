"""The whole Akeneo demo catalog (structure, product models, products, media) imports."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import func, select
from stdnum import ean

from pim.catalog import services as s
from pim.catalog.models import (
    Attribute,
    Category,
    Channel,
    Completeness,
    Family,
    FamilyVariant,
    Product,
    ProductModel,
    Version,
)
from pim.dam.media_files import get_media_file
from pim.imports.models import ImportIssue
from tests.conftest import shared_data


def rows_of(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def issues(session, import_id: str, severity: str) -> list[ImportIssue]:
    return list(session.scalars(select(ImportIssue).where(
        ImportIssue.import_id == import_id, ImportIssue.severity == severity)))


def messages(found: list[ImportIssue]) -> list[str]:
    return [p["message"] for issue in found for p in issue.problems]


def test_the_akeneo_demo_folder_imports_whole_and_again_unchanged(run_import, session):
    folder = shared_data("akeneo-icecat-demo")
    record = run_import(folder)
    assert record.status == "succeeded", record.error
    products, models = rows_of(folder, "products.csv"), rows_of(folder, "product_models.csv")
    refused = {kind: counts["failed"] for kind, counts in record.counts.items()
               if kind != "side_effects"}
    assert count(session, Product) == len(products) - refused["product"]
    assert count(session, ProductModel) == len(models) - refused["product_model"]
    assert count(session, Attribute) == len(rows_of(folder, "attributes.csv"))
    assert count(session, Family) == len(rows_of(folder, "families.csv"))
    assert count(session, FamilyVariant) == len(rows_of(folder, "family_variants.csv"))
    assert count(session, Category) == len(rows_of(folder, "categories.csv"))
    assert count(session, Channel) == len(rows_of(folder, "channels.csv"))
    assert len(s.list_options(session, "camera_type")) == sum(
        1 for row in rows_of(folder, "attribute_options.csv") if row["attribute"] == "camera_type")
    enabled = [c for c in rows_of(folder, "currencies.csv") if c["activated"] == "1"]
    assert sorted(c.code for c in s.list_currencies(session, enabled=True)) == sorted(
        c["code"] for c in enabled)
    # the demo is clean enough that nothing is refused: dirty cells are warnings
    assert refused == dict.fromkeys(refused, 0)
    assert record.rows_failed == 0

    # completeness: one row per product, channel and channel locale
    per_product = sum(len(channel.locales) for channel in s.list_channels(session))
    assert count(session, Completeness) == count(session, Product) * per_product
    camera = s.get_product(session, "10584885")
    assert {row.locale for row in camera.completeness} == {"en_US", "fr_FR", "de_DE"}

    # every entity it wrote is versioned in the import's changeset
    stamped = session.scalar(select(func.count()).select_from(Version).where(
        Version.changeset_id == record.changeset_id))
    assert stamped == (count(session, Product) + count(session, ProductModel)
                       + count(session, Attribute) + count(session, Family)
                       + count(session, FamilyVariant) + count(session, Category)
                       + count(session, Channel))

    warned = messages(issues(session, record.id, "warning"))
    bad_eans = [r["ean"] for r in products if r["ean"] and not ean.is_valid(r["ean"])]
    assert bad_eans and len([m for m in warned if "not a valid GTIN" in m]) == len(bad_eans)
    assert s.get_product(session, "1111111171").values["ean"][0]["data"] == "1234567890183"
    # product model codes written in another case are found, and said so
    assert any("'Model-running-shoes-l' was read as 'model-running-shoes-l'" in m
               for m in warned)
    assert s.get_product(session, "Running-shoes-l-blue").parent.code == "model-running-shoes-l"
    # media files are stored once each; files missing from the folder are reported
    pictures = [r for r in products if r["picture"]]
    stored = s.get_product(session, pictures[0]["sku"]).values["picture"][0]["data"]
    assert stored.startswith("originals/") and stored.endswith(".jpg")
    assert get_media_file(session, stored).size == (folder / pictures[0]["picture"]).stat().st_size
    missing = [r for r in products if r["image"] and not (folder / r["image"]).exists()]
    assert missing and sum(m.startswith("file not found") for m in warned) == len(missing)
    assert any("association" in note or "groups" in note for note in record.notes)

    # importing the same folder again writes no version and changes nothing
    versions = count(session, Version)
    again = run_import(folder)
    assert again.status == "succeeded"
    assert count(session, Version) == versions
    for kind, counts in again.counts.items():
        if kind != "side_effects":
            assert counts["created"] == counts["updated"] == 0, (kind, counts)
    assert again.counts["product"]["unchanged"] == record.counts["product"]["created"]
