"""The media blueprint streams originals and renditions with ETag, Last-Modified and 304s."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from PIL import Image

from assets.ingest import ingest_upload, replace_file
from assets.policy import IngestPolicy
from tests.assets.conftest import BUCKET
from tests.assets.images import image_bytes, pdf_bytes

POLICY = IngestPolicy(max_bytes=10**7)


@pytest.fixture(params=["local", "s3"])
def media_app(request, app_config):
    from pim import create_app

    if request.param == "s3":
        server = request.getfixturevalue("seaweed")
        app_config = {**app_config, "STORAGE_URL": f"s3://{BUCKET}/media-{id(request)}",
                      "S3_ENDPOINT_URL": server.endpoint}
    return create_app(app_config)


@pytest.fixture()
def uploaded(media_app):
    storage = media_app.extensions["prism.storage"]
    with media_app.extensions["prism.sessions"]() as session:
        ingest_upload(session, storage, io.BytesIO(image_bytes((60, 40))), "Ζεύς boot.jpg",
                      policy=POLICY, code="boot")
        replace_file(session, storage, "boot", io.BytesIO(image_bytes((90, 30), "PNG")),
                     "boot.png", policy=POLICY)
        ingest_upload(session, storage, io.BytesIO(pdf_bytes()), "manual.pdf", policy=POLICY)
    return Client(media_app.test_client())


class Client:
    """A test client whose responses are read whole and closed (like a WSGI server does)."""

    def __init__(self, client) -> None:
        self.client = client

    def get(self, url: str, **options):
        return self.client.get(url, buffered=True, **options)


def test_current_and_pinned_originals(uploaded):
    current = uploaded.get("/media/assets/boot")
    assert current.status_code == 200
    assert current.mimetype == "image/png"
    assert Image.open(io.BytesIO(current.data)).size == (90, 30)
    assert current.headers["Cache-Control"] == "public, max-age=300"
    assert current.headers["Content-Length"] == str(len(current.data))
    assert current.headers["ETag"].startswith('"') and current.headers["Last-Modified"]
    first = uploaded.get("/media/assets/boot/v1")
    assert first.mimetype == "image/jpeg"
    assert first.data == image_bytes((60, 40))
    assert first.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "filename*=UTF-8''%CE%96%CE%B5%CF%8D%CF%82%20boot.jpg" in \
        first.headers["Content-Disposition"]


def test_conditional_requests_get_304(uploaded):
    first = uploaded.get("/media/assets/boot")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = uploaded.get("/media/assets/boot", headers={"If-None-Match": etag})
    assert (again.status_code, again.data) == (304, b"")
    assert again.headers["ETag"] == etag
    assert uploaded.get("/media/assets/boot",
                        headers={"If-Modified-Since": modified}).status_code == 304
    assert uploaded.get("/media/assets/boot",
                        headers={"If-None-Match": '"other"'}).status_code == 200


def test_renditions_are_served_and_cached(uploaded):
    url = "/media/assets/boot/renditions/" + quote("fill-20x20|format-webp")
    first = uploaded.get(url)
    assert first.status_code == 200 and first.mimetype == "image/webp"
    assert Image.open(io.BytesIO(first.data)).size == (20, 20)
    same = uploaded.get("/media/assets/boot/renditions/" + quote("format-webp|fill-20x20"))
    assert same.headers["ETag"] == first.headers["ETag"] and same.data == first.data
    cached = uploaded.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert cached.status_code == 304
    old = uploaded.get(url + "?version=1")
    assert old.status_code == 200 and old.headers["ETag"] != first.headers["ETag"]
    assert old.headers["Cache-Control"].endswith("immutable")


ERRORS = [
    ("/media/assets/nope", 404, "Asset 'nope' does not exist"),
    ("/media/assets/boot/v9", 404, "Asset version 'boot@9' does not exist"),
    ("/media/assets/boot/renditions/blur-2", 400, "unknown operation 'blur'"),
    ("/media/assets/manual/renditions/max-10x10", 400, "application/pdf files have no"),
]


def test_errors_say_what_is_wrong(uploaded):
    for url, status, message in ERRORS:
        response = uploaded.get(url)
        assert response.status_code == status, url
        assert message in response.get_json()["message"]
