"""Renditions: the spec grammar, each operation's output, focal crops, caching, concurrency."""

from __future__ import annotations

import io
import os
import threading

import pytest
from PIL import Image
from sqlalchemy import func, select

from assets.errors import NotAnImage, RenditionSpecError
from assets.ingest import ingest_upload, replace_file
from assets.models import Rendition
from assets.renditions import parse_spec, pregenerate, rendition_for
from assets.renditions import service as rendition_service
from assets.services import update_asset
from tests.assets.conftest import s3_storage
from tests.assets.images import image_bytes, jpeg_with_metadata, pdf_bytes

VALID = [
    ("max-800x600", "max-800x600"),
    ("format-jpeg|fill-1000x1000|quality-85|bg-FFFFFF", "fill-1000x1000|bg-ffffff|format-jpeg|"
                                                        "quality-85"),
    ("pad-300x300|bg-00ff00", "pad-300x300|bg-00ff00"),
    ("width-0300", "width-300"),
    ("height-20|strip|format-jpg", "height-20|format-jpeg|strip"),
    ("format-webp|quality-1", "format-webp|quality-1"),
    ("strip", "strip"),
]
INVALID = [
    ("", "the spec is empty"),
    ("blur-3", "unknown operation 'blur'"),
    ("max-800", "expected a size like 800x600"),
    ("max-0x10", "the width must be from 1 to 8000, got 0"),
    ("fill-9000x10", "the width must be from 1 to 8000, got 9000"),
    ("width-abc", "expected a whole number for the width"),
    ("width-٣٠٠", "expected a whole number for the width"),
    ("format-gif", "expected jpeg, png or webp"),
    ("quality-101", "the quality must be from 1 to 100"),
    ("bg-fff", "expected a colour as 6 hex digits"),
    ("strip-1", "strip takes no argument"),
    ("max-10x10|fill-5x5", "only one of max, fill, pad, width, height per spec"),
    ("format-png|format-jpeg", "'format' is given more than once"),
    ("format-png|quality-80", "quality applies to jpeg and webp, not png"),
    ("max-10x10|" * 30, "longer than 255 characters"),
]


@pytest.mark.parametrize("text, canonical", VALID)
def test_valid_specs_have_one_canonical_text(text, canonical):
    assert parse_spec(text).text == canonical


@pytest.mark.parametrize("text, message", INVALID)
def test_invalid_specs_say_what_is_wrong(text, message):
    with pytest.raises(RenditionSpecError, match=message.replace("|", r"\|")):
        parse_spec(text)


def test_every_problem_of_a_spec_is_reported_at_once():
    with pytest.raises(RenditionSpecError) as caught:
        parse_spec("blur-1|max-0x0|quality-0")
    messages = [e.message for e in caught.value.errors]
    assert len(messages) == 3
    assert "width must be from 1 to 8000, got 0; the height must be" in messages[1]


def test_spec_is_checked_before_anything_is_read(session, local_storage):
    with pytest.raises(RenditionSpecError):
        rendition_for(session, local_storage, "no-such-asset", "fill-1x1|nope")


def add(session, storage, policy, data, name="img.jpg", **fields):
    return ingest_upload(session, storage, io.BytesIO(data), name, policy=policy, **fields)


def rendered(storage, rendition) -> Image.Image:
    with storage.open(rendition.storage_key) as stream:
        image = Image.open(io.BytesIO(stream.read()))
        image.load()
    return image


def close(pixel, expected, tolerance=6) -> bool:
    """Lossy formats shift colours a little."""
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=True))


SIZES = [
    ("max-300x300", (300, 200)), ("max-2000x2000", (1200, 800)), ("width-600", (600, 400)),
    ("width-5000", (1200, 800)), ("height-200", (300, 200)), ("fill-100x100", (100, 100)),
    ("fill-2400x100", (2400, 100)), ("pad-300x100", (300, 100)), ("pad-50x400", (50, 400)),
    ("format-png", (1200, 800)),
]


