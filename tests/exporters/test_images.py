"""Image fields from the asset library: rendition URLs under the public URL, real sizes."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

from flask import Flask
from PIL import Image as PILImage
from sqlalchemy.orm import Session

from assets.ingest import ingest_upload
from assets.policy import IngestPolicy
from exporters.engine import prepare_export, run_export
from exporters.images import AssetImages, detail_size, media_path_for
from pim.catalog import services as s
from tests.builders import value
from tests.exporters.conftest import PUBLIC, set_channel
from tests.exporters.helpers import Collect


def jpeg(size: tuple[int, int]) -> io.BytesIO:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 40, 40)).save(buffer, "JPEG")
    buffer.seek(0)
    return buffer


def test_detail_sizes_never_grow_past_the_original() -> None:
    assert detail_size("fill-1200x1200|bg-ffffff|format-jpeg", 3000, 2000) == (1200, 1200)
    assert detail_size("fill-1200x1200", 600, 400) == (400, 400)
    assert detail_size("max-800x800", 1600, 1200) == (800, 600)
    assert detail_size("max-800x800", 300, 200) == (300, 200)
    assert detail_size("format-webp", 300, 200) == (300, 200)
    assert detail_size(None, 640, 480) == (640, 480)


def test_image_fields_point_at_renditions_and_small_images_are_refused(
        app: Flask, catalog: Session) -> None:
    storage = app.extensions["prism.storage"]
    policy = IngestPolicy.from_config(app.config)
    ingest_upload(catalog, storage, jpeg((1500, 1000)), "big.jpg", policy=policy, code="big")
    ingest_upload(catalog, storage, jpeg((300, 300)), "side.jpg", policy=policy, code="side")
    ingest_upload(catalog, storage, jpeg((90, 90)), "tiny.jpg", policy=policy, code="tiny")
    s.update_product(catalog, "shoe-1", {"values": {"images": value(["big", "side", "gone"])}},
                     author="t")
    s.update_product(catalog, "shoe-2", {"values": {"images": value(["tiny"])}}, author="t")
    set_channel(catalog, "google")
    images = AssetImages(catalog, PUBLIC, media_path_for(app))
    export = prepare_export(catalog, s.get_channel(catalog, "ecommerce"), public_url=PUBLIC,
                            images=images)
    seen = Collect()
    out = io.BytesIO()
    run_export(catalog, export, out, observer=seen)
    assert "shoe-1" in seen.hashes
    assert seen.rules("shoe-2") == {("image_link", "min_image_size")}
    shoe = export.map(next(iter_product(catalog, "shoe-1"))).record
    main = shoe["image_link"]
    assert main.url == (f"{PUBLIC}/media/assets/big/renditions/"
                        "fill-1200x1200%7Cbg-ffffff%7Cformat-jpeg")
    assert (main.width, main.height) == (1000, 1000)
    assert [i.asset for i in shoe["additional_image_link"]] == ["side"]  # "gone" is no asset
    with app.test_client().get(urlsplit(main.url).path) as answer:
        assert answer.status_code == 200 and answer.mimetype == "image/jpeg"
        assert PILImage.open(io.BytesIO(answer.data)).size == (1200, 1200)


def iter_product(session: Session, identifier: str):  # noqa: ANN201
    from pim.catalog.reading import resolve_product

    yield resolve_product(session, identifier)
