"""The asset library pages: upload with per-file answers, metadata, focal point, texts,
renditions, versions, the products using an asset, and the editor's picker."""

import io
import re

from pim.catalog import services as s
from tests.assets.images import image_bytes, jpeg_with_metadata
from tests.builders import value
from tests.web.test_xss import PAYLOAD, assert_inert

JSON = {"Accept": "application/json"}


def status_of(client, url: str) -> int:
    """GET a file and close it (served files stream from storage)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response.status_code


def upload(client, name: str, data: bytes):
    return client.post("/assets/upload", data={"file": (io.BytesIO(data), name)},
                       headers=JSON, content_type="multipart/form-data")


def test_upload_answers_per_file_and_the_library_lists_it(catalog, editor):
    response = upload(editor, "red-shoe.jpg", jpeg_with_metadata())
    assert response.status_code == 201
    body = response.get_json()
    assert body["code"] and body["thumbnail"].startswith(f"/media/assets/{body['code']}/")
    page = editor.get("/assets").get_data(as_text=True)
    assert body["code"] in page and "image/jpeg" in page
    assert status_of(editor, body["thumbnail"]) == 200
    found = editor.get("/assets?q=Nikon").get_data(as_text=True)
    assert body["code"] in found


def test_refused_file_says_why_and_leaves_nothing(catalog, editor):
    response = upload(editor, "shoe.jpg", b"<html><script>alert(1)</script></html>")
    assert response.status_code == 422
    assert "shoe.jpg" in response.get_json()["message"]
    assert "No asset matches" in editor.get("/assets").get_data(as_text=True)


def test_several_files_without_javascript(catalog, editor):
    response = editor.post("/assets/upload", data={"file": [
        (io.BytesIO(image_bytes()), "one.jpg"), (io.BytesIO(image_bytes(fmt="PNG")), "two.png")]},
        content_type="multipart/form-data", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Uploaded one" in page and "Uploaded two" in page


def test_asset_page_shows_metadata_and_saves_focal_point_texts_and_tags(catalog, editor):
    code = upload(editor, "meta.jpg", jpeg_with_metadata()).get_json()["code"]
    page = editor.get(f"/assets/{code}").get_data(as_text=True)
    assert "Nikon" in page and "Zapatilla" in page and "Zofia" in page  # EXIF, IPTC, XMP
    assert 'data-focal="focal-form"' in page
    editor.post(f"/assets/{code}/focal", data={"focal_x": "0.25", "focal_y": "0.75"})
    editor.post(f"/assets/{code}", data={"title.en_US": "Red shoe", "alt.fr_FR": "Chaussure",
                                         "tags": "red, shoe"})
    page = editor.get(f"/assets/{code}").get_data(as_text=True)
    assert 'value="0.25"' in page and 'value="0.75"' in page
    assert 'value="Red shoe"' in page and 'value="red, shoe"' in page
    bad = editor.post(f"/assets/{code}/focal", data={"focal_x": "2", "focal_y": "0"},
                      follow_redirects=True)
    assert "not saved" in bad.get_data(as_text=True)


def test_replace_file_keeps_the_old_version(catalog, editor):
    code = upload(editor, "v.png", image_bytes(fmt="PNG")).get_json()["code"]
    response = editor.post(f"/assets/{code}/replace", data={
        "file": (io.BytesIO(image_bytes((90, 90), fmt="PNG", color=(0, 0, 200))), "v2.png")},
        content_type="multipart/form-data", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "now has version 2" in page
    assert f"/media/assets/{code}/v1" in page and f"/media/assets/{code}/v2" in page
    assert status_of(editor, f"/media/assets/{code}/v1") == 200


def test_renditions_per_channel_preset(catalog, editor):
    s.update_channel(catalog, "ecommerce", {"settings": {"image_presets": {
        "main_image": "fill-300x300|bg-ffffff|format-jpeg"}}}, author="t")
    code = upload(editor, "r.jpg", image_bytes((400, 200))).get_json()["code"]
    page = editor.get(f"/assets/{code}").get_data(as_text=True)
    assert "main_image" in page and "fill-300x300|bg-ffffff|format-jpeg" in page
    src = re.search(r'src="(/media/assets/[^"]+renditions/fill-300x300[^"]+)"', page).group(1)
    assert status_of(editor, src.replace("&amp;", "&")) == 200


def test_products_using_an_asset_and_the_picker(catalog, editor):
    code = upload(editor, "used.png", image_bytes(fmt="PNG")).get_json()["code"]
    s.update_product(catalog, "shoe-1", {"values": {"images": value([code])}}, author="t")
    page = editor.get(f"/assets/{code}").get_data(as_text=True)
    assert 'href="/products/shoe-1"' in page
    picker = editor.get("/assets/picker?name=v.images.~.~&list=f-images&q=used"
                        ).get_data(as_text=True)
    assert f'data-code="{code}"' in picker and 'data-name="v.images.~.~"' in picker
    editor_page = editor.get("/products/shoe-1").get_data(as_text=True)
    assert 'hx-get="/assets/picker?name=v.images.~.~&amp;list=f-images"' in editor_page
    assert f'<input type="hidden" name="v.images.~.~" value="{code}">' in editor_page


def test_attached_assets_are_saved_in_their_order(catalog, editor):
    first = upload(editor, "a.png", image_bytes(fmt="PNG")).get_json()["code"]
    second = upload(editor, "b.png", image_bytes(fmt="PNG", color=(0, 200, 0))).get_json()["code"]
    page = editor.get("/products/shoe-1").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    editor.post("/products/shoe-1", data={"version": version, "field": ["images.~.~"],
                                          "v.images.~.~": [second, first]})
    assert s.get_product(catalog, "shoe-1").values["images"][0]["data"] == [second, first]


def test_hostile_file_names_render_as_text(catalog, editor):
    name = PAYLOAD.replace("/", "") + ".png"
    response = upload(editor, name, image_bytes(fmt="PNG"))
    code = response.get_json()["code"]
    for url in ("/assets", f"/assets/{code}"):
        body = editor.get(url).get_data(as_text=True)
        assert_inert(body)
    refused = upload(editor, name.replace(".png", ".jpg"), b"not an image at all")
    assert refused.mimetype == "application/json"  # data for the uploader, set as text
    page = editor.post("/assets/upload", data={"file": (io.BytesIO(b"junk"), "x" + name)},
                       content_type="multipart/form-data", follow_redirects=True)
    body = page.get_data(as_text=True)
    assert "the bytes match no known file type" in body
    assert_inert(body)


def test_viewer_sees_assets_without_upload(catalog, editor, viewer):
    code = upload(editor, "v.png", image_bytes(fmt="PNG")).get_json()["code"]
    page = viewer.get("/assets").get_data(as_text=True)
    assert code in page and "data-upload-url" not in page
    assert upload(viewer, "x.png", image_bytes(fmt="PNG")).status_code == 403


def test_upload_links_by_rule_and_deleting_respects_use(catalog, editor):
    from assets.links import create_link_rule

    create_link_rule(catalog, {"code": "by_name", "pattern": "{identifier}_{position}.png",
                               "attribute": "images"})
    body = upload(editor, "shoe-1_1.png", image_bytes(fmt="PNG")).get_json()
    assert body["linked"] == ["shoe-1"]
    catalog.expire_all()
    assert s.get_product(catalog, "shoe-1").values["images"][0]["data"] == [body["code"]]
    page = editor.get(f"/assets/{body['code']}").get_data(as_text=True)
    assert 'href="/products/shoe-1"' in page and "images" in page
    refused = editor.post(f"/assets/{body['code']}/delete", follow_redirects=True)
    assert "is used by shoe-1" in refused.get_data(as_text=True)
    done = editor.post(f"/assets/{body['code']}/delete", data={"unlink": "1"},
                       follow_redirects=True)
    assert f"Asset {body['code']} deleted" in done.get_data(as_text=True)
    catalog.expire_all()
    assert "images" not in s.get_product(catalog, "shoe-1").values