@pytest.mark.parametrize("spec, size", SIZES)
def test_each_operation_gives_its_size(session, local_storage, policy, spec, size):
    add(session, local_storage, policy, image_bytes((1200, 800)))
    rendition = rendition_for(session, local_storage, "img", spec)
    assert (rendition.width, rendition.height) == size
    assert rendered(local_storage, rendition).size == size


def test_formats_quality_background_and_modes(session, local_storage, policy):
    add(session, local_storage, policy,
        image_bytes((40, 40), "PNG", mode="RGBA", color=(0, 0, 255, 0)), "clear.png")
    jpeg = rendition_for(session, local_storage, "clear", "format-jpeg|quality-90")
    assert (jpeg.media_type, rendered(local_storage, jpeg).mode) == ("image/jpeg", "RGB")
    assert rendered(local_storage, jpeg).getpixel((5, 5)) == (255, 255, 255)
    red = rendition_for(session, local_storage, "clear", "bg-ff0000|format-webp")
    assert red.media_type == "image/webp"
    assert close(rendered(local_storage, red).getpixel((5, 5))[:3], (255, 0, 0))
    kept = rendition_for(session, local_storage, "clear", "max-20x20")
    assert rendered(local_storage, kept).mode == "RGBA"  # png keeps its transparency
    add(session, local_storage, policy, image_bytes((30, 30), "GIF", mode="P", color=5), "p.gif")
    assert rendition_for(session, local_storage, "p", "width-10").media_type == "image/png"
    add(session, local_storage, policy, image_bytes((30, 30), "JPEG", mode="CMYK",
                                                    color=(0, 255, 255, 0)), "cmyk.jpg")
    cmyk = rendered(local_storage, rendition_for(session, local_storage, "cmyk", "width-10"))
    assert cmyk.mode == "RGB"
    add(session, local_storage, policy, image_bytes((30, 30), "PNG", mode="I;16",
                                                    color=40000), "deep.png")
    assert rendered(local_storage, rendition_for(session, local_storage, "deep",
                                                 "width-10")).mode == "L"


def test_pad_fills_with_the_background(session, local_storage, policy):
    add(session, local_storage, policy, image_bytes((200, 100), color=(250, 0, 0)))
    padded = rendered(local_storage, rendition_for(session, local_storage, "img",
                                                   "pad-100x100|bg-00ff00|format-png"))
    assert padded.getpixel((50, 2)) == (0, 255, 0)  # band above the image
    assert close(padded.getpixel((90, 50)), (250, 0, 0))


def test_fill_crops_around_the_focal_point(session, local_storage, policy):
    add(session, local_storage, policy, image_bytes((400, 100), "PNG", color=(255, 0, 0)),
        "wide.png")
    # the left half is black, the right half red
    update_asset(session, "wide", {"focal_point": {"x": 0.9, "y": 0.5}})
    right = rendition_for(session, local_storage, "wide", "fill-50x50|format-png")
    assert rendered(local_storage, right).getpixel((25, 25)) == (255, 0, 0)
    update_asset(session, "wide", {"focal_point": {"x": 0.05, "y": 0.5}})
    left = rendition_for(session, local_storage, "wide", "fill-50x50|format-png")
    assert rendered(local_storage, left).getpixel((25, 25)) == (0, 0, 0)
    assert left.id != right.id and left.focal_key == "0.050,0.500"
    plain = rendition_for(session, local_storage, "wide", "max-50x50|format-png")
    assert plain.focal_key == ""  # a resize that does not crop ignores the focal point


def test_exif_orientation_is_applied_and_strip_drops_metadata(session, local_storage, policy):
    add(session, local_storage, policy, jpeg_with_metadata((80, 40), orientation=6))
    kept = rendered(local_storage, rendition_for(session, local_storage, "img", "max-100x100"))
    assert kept.size == (40, 80)
    assert kept.getexif().get(0x010F) == "Nikon"
    assert kept.getexif().get(0x0112, 1) == 1
    assert "xmp" in kept.info
    stripped = rendered(local_storage, rendition_for(session, local_storage, "img",
                                                     "max-100x100|strip"))
    assert stripped.size == (40, 80)
    assert len(stripped.getexif()) == 0 and "xmp" not in stripped.info


