"""The asset resources of the API: upload (linked by rule), read, edit, replace, versions,
renditions, delete; link rules; channel presets and renditions; bad files refused with
the right 4xx and nothing left behind."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import text

from assets.links import create_link_rule
from pim.catalog import services as s
from tests.assets.images import image_bytes, jpeg_with_metadata, pdf_bytes, zip_bytes
from tests.builders import product

API = "/api/rest/v1"
ASSET_TABLES = ("asset_files", "assets", "asset_tags", "asset_versions", "asset_renditions")


@pytest.fixture()
def shop(catalog, people):
    create_link_rule(catalog, {"code": "numbered", "pattern": "{identifier}_{position}.jpg",
                               "attribute": "images"})
    product(catalog, "boot-1")
    return catalog


def _file(data: bytes, name: str) -> tuple[io.BytesIO, str]:
    return io.BytesIO(data), name


def upload(client, headers, name="boot-1_1.jpg", data=None, **fields):
    form = {"file": _file(data if data is not None else jpeg_with_metadata(), name), **fields}
    return client.post(f"{API}/assets", data=form, headers=headers,
                       content_type="multipart/form-data")


def test_upload_links_and_the_asset_reads_back_with_metadata(shop, client, headers):
    created = upload(client, headers["editor"], tags="summer, Λευκό",
                     title=json.dumps({"en_US": "Boot", "pl_PL": "But"}))
    assert created.status_code == 201, created.json
    body = created.json
    assert created.headers["Location"].endswith(f"{API}/assets/boot_1_1")
    assert body["code"] == "boot_1_1" and body["tags"] == ["summer", "Λευκό"]
    assert body["links"]["linked"] == 1 and body["links"]["outcomes"][0]["identifier"] == "boot-1"
    assert s.get_product(shop, "boot-1").values["images"][0]["data"] == ["boot_1_1"]
    one = client.get(f"{API}/assets/boot_1_1", headers=headers["viewer"]).json
    assert one["file"]["media_type"] == "image/jpeg"
    assert (one["file"]["width"], one["file"]["height"]) == (40, 80)  # EXIF orientation 6
    metadata = one["file"]["metadata"]
    assert metadata["orientation"] == 6 and "Θεσσαλονίκη" in json.dumps(metadata,
                                                                           ensure_ascii=False)
    assert one["title"] == {"en_US": "Boot", "pl_PL": "But"}
    assert [v["number"] for v in one["versions"]] == [1]
    assert one["used_by"] == [{"owner": "product", "code": "boot-1", "attribute": "images",
                               "locale": None, "scope": None}]
    assert one["_links"]["download"]["href"].endswith("/media/assets/boot_1_1")


def test_list_filters_and_pages(shop, client, headers):
    upload(client, headers["editor"], "boot-1_1.jpg", image_bytes(color=(1, 1, 1)), tags="red")
    upload(client, headers["editor"], "boot-1_2.png", image_bytes(fmt="PNG"), tags="blue")
    upload(client, headers["editor"], "manual.pdf", pdf_bytes())
    viewer = headers["viewer"]

    def codes(query: str) -> list[str]:
        body = client.get(f"{API}/assets?{query}", headers=viewer).json
        return [item["code"] for item in body["_embedded"]["items"]]

    assert codes("") == ["boot_1_1", "boot_1_2", "manual"]
    assert codes("media_type=image/*") == ["boot_1_1", "boot_1_2"]
    assert codes("media_type=application/pdf") == ["manual"]
    assert codes("tag=blue") == ["boot_1_2"]
    assert codes("text=MANUAL") == ["manual"]
    page = client.get(f"{API}/assets?limit=1&page=2&with_count=true", headers=viewer).json
    assert page["items_count"] == 3 and page["_embedded"]["items"][0]["code"] == "boot_1_2"
    assert "next" in page["_links"] and "previous" in page["_links"]
    cursor = client.get(f"{API}/assets?pagination_type=search_after&limit=2",
                        headers=viewer).json
    assert cursor["_links"]["next"]["href"].endswith("search_after=boot_1_2")
    assert codes("pagination_type=search_after&limit=2&search_after=boot_1_2") == ["manual"]
    assert client.get(f"{API}/assets?limit=500", headers=viewer).status_code == 422


def test_edit_replace_versions_renditions_and_delete(shop, client, headers):
    editor = headers["editor"]
    upload(client, editor)
    patched = client.patch(f"{API}/assets/boot_1_1", headers=editor, json={
        "alt_text": {"fr_FR": "Botte"}, "tags": ["x"], "focal_point": {"x": 0.25, "y": 0.5}})
    assert patched.status_code == 204
    one = client.get(f"{API}/assets/boot_1_1", headers=editor).json
    assert (one["alt_text"], one["tags"], one["focal_point"]) == (
        {"fr_FR": "Botte"}, ["x"], {"x": 0.25, "y": 0.5})
    bad = client.patch(f"{API}/assets/boot_1_1", headers=editor, json={"focal_point": {
        "x": 2, "y": 0}, "code": "other"})
    assert bad.status_code == 422
    assert {e["property"] for e in bad.json["errors"]} == {"focal_point.x", "code"}
    replaced = client.post(f"{API}/assets/boot_1_1/file", headers=editor,
                           content_type="multipart/form-data",
                           data={"file": _file(image_bytes((30, 30), "PNG"), "new.png")})
    assert replaced.status_code == 201 and replaced.json["current_version"] == 2
    versions = client.get(f"{API}/assets/boot_1_1/versions", headers=editor).json
    assert [v["file"]["media_type"] for v in versions["_embedded"]["items"]] == [
        "image/jpeg", "image/png"]
    first = client.get(f"{API}/assets/boot_1_1/versions/1", headers=editor).json
    assert first["filename"] == "boot-1_1.jpg"
    assert first["_links"]["download"]["href"].endswith("/media/assets/boot_1_1/v1")
    spec = "format-jpeg|fill-10x10"
    moved = client.get(f"{API}/assets/boot_1_1/renditions/{spec}", headers=editor)
    assert moved.status_code == 302
    location = moved.headers["Location"]
    assert "/media/assets/boot_1_1/renditions/fill-10x10%7Cformat-jpeg" in location
    rendered = client.get(location, buffered=True)
    assert rendered.status_code == 200 and rendered.mimetype == "image/jpeg"
    old = client.get(f"{API}/assets/boot_1_1/renditions/width-5?version=1", headers=editor)
    assert old.headers["Location"].endswith("?version=1")
    assert client.get(f"{API}/assets/boot_1_1/renditions/blur-2",
                      headers=editor).status_code == 422
    assert client.get(f"{API}/assets/boot_1_1/renditions/width-5?version=9",
                      headers=editor).status_code == 404
    refused = client.delete(f"{API}/assets/boot_1_1", headers=editor)
    assert refused.status_code == 422 and "boot-1 (images)" in refused.json["message"]
    assert client.delete(f"{API}/assets/boot_1_1?unlink=true", headers=editor).status_code == 204
    assert client.get(f"{API}/assets/boot_1_1", headers=editor).status_code == 404
    assert "images" not in s.get_product(shop, "boot-1").values


def test_a_document_has_no_renditions(shop, client, headers):
    upload(client, headers["editor"], "manual.pdf", pdf_bytes())
    answer = client.get(f"{API}/assets/manual/renditions/width-10", headers=headers["viewer"])
    assert answer.status_code == 422 and "only images have renditions" in answer.json["message"]


def test_roles(shop, client, headers):
    viewer, editor, admin = headers["viewer"], headers["editor"], headers["admin"]
    assert upload(client, viewer).status_code == 403
    assert upload(client, headers["admin-read"]).status_code == 403
    assert upload(client, editor).status_code == 201
    assert client.get(f"{API}/assets/boot_1_1", headers=viewer).status_code == 200
    assert client.patch(f"{API}/assets/boot_1_1", headers=viewer, json={}).status_code == 403
    assert client.delete(f"{API}/assets/boot_1_1", headers=viewer).status_code == 403
    assert client.get(f"{API}/assets").status_code == 401
    rule = {"code": "flat", "pattern": "{identifier}.jpg", "attribute": "picture"}
    assert client.post(f"{API}/asset-link-rules", headers=editor, json=rule).status_code == 403
    assert client.post(f"{API}/asset-link-rules", headers=admin, json=rule).status_code == 201
    assert client.get(f"{API}/asset-link-rules/flat", headers=viewer).status_code == 200
    presets = {"image_presets": {"thumb": "width-100"}}
    assert client.put(f"{API}/channels/mobile/image-presets", headers=editor,
                      json=presets).status_code == 403
    assert client.post(f"{API}/channels/mobile/renditions", headers=viewer).status_code == 403


def test_link_rules_crud_and_runs(shop, client, headers):
    admin = headers["admin"]
    made = client.post(f"{API}/asset-link-rules", headers=admin, json={
        "code": "folders", "pattern": "{identifier}/{attribute}/{*}", "sort_order": 2})
    assert made.status_code == 201
    assert made.headers["Location"].endswith(f"{API}/asset-link-rules/folders")
    rules = client.get(f"{API}/asset-link-rules", headers=admin).json["_embedded"]["items"]
    assert [(r["code"], r["attribute"]) for r in rules] == [("numbered", "images"),
                                                           ("folders", "")]
    assert client.patch(f"{API}/asset-link-rules/folders", headers=admin,
                        json={"enabled": False}).status_code == 204
    assert client.patch(f"{API}/asset-link-rules/flat", headers=admin, json={
        "pattern": "{identifier}.jpg", "attribute": "picture"}).status_code == 201
    bad = client.post(f"{API}/asset-link-rules", headers=admin, json={
        "code": "x y", "pattern": "{sku}.jpg", "attribute": "images"})
    assert bad.status_code == 422
    assert {e["property"] for e in bad.json["errors"]} == {"code", "pattern"}
    upload(client, headers["editor"], "boot-1.jpg", image_bytes(color=(3, 3, 3)),
           code="front")
    assert s.get_product(shop, "boot-1").values["picture"][0]["data"].startswith("originals/")
    run = client.post(f"{API}/asset-link-rules/run", headers=headers["editor"],
                      json={"rules": ["flat"], "assets": ["front"]})
    assert run.status_code == 202 and run.json["kind"] == "assets.link"
    assert run.json["status"] == "succeeded" and run.json["result"]["unchanged"] == 1
    assert run.headers["Location"].endswith(f"{API}/jobs/{run.json['id']}")
    assert client.delete(f"{API}/asset-link-rules/flat", headers=admin).status_code == 204
    assert client.get(f"{API}/asset-link-rules/flat", headers=admin).status_code == 404


def test_channel_presets_and_pregenerated_renditions(shop, client, headers):
    admin = headers["admin"]
    s.update_channel(shop, "ecommerce", {"exporter": "amazon"}, author="admin")
    shown = client.get(f"{API}/channels/ecommerce/image-presets", headers=headers["viewer"])
    assert shown.json["image_presets"]["main_image"] == "fill-1600x1600|bg-ffffff|format-jpeg"
    assert shown.json["own"] == {} and "white background" in shown.json["rules"]["main_image"]
    bad = client.put(f"{API}/channels/ecommerce/image-presets", headers=admin, json={
        "image_presets": {"main_image": "max-500x500|format-png", "zoom": "width-10"}})
    assert bad.status_code == 422
    assert sorted({e["property"] for e in bad.json["errors"]}) == [
        "image_presets.main_image", "image_presets.zoom"]
    saved = client.put(f"{API}/channels/ecommerce/image-presets", headers=admin,
                       json={"image_presets": shown.json["recommended"]})
    assert saved.status_code == 200 and saved.json["own"] == shown.json["recommended"]
    upload(client, headers["editor"])
    started = client.post(f"{API}/channels/ecommerce/renditions", headers=headers["editor"])
    assert started.status_code == 202, started.json
    assert started.json["result"]["generated"] == 2 and started.json["result"]["assets"] == 1
    assert client.post(f"{API}/channels/nowhere/renditions",
                       headers=admin).status_code == 404
    assert client.post(f"{API}/channels/mobile/renditions", headers=admin).status_code == 422


def _footprint(session, app) -> dict:
    counts = {t: session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
              for t in ASSET_TABLES}
    return {"rows": counts, "keys": list(app.extensions["prism.storage"].list())}


def _truncated() -> bytes:
    data = image_bytes((400, 300))
    return data[: len(data) // 2]


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
BAD_UPLOADS = [
    ("truncated.jpg", _truncated, 422, "the JPEG image is truncated or corrupt"),
    ("photo.png", lambda: image_bytes(), 422, "the name says PNG but the bytes are JPEG"),
    ("logo.jpg", lambda: SVG, 415, "the bytes are SVG markup posing as JPEG"),
    ("page.png", lambda: b"<!DOCTYPE html><html></html>", 415, "HTML markup posing as PNG"),
    ("empty.jpg", lambda: b"", 422, "the file is empty (0 bytes)"),
    ("archive.zip", lambda: zip_bytes({"a.jpg": image_bytes()}), 415, "are not allowed"),
]


@pytest.mark.parametrize("name, make, status, message", BAD_UPLOADS,
                         ids=[b[0] for b in BAD_UPLOADS])
def test_bad_uploads_get_a_clear_4xx_and_leave_nothing(shop, client, headers, app, name, make,
                                                       status, message):
    before = _footprint(shop, app)
    answer = upload(client, headers["editor"], name, make())
    assert answer.status_code == status
    assert message in answer.json["message"] and name in answer.json["message"]
    assert _footprint(shop, app) == before


@pytest.mark.parametrize("entries, links, message", [
    ({"ok.jpg": image_bytes(), "../../evil.jpg": image_bytes()}, (), "points outside"),
    ({"ok.jpg": image_bytes(), "link.jpg": b"/etc/passwd"}, ("link.jpg",), "symbolic link"),
])
def test_unsafe_zips_are_refused_whole_at_once(shop, client, headers, app, entries, links,
                                              message):
    before = _footprint(shop, app)
    answer = client.post(f"{API}/assets/bulk", headers=headers["editor"],
                         content_type="multipart/form-data",
                         data={"file": _file(zip_bytes(entries, links), "drop.zip")})
    assert answer.status_code == 422 and message in answer.json["message"]
    assert _footprint(shop, app) == before


def test_a_zip_upload_ingests_and_links_as_a_job(shop, client, headers, app):
    archive = zip_bytes({"boot-1_1.jpg": image_bytes(color=(9, 9, 9)), "bad.jpg": SVG})
    answer = client.post(f"{API}/assets/bulk", headers=headers["editor"],
                         content_type="multipart/form-data",
                         data={"file": _file(archive, "drop.zip"), "tags": "supplier"})
    assert answer.status_code == 202, answer.json
    result = answer.json["result"]
    assert (result["created"], result["refused"], result["links"]["linked"]) == (1, 1, 1)
    assert not list(app.extensions["prism.storage"].list("staging/"))  # the job cleaned up


@pytest.fixture()
def small_cap(app_config):
    app_config["UPLOAD_MAX_BYTES"] = 100_000
    return app_config


def test_uploads_over_the_cap_are_refused_with_413(small_cap, shop, client, headers, app):
    before = _footprint(shop, app)
    just_over = upload(client, headers["editor"], "big.jpg", b"\xff\xd8\xff" + b"\0" * 100_000)
    assert just_over.status_code == 413 and "larger than the upload cap" in just_over.json[
        "message"]
    far_over = upload(client, headers["editor"], "huge.jpg", b"\xff\xd8\xff" + b"\0" * 400_000)
    assert far_over.status_code == 413
    assert _footprint(shop, app) == before


class Endless(io.RawIOBase):
    """A request body that never ends, counting what was read from it."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        buffer[:] = b"-" * len(buffer)
        self.read_bytes += len(buffer)
        return len(buffer)


