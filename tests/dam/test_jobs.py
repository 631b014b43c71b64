"""Asset jobs (run inline): bulk ingest, linking, pre-generating a channel's renditions;
and the `prism assets` commands that start them."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from assets.ingest import ingest_upload
from assets.links import create_link_rule
from assets.models import Rendition
from pim.catalog import services as s
from pim.dam.jobs import start_ingest, start_linking, start_pregenerate
from pim.dam.presets import save_image_presets
from pim.errors import NotFound, ValidationError
from pim.jobs import get_job
from tests.assets.images import image_bytes, pdf_bytes, zip_bytes
from tests.builders import product, value

PRESET = "pad-1200x1200|bg-ffffff|format-jpeg|quality-85"


@pytest.fixture()
def shop(catalog, app):
    """The small catalog with two linking rules, in an app that runs jobs inline."""
    create_link_rule(catalog, {"code": "numbered", "pattern": "{identifier}_{position}.jpg",
                               "attribute": "images"})
    return catalog


def _tools(app):
    return app.extensions["prism.storage"], app.extensions["prism.ingest_policy"]


def _add(app, session, name, data=None):
    storage, policy = _tools(app)
    data = data if data is not None else image_bytes((60, 40), color=(len(name), 3, 3))
    return ingest_upload(session, storage, io.BytesIO(data), name, policy=policy)


def test_ingest_job_takes_a_zip_and_links_what_it_can(shop, app, tmp_path):
    product(shop, "boot-1")
    archive = tmp_path / "photos.zip"
    archive.write_bytes(zip_bytes({"boot-1_1.jpg": image_bytes(color=(1, 1, 1)),
                                   "boot-1_2.jpg": image_bytes(color=(2, 2, 2)),
                                   "broken.jpg": b"\xff\xd8\xff\xe0 not really"}))
    job = start_ingest(app, archive, tags=["supplier"], created_by="ann")
    assert job.status == "succeeded", job.error
    assert (job.done, job.total) == (3, 3)
    assert job.result["created"] == 2 and job.result["refused"] == 1
    assert job.result["links"]["linked"] == 2
    assert job.changeset_id == job.result["links"]["changeset_id"]
    assert s.get_product(shop, "boot-1").values["images"][0]["data"] == ["boot_1_1", "boot_1_2"]
    with pytest.raises(ValidationError, match="no file or folder there"):
        start_ingest(app, tmp_path / "missing")


def test_link_job_applies_the_rules_to_stored_assets(shop, app):
    product(shop, "boot-1")
    _add(app, shop, "boot-1_1.jpg")
    job = start_linking(app, created_by="ann")
    assert job.status == "succeeded", job.error
    assert job.result["linked"] == 1 and job.result["outcomes"][0]["identifier"] == "boot-1"
    again = start_linking(app, rule_codes=["numbered"], asset_codes=["boot_1_1"])
    assert again.result["unchanged"] == 1
    with pytest.raises(NotFound):
        start_linking(app, rule_codes=["nope"])


def test_pregenerate_job_renders_a_channels_presets_for_its_assets(shop, app):
    s.update_channel(shop, "ecommerce", {"exporter": "google"}, author="admin")
    save_image_presets(shop, "ecommerce", {"image_link": PRESET}, author="admin")
    shown = _add(app, shop, "boot-1_1.jpg")
    other = _add(app, shop, "elsewhere.jpg")
    manual = _add(app, shop, "manual.pdf", pdf_bytes())
    product(shop, "boot-1", values={"images": value([shown.code, manual.code, "ghost"])})
    job = start_pregenerate(app, channel="ecommerce", created_by="ann")
    assert job.status == "succeeded", job.error
    specs = sorted({PRESET, "fill-1200x1200|bg-ffffff|format-jpeg"})
    assert job.result["specs"] == specs and job.result["assets"] == 2
    assert job.result["generated"] == 2 and job.result["skipped"] == [manual.code]
    rendered = shop.scalars(select(Rendition.spec).where(Rendition.file_id == shown.file_id))
    assert sorted(rendered) == specs
    assert shop.scalar(select(Rendition.id).where(Rendition.file_id == other.file_id)) is None
    storage, _ = _tools(app)
    for rendition in shop.scalars(select(Rendition)):
        assert storage.exists(rendition.storage_key)
    again = start_pregenerate(app, channel="ecommerce")
    assert (again.result["generated"], again.result["reused"]) == (0, 2)
    every = start_pregenerate(app, specs=["width-20"])
    assert every.result["generated"] == 2 and every.result["assets"] is None


def test_pregenerate_refuses_bad_input_before_starting(shop, app):
    with pytest.raises(ValidationError, match="names no image presets"):
        start_pregenerate(app, channel="mobile")
    with pytest.raises(ValidationError, match="unknown operation 'zoom'"):
        start_pregenerate(app, specs=["zoom-2"])
    with pytest.raises(NotFound):
        start_pregenerate(app, channel="nowhere")


def test_cli_ingests_links_and_pregenerates(shop, app, tmp_path):
    product(shop, "boot-1")
    runner = app.test_cli_runner()
    single = tmp_path / "boot-1_1.jpg"
    single.write_bytes(image_bytes(color=(5, 5, 5)))
    result = runner.invoke(args=["assets", "ingest", str(single), "--tags", "a, b"])
    assert result.exit_code == 0, result.output
    assert "Asset boot_1_1: image/jpeg, 64x48" in result.output
    assert "1 link(s) made" in result.output
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "boot-1_2.jpg").write_bytes(image_bytes(color=(6, 6, 6)))
    (folder / "bad.png").write_bytes(b"<html><script>x</script></html>")
    result = runner.invoke(args=["assets", "ingest", str(folder)])
    assert result.exit_code == 0, result.output
    assert "1 asset(s) created, 1 file(s) refused" in result.output
    assert "refused bad.png: the bytes are HTML markup posing as PNG" in result.output
    assert s.get_product(shop, "boot-1").values["images"][0]["data"] == ["boot_1_1", "boot_1_2"]
    result = runner.invoke(args=["assets", "link", "--rule", "numbered"])
    assert result.exit_code == 0 and "0 link(s) made, 2 already there" in result.output
    result = runner.invoke(args=["assets", "link", "--rule", "nope"])
    assert result.exit_code == 1 and "Link rule 'nope' does not exist" in result.output
    s.update_channel(shop, "ecommerce", {"exporter": "meta"}, author="admin")
    result = runner.invoke(args=["assets", "presets", "ecommerce", "--recommended", "--set",
                                 "image_link=pad-600x600|format-png"])
    assert result.exit_code == 0, result.output
    assert "image_link: pad-600x600|format-png" in result.output
    assert "additional_image_link: pad-1080x1080|bg-ffffff|format-jpeg|quality-85" in (
        result.output)
    result = runner.invoke(args=["assets", "presets", "ecommerce", "--set",
                                 "image_link=max-100x100"])
    assert result.exit_code == 1 and "under 500 px a side" in result.output
    result = runner.invoke(args=["assets", "pregenerate", "--channel", "ecommerce"])
    assert result.exit_code == 0, result.output
    assert "4 rendition(s) generated, 0 reused" in result.output
    assert get_job(shop, _last_job(shop)).kind == "assets.pregenerate"


def _last_job(session) -> str:
    from pim.jobs import list_jobs

    return list_jobs(session, limit=1)[0].id
