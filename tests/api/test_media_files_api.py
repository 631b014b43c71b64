"""Akeneo's /media-files against Prism: upload into a product's value, describe, list,
download; refusals leave nothing behind; the same on a real S3-compatible store."""

from __future__ import annotations

import io
import json
import uuid

import pytest
from sqlalchemy import text

from pim import create_app
from pim.catalog import services as s
from tests.assets.images import image_bytes, jpeg_with_metadata
from tests.assets.seaweed import BUCKET
from tests.builders import product, value

API = "/api/rest/v1"
TABLES = ("asset_files", "assets", "asset_versions")


@pytest.fixture()
def shop(catalog, people):
    product(catalog, "boot-1")
    s.create_product_model(catalog, {"code": "trail", "family_variant": "shoes_size"},
                           author="admin")
    return catalog


def post_media(client, headers, data: bytes, name: str, **parts):
    form = {"file": (io.BytesIO(data), name)}
    form.update({key: json.dumps(part) for key, part in parts.items()})
    return client.post(f"{API}/media-files", headers=headers, data=form,
                       content_type="multipart/form-data")


def _footprint(session, app) -> dict:
    rows = {t: session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}
    return {"rows": rows, "keys": list(app.extensions["prism.storage"].list())}


def round_trip(session, client, headers) -> None:
    data = jpeg_with_metadata()
    created = post_media(client, headers["editor"], data, "Zdjęcie buta.jpg", product={
        "identifier": "boot-1", "attribute": "picture", "scope": None, "locale": None})
    assert created.status_code == 201, created.json
    location = created.headers["Location"]
    code = location.split(f"{API}/media-files/", 1)[1]
    assert code.startswith("originals/") and code.endswith(".jpg")
    assert s.get_product(session, "boot-1").values["picture"] == value(code)
    described = client.get(location, headers=headers["viewer"]).json
    assert described["code"] == code and described["mime_type"] == "image/jpeg"
    assert (described["size"], described["extension"]) == (len(data), "jpg")
    download = client.get(described["_links"]["download"]["href"], headers=headers["viewer"],
                          buffered=True)
    assert download.status_code == 200 and download.data == data
    assert download.mimetype == "image/jpeg"
    listed = client.get(f"{API}/media-files?with_count=true", headers=headers["viewer"]).json
    assert listed["items_count"] == 1 and listed["_embedded"]["items"][0]["code"] == code
    model = post_media(client, headers["editor"], image_bytes(fmt="PNG"), "m.png",
                       product_model={"code": "trail", "attribute": "picture", "scope": None,
                                      "locale": None})
    assert model.status_code == 201
    assert s.get_product_model(session, "trail").values["picture"][0]["data"].endswith(".png")


def test_media_file_round_trip_with_an_akeneo_shaped_product(shop, client, headers):
    round_trip(shop, client, headers)


def test_an_asset_names_the_file_it_shares(shop, client, headers):
    data = image_bytes(color=(4, 4, 4))
    client.post(f"{API}/assets", headers=headers["editor"], content_type="multipart/form-data",
                data={"file": (io.BytesIO(data), "Ελιά.jpg")})
    created = post_media(client, headers["editor"], data, "other.jpg", product={
        "identifier": "boot-1", "attribute": "picture", "scope": None, "locale": None})
    described = client.get(created.headers["Location"], headers=headers["viewer"]).json
    assert described["original_filename"] == "Ελιά.jpg"


REFUSED = [
    ({"product": {"identifier": "nobody", "attribute": "picture", "scope": None,
                  "locale": None}}, "product 'nobody' does not exist"),
    ({"product": {"identifier": "boot-1", "attribute": "name", "scope": None,
                  "locale": None}}, "media files go to image or file attributes"),
    ({"product": {"identifier": "boot-1", "attribute": "manual", "scope": None,
                  "locale": None}}, "extension 'jpg' is not allowed"),
    ({"product": {"identifier": "boot-1", "attribute": "picture", "scope": None,
                  "locale": "en_US"}}, "not localizable"),
    ({"product": {"identifier": "boot-1"}}, "expected a text"),
    ({}, "give exactly one of the multipart parts"),
    ({"product": {"identifier": "boot-1", "attribute": "picture"},
      "product_model": {"code": "trail", "attribute": "picture"}}, "exactly one"),
    ({"product": ["boot-1"]}, "expected a JSON object"),
]


@pytest.mark.parametrize("parts, message", REFUSED, ids=range(len(REFUSED)))
def test_bad_targets_are_refused_and_leave_nothing(shop, client, headers, app, parts, message):
    before = _footprint(shop, app)
    answer = post_media(client, headers["editor"], image_bytes(color=(6, 6, 6)), "x.jpg",
                        **parts)
    assert answer.status_code == 422
    assert message in json.dumps(answer.json, ensure_ascii=False)
    assert _footprint(shop, app) == before
    assert "picture" not in s.get_product(shop, "boot-1").values


def test_bad_files_and_roles(shop, client, headers, app):
    before = _footprint(shop, app)
    target = {"identifier": "boot-1", "attribute": "picture", "scope": None, "locale": None}
    truncated = image_bytes((300, 300))[:500]
    answer = post_media(client, headers["editor"], truncated, "t.jpg", product=target)
    assert answer.status_code == 422 and "truncated or corrupt" in answer.json["message"]
    answer = post_media(client, headers["editor"], b"<svg/>", "t.png", product=target)
    assert answer.status_code == 415
    answer = post_media(client, headers["viewer"], image_bytes(), "t.jpg", product=target)
    assert answer.status_code == 403
    assert _footprint(shop, app) == before
    missing = client.get(f"{API}/media-files/originals/aa/bb/none.jpg", headers=headers["viewer"])
    assert missing.status_code == 404
    assert client.get(f"{API}/media-files/originals/aa/bb/none.jpg/download",
                      headers=headers["viewer"]).status_code == 404


def test_media_files_on_s3(seaweed, shop, app_config, headers):
    config = {**app_config, "STORAGE_URL": f"s3://{BUCKET}/media-{uuid.uuid4().hex[:8]}",
              "S3_ENDPOINT_URL": seaweed.endpoint, "S3_REGION": "us-east-1"}
    s3_app = create_app(config)
    client = s3_app.test_client()
    before = _footprint(shop, s3_app)
    refused = post_media(client, headers["editor"], image_bytes(color=(1, 2, 3)), "x.jpg",
                         product={"identifier": "boot-1", "attribute": "manual",
                                  "scope": None, "locale": None})
    assert refused.status_code == 422 and _footprint(shop, s3_app) == before
    round_trip(shop, client, headers)
    assert len(list(s3_app.extensions["prism.storage"].list("originals/"))) == 2