def test_a_streamed_body_is_cut_off_at_the_cap(small_cap, shop, client, headers, app):
    body = Endless()
    before = _footprint(shop, app)
    chunked = {"wsgi.input": body, "wsgi.input_terminated": True, "CONTENT_LENGTH": ""}
    answer = client.post(f"{API}/assets", headers=headers["editor"],
                         content_type="multipart/form-data; boundary=x",
                         environ_overrides=chunked)
    assert answer.status_code == 413
    assert 100_000 < body.read_bytes < 100_000 + 64 * 1024 + 1024 * 1024
    announced = Endless()
    answer = client.post(f"{API}/assets", headers=headers["editor"],
                         content_type="multipart/form-data; boundary=x",
                         environ_overrides={"wsgi.input": announced,
                                            "CONTENT_LENGTH": str(10**9)})
    assert answer.status_code == 413 and announced.read_bytes == 0
    assert _footprint(shop, app) == before


def test_wrong_content_type_and_missing_file(shop, client, headers):
    answer = client.post(f"{API}/assets", headers=headers["editor"], json={"file": "x"})
    assert answer.status_code == 415
    answer = client.post(f"{API}/assets", headers=headers["editor"],
                         content_type="multipart/form-data", data={"code": "x"})
    assert answer.status_code == 422 and answer.json["errors"][0]["property"] == "file"
    answer = upload(client, headers["editor"], title="{not json")
    assert answer.status_code == 422 and answer.json["errors"][0]["property"] == "title"