def test_large_jpeg_thumbnail(session, local_storage):
    from assets.policy import IngestPolicy

    big = image_bytes((4000, 3000), quality=90)
    add(session, local_storage, IngestPolicy(max_bytes=20_000_000), big, "big.jpg")
    thumb = rendition_for(session, local_storage, "big", "max-300x300")
    assert (thumb.width, thumb.height) == (300, 225)
    assert close(rendered(local_storage, thumb).getpixel((10, 100)), (0, 0, 0))


def test_second_request_reuses_the_stored_rendition(session, storage, policy, monkeypatch):
    add(session, storage, policy, image_bytes((300, 200)))
    calls = []
    real = rendition_service.render
    monkeypatch.setattr(rendition_service, "render",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    first = rendition_for(session, storage, "img", "fill-50x50|format-jpeg")
    again = rendition_for(session, storage, "img", "format-jpeg|fill-50x50")
    assert first.id == again.id and len(calls) == 1
    assert list(storage.list("renditions/")) == [first.storage_key]


def test_old_versions_keep_their_renditions(session, local_storage, policy):
    add(session, local_storage, policy, image_bytes((100, 50)))
    old = rendition_for(session, local_storage, "img", "width-10")
    replace_file(session, local_storage, "img", io.BytesIO(image_bytes((60, 60))), "img.jpg",
                 policy=policy)
    new = rendition_for(session, local_storage, "img", "width-10")
    assert (new.height, old.height) == (10, 5)
    assert rendition_for(session, local_storage, "img", "width-10", version=1).id == old.id
    assert local_storage.exists(old.storage_key)


def test_documents_have_no_renditions(session, local_storage, policy):
    add(session, local_storage, policy, pdf_bytes(), "sheet.pdf")
    with pytest.raises(NotAnImage, match="application/pdf files have no renditions"):
        rendition_for(session, local_storage, "sheet", "max-10x10")


def test_pregenerate_reports_progress_and_reuses(session, local_storage, policy):
    for n in range(3):
        add(session, local_storage, policy, image_bytes((50 + n, 50)), f"p{n}.jpg")
    add(session, local_storage, policy, pdf_bytes(), "doc.pdf")
    rendition_for(session, local_storage, "p0", "max-10x10")
    seen = []
    report = pregenerate(session, local_storage, None, ["max-10x10", "fill-5x5"],
                         progress=lambda done, total: seen.append((done, total)))
    assert (report.generated, report.reused, report.skipped) == (5, 1, [])
    assert seen[-1] == (6, 6)
    report = pregenerate(session, local_storage, ["doc", "p1", "gone"], ["max-10x10"])
    assert (report.generated, report.reused, report.skipped) == (0, 1, ["doc"])
    assert report.failed == [("gone", "max-10x10", "Asset 'gone' does not exist")]
    with pytest.raises(RenditionSpecError, match="unknown operation 'nope'"):
        pregenerate(session, local_storage, None, ["max-10x10", "nope-1"])


@pytest.mark.parametrize("backend", ["local", "s3"])
def test_concurrent_requests_store_one_rendition(committed_sessions, tmp_path, policy, backend,
                                                 request):
    from assets.storage import open_storage

    storage = (open_storage((tmp_path / "media").as_uri()) if backend == "local"
               else s3_storage(request.getfixturevalue("seaweed")))
    with committed_sessions() as session:
        unique = image_bytes((600, 400), color=tuple(os.urandom(3)))  # the DB outlives the test
        asset = add(session, storage, policy, unique, "race.jpg",
                    code=f"race_{backend}_{tmp_path.name[-8:]}")
        code = asset.code
    barrier, results, errors = threading.Barrier(2), [], []

    def ask() -> None:
        try:
            with committed_sessions() as session:
                barrier.wait()
                results.append(rendition_for(session, storage, code, "fill-64x64").id)
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1
    with committed_sessions() as session:
        count = session.scalar(select(func.count(Rendition.id))
                               .where(Rendition.file_id == asset.file_id))
    assert count == 1
    with committed_sessions() as session:
        stored = session.scalar(select(Rendition).where(Rendition.file_id == asset.file_id))
    assert list(storage.list("renditions/")) == [stored.storage_key]
