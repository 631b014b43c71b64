"""The feed URL (ETag, Last-Modified, gzip, 304, secrets) and a real S3-compatible bucket."""

from __future__ import annotations

import gzip
import hashlib
import uuid
from pathlib import Path

from flask import Flask
from sqlalchemy.orm import Session

from exporters.feeds import feed_url, rotate_feed_secret
from exporters.publishing import start_publication
from pim.catalog import services as s
from tests.assets.seaweed import BUCKET, SeaweedS3
from tests.builders import value
from tests.exporters.conftest import IMAGE, PUBLIC, set_channel


def publish_google(app: Flask, session: Session, **settings: object) -> object:
    set_channel(session, "google", {"mapping": {"image_link": IMAGE}, **settings})
    publication = start_publication(app, "ecommerce")
    assert publication.status == "succeeded", publication.error
    return publication


def test_the_feed_url_sends_the_live_output_with_validators(app: Flask,
                                                            catalog: Session) -> None:
    publication = publish_google(app, catalog)
    secret = rotate_feed_secret(catalog, "ecommerce")
    url = feed_url(PUBLIC, "ecommerce", secret, "ecommerce.xml")
    assert url == f"{PUBLIC}/feeds/ecommerce/{secret}/ecommerce.xml"
    path = url.removeprefix(PUBLIC)
    client = app.test_client()
    with client.get(path) as plain:
        assert plain.status_code == 200
        assert plain.headers["ETag"] == f'"{publication.checksum}"'
        assert plain.headers["Content-Type"] == "application/xml; charset=utf-8"
        assert "Accept-Encoding" in plain.headers["Vary"]
        assert hashlib.sha256(plain.data).hexdigest() == publication.checksum
        body, modified = plain.data, plain.headers["Last-Modified"]
    with client.get(path, headers={"Accept-Encoding": "gzip"}) as packed:
        assert packed.headers["Content-Encoding"] == "gzip"
        assert packed.headers["ETag"] == f'"{publication.checksum}-gzip"'
        assert gzip.decompress(packed.data) == body
    with client.get(path, headers={"If-None-Match": f'"{publication.checksum}"'}) as same:
        assert same.status_code == 304 and same.data == b""
    with client.get(path, headers={"If-Modified-Since": modified}) as unchanged:
        assert unchanged.status_code == 304
    with client.head(path) as head:
        assert head.status_code == 200 and head.data == b""


def test_wrong_secrets_and_unpublished_files_are_not_found(app: Flask,
                                                           catalog: Session) -> None:
    publish_google(app, catalog)
    old = rotate_feed_secret(catalog, "ecommerce")
    new = rotate_feed_secret(catalog, "ecommerce")
    client = app.test_client()
    for path in (f"/feeds/ecommerce/{old}/ecommerce.xml",
                 f"/feeds/ecommerce/{new}/ecommerce-delta.xml",
                 f"/feeds/mobile/{new}/ecommerce.xml", f"/feeds/nope/{new}/ecommerce.xml"):
        with client.get(path) as answer:
            assert answer.status_code == 404, path
            assert answer.data == b"No such feed.\n"
    with client.get(f"/feeds/ecommerce/{new}/ecommerce.xml") as answer:
        assert answer.status_code == 200


def test_a_new_publication_changes_the_etag(app: Flask, catalog: Session) -> None:
    first = publish_google(app, catalog)
    secret = rotate_feed_secret(catalog, "ecommerce")
    s.update_product(catalog, "shoe-2", {"values": {"stock": value(4)}}, author="t")
    second = publish_google(app, catalog)
    assert first.checksum != second.checksum
    path = f"/feeds/ecommerce/{secret}/ecommerce.xml"
    with app.test_client().get(path, headers={"If-None-Match": f'"{first.checksum}"'}) as got:
        assert got.status_code == 200 and got.headers["ETag"] == f'"{second.checksum}"'


def test_publishing_to_a_real_s3_bucket(app: Flask, catalog: Session, tmp_path: Path,
                                        seaweed: SeaweedS3) -> None:
    prefix = f"feeds-{uuid.uuid4().hex[:8]}"
    destinations = [{"type": "s3", "url": f"s3://{BUCKET}/{prefix}",
                     "endpoint_url": seaweed.endpoint},
                    {"type": "folder", "path": str(tmp_path / "feeds")}]
    publication = publish_google(app, catalog, destinations=destinations)
    client = seaweed.client()
    try:
        stored = client.get_object(Bucket=BUCKET, Key=f"{prefix}/ecommerce.xml")
        body = stored["Body"].read()
        stored["Body"].close()
    finally:
        client.close()
    assert hashlib.sha256(body).hexdigest() == publication.checksum
    assert body == (tmp_path / "feeds" / "ecommerce.xml").read_bytes()
    assert [d["where"] for d in publication.deliveries] == [
        str(tmp_path / "feeds" / "ecommerce.xml"), f"s3://{BUCKET}/{prefix}/ecommerce.xml"]
