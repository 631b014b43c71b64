"""Done when: the Icecat demo images ingest with their metadata and link to their products
by rule. The structure, product models and the products owning a folder are imported
with the Akeneo importer, from the demo's CSV files without its media (so every image
value comes from linking); then the whole `files/<owner>/<attribute>/<name>` folder is
ingested and linked by the one rule `{identifier}/{attribute}/{*}`."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from assets.links import create_link_rule
from assets.models import Asset
from assets.policy import IngestPolicy
from pim.catalog import services as s
from pim.catalog.values import get_value
from pim.catalog.variants import merged_values
from pim.dam.uploads import ingest_path
from pim.errors import NotFound
from pim.imports.jobs import start_import
from pim.imports.report import get_import
from pim.imports.sources import ImportOptions
from tests.conftest import shared_data

UNKNOWN = "no product or product model has the identifier"


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        return list(reader.fieldnames or []), list(reader)


def _catalog_without_media(demo: Path, owners: set[str], folder: Path) -> Path:
    """The demo's CSV files without `files/`: all the structure, the products owning a
    folder, and the product models owning one or above such a product."""
    folder.mkdir()
    products = [row for row in _rows(demo / "products.csv")[1] if row["sku"] in owners]
    models = {row["code"]: row for row in _rows(demo / "product_models.csv")[1]}
    wanted = {code for code in models if code in owners}
    wanted |= {row["parent"] for row in products if row["parent"]}
    wanted |= {models[code]["parent"] for code in set(wanted) if models[code]["parent"]}
    kept = {"products.csv": lambda row: row["sku"] in owners,
            "product_models.csv": lambda row: row["code"] in wanted}
    for source in demo.glob("*.csv"):
        header, rows = _rows(source)
        rows = [row for row in rows if kept.get(source.name, bool)(row)]
        with (folder / source.name).open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, header, delimiter=";", lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return folder


@pytest.fixture()
def icecat(app, session, tmp_path):
    """The demo catalog imported without media; the demo's files folder."""
    demo = shared_data("akeneo-icecat-demo")
    files = demo / "files"
    owners = {path.name for path in files.iterdir() if path.is_dir()}
    source = _catalog_without_media(demo, owners, tmp_path / "catalog")
    record = start_import(app, source, ImportOptions(), created_by="tester")
    with app.extensions["prism.sessions"]() as reading:
        record = get_import(reading, record.id)
    assert record.status == "succeeded", record.error
    assert record.rows_failed == 0
    return files


def _entity(session, owner: str):
    try:
        return s.get_product(session, owner)
    except NotFound:
        return s.get_product_model(session, owner)


def _own_value(session, owner: str, attribute: str) -> str | None:
    entity = _entity(session, owner)
    entries = (entity.values or {}).get(attribute, [])
    return entries[0]["data"] if entries else None


def _catalogued(demo: Path) -> set[str]:
    return ({row["sku"] for row in _rows(demo / "products.csv")[1]}
            | {row["code"] for row in _rows(demo / "product_models.csv")[1]})


def test_icecat_images_ingest_with_metadata_and_link_to_their_products(icecat, app, session):
    files = icecat
    create_link_rule(session, {"code": "icecat", "pattern": "{identifier}/{attribute}/{*}"})
    paths = sorted(p for p in files.rglob("*") if p.is_file())
    assert len(paths) > 100
    # every file's value starts empty: the import had no media to store
    assert all(_value_or_none(session, p, files) is None for p in paths)

    done = ingest_path(session, app.extensions["prism.storage"], files,
                       policy=IngestPolicy(max_bytes=20 * 1024 * 1024), author="tester",
                       source="test")
    assert done.ingest.refused == []
    assert len(done.ingest.created) == len(paths)

    by_name = {item.name: item.asset_code for item in done.ingest.created}
    with_metadata = 0
    for path in paths:
        asset = session.scalars(select(Asset).where(
            Asset.code == by_name[path.relative_to(files).as_posix()])).one()
        stored = asset.file
        assert stored.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert stored.media_type in ("image/jpeg", "image/png")
        with Image.open(path) as image:  # pixel sizes as shown
            assert {stored.width, stored.height} == set(image.size)
        with_metadata += bool(stored.meta_text)
    assert with_metadata > 0

    report = done.links
    outcomes = {o.link.filename: o for o in report.outcomes}
    assert set(outcomes) == {p.relative_to(files).as_posix() for p in paths}
    known = _catalogued(files.parent)
    missing = {p.relative_to(files).parts[0] for p in paths} - known
    assert missing  # the demo has folders of products it does not include
    for name, outcome in outcomes.items():
        owner, attribute, _ = name.split("/")
        assert outcome.link.identifier == owner and outcome.link.attribute == attribute
        if owner in missing:  # reported, not fatal
            assert (outcome.status, outcome.message) == (
                "failed", f"{UNKNOWN} {owner!r}"), name
            continue
        asset = session.scalars(select(Asset).where(
            Asset.code == outcome.link.asset_code)).one()
        entity = _entity(session, owner)
        assert get_value(merged_values(entity), attribute, None, None) == (
            asset.file.storage_key), name
        if outcome.status == "unchanged":  # Akeneo repeats a model's files under its variants
            assert outcome.message == "already held by its product model", name
            assert entity.parent is not None and attribute not in entity.values, name
        else:
            assert outcome.status == "linked", (name, outcome.message)
            assert _own_value(session, owner, attribute) == asset.file.storage_key
    assert len(report.linked) > len(paths) // 2
    for outcome in report.linked:
        kind = outcome.owner
        assert s.versions_of(session, kind, outcome.link.identifier)[0].changeset_id == (
            report.changeset_id)


def _value_or_none(session, path: Path, files: Path) -> str | None:
    owner, attribute, _ = path.relative_to(files).as_posix().split("/")
    try:
        return _own_value(session, owner, attribute)
    except NotFound:  # an owner the catalog does not have
        return None
