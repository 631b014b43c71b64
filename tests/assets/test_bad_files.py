"""Bad uploads are refused with a clear error and leave nothing in the DB or the storage."""

from __future__ import annotations

import io

import pytest

from assets.bulk import ingest_zip
from assets.errors import AssetRejected, UploadTooLarge
from assets.ingest import ingest_file, ingest_upload
from assets.policy import IngestPolicy
from tests.assets.images import (
    image_bytes,
    jpeg_with_metadata,
    png_header_only,
    zip_bytes,
)

SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"\n  <!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>"


def truncated_jpeg() -> bytes:
    data = image_bytes((400, 300), color=(10, 200, 30))
    return data[: len(data) // 2]


BAD_FILES = [
    ("truncated.jpg", truncated_jpeg, r"truncated\.jpg: the JPEG image is truncated or corrupt"),
    ("bomb.png", lambda: png_header_only(5_000, 5_000),
     r"bomb\.png: the image is 5000x5000 = 25,000,000 pixels, over the cap of 4,000,000"),
    ("photo.png", lambda: image_bytes((20, 20), "JPEG"),
     r"photo\.png: the name says PNG but the bytes are JPEG"),
    ("logo.png", lambda: SVG, r"logo\.png: the bytes are SVG markup posing as PNG"),
    ("picture.jpg", lambda: HTML, r"picture\.jpg: the bytes are HTML markup posing as JPEG"),
    ("vector.svg", lambda: SVG, r"vector\.svg: the bytes are SVG markup; markup files"),
    ("utf16.gif", lambda: "\ufeff<svg/>".encode("utf-16-le"), r"SVG markup posing as GIF"),
    ("empty.jpg", lambda: b"", r"empty\.jpg: the file is empty \(0 bytes\)"),
    ("noise.bin", lambda: b"\x00\x01\x02 just some bytes", r"noise\.bin: the bytes match no"),
    ("archive.zip", lambda: zip_bytes({"a.txt": b"x"}), r"zip archive files .* not allowed"),
    ("program.jpg", lambda: b"\x7fELF\x02\x01\x01" + b"\x00" * 64,
     r"program\.jpg: the name says JPEG but the bytes are executable program"),
    ("report.pdf", lambda: b"%PDF-1.7\n1 0 obj<<>>endobj\n", r"report\.pdf: the PDF is truncated"),
]


@pytest.mark.parametrize("name, make, message", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_refused_and_leaves_nothing(session, storage, policy, footprint, name, make,
                                                message):
    before = footprint()
    with pytest.raises(AssetRejected, match=message) as caught:
        ingest_upload(session, storage, io.BytesIO(make()), name, policy=policy)
    assert caught.value.filename == name
    assert footprint() == before


def test_media_file_path_refuses_the_same_way(session, storage, policy, footprint):
    before = footprint()
    with pytest.raises(AssetRejected, match="truncated or corrupt"):
        ingest_file(session, storage, io.BytesIO(truncated_jpeg()), "x.jpg", policy=policy)
    assert footprint() == before


def test_pillow_bomb_guard_is_reported_too(session, storage, footprint):
    # with a pixel cap above Pillow's own limit, Pillow's guard still turns into a refusal
    lenient = IngestPolicy(max_bytes=10_000_000, max_pixels=10**12)
    before = footprint()
    with pytest.raises(AssetRejected, match="bomb"):
        ingest_upload(session, storage, io.BytesIO(png_header_only(30_000, 30_000)), "b.png",
                      policy=lenient)
    assert footprint() == before


class Endless(io.RawIOBase):
    """An upload that never ends, counting what was read from it."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        buffer[:] = b"\xff" * len(buffer)
        self.read_bytes += len(buffer)
        return len(buffer)


def test_upload_over_the_cap_is_refused_while_streaming(session, storage, footprint):
    policy = IngestPolicy(max_bytes=1024 * 1024)
    upload = Endless()
    before = footprint()
    with pytest.raises(UploadTooLarge, match=r"huge\.jpg: the file is larger than the upload cap "
                                             r"of 1\.0 MiB"):
        ingest_upload(session, storage, upload, "huge.jpg", policy=policy)
    assert upload.read_bytes <= policy.max_bytes + 1
    assert footprint() == before


def test_type_outside_a_configured_allow_list(session, storage, footprint):
    only_png = IngestPolicy(max_bytes=10**6, allowed_types={"image/png"})
    before = footprint()
    with pytest.raises(AssetRejected, match=r"JPEG files \(image/jpeg\) are not allowed "
                                            r"\(allowed: PNG\)"):
        ingest_upload(session, storage, io.BytesIO(image_bytes()), "a.jpg", policy=only_png)
    assert footprint() == before


ZIP_ATTACKS = [
    ("slip.zip", {"ok.jpg": b"", "../../etc/evil.jpg": b""}, (),
     r"zip entry '../../etc/evil.jpg' points outside the archive"),
    ("deep.zip", {"a/b/../../../x.jpg": b""}, (), r"points outside the archive"),
    ("abs.zip", {"/etc/passwd": b"x"}, (), r"zip entry '/etc/passwd' has an absolute path"),
    ("win.zip", {"C:/Windows/x.jpg": b"x"}, (), r"has an absolute path"),
    ("link.zip", {"good.jpg": b"", "link.jpg": b"/etc/passwd"}, ("link.jpg",),
     r"zip entry 'link.jpg' is a symbolic link"),
]


@pytest.mark.parametrize("name, entries, links, message", ZIP_ATTACKS,
                         ids=[z[0] for z in ZIP_ATTACKS])
def test_unsafe_zip_is_refused_whole(session, storage, policy, footprint, name, entries, links,
                                     message):
    entries = {k: v or image_bytes() for k, v in entries.items()}
    before = footprint()
    with pytest.raises(AssetRejected, match=message):
        ingest_zip(session, storage, io.BytesIO(zip_bytes(entries, links)), name, policy=policy)
    assert footprint() == before


def test_zip_bomb_is_refused_by_ratio(session, storage, footprint):
    policy = IngestPolicy(max_bytes=200 * 1024 * 1024, zip_max_ratio=200)
    bomb = zip_bytes({"photo.jpg": image_bytes(), "zeros.tif": b"\x00" * (20 * 1024 * 1024)})
    assert len(bomb) < 200_000
    before = footprint()
    with pytest.raises(AssetRejected, match=r"bomb\.zip: zip entry 'zeros.tif' expands [\d,]+ "
                                            r"times, over the limit of 200"):
        ingest_zip(session, storage, io.BytesIO(bomb), "bomb.zip", policy=policy)
    assert footprint() == before


def test_zip_bomb_is_refused_by_entry_size_and_total(session, storage, footprint):
    small = IngestPolicy(max_bytes=5 * 1024 * 1024)
    bomb = zip_bytes({"zeros.jpg": b"\x00" * (6 * 1024 * 1024)})
    before = footprint()
    with pytest.raises(AssetRejected, match=r"unpacks to 6,291,456 bytes, over the upload cap"):
        ingest_zip(session, storage, io.BytesIO(bomb), "b.zip", policy=small)
    many = {f"f{i}.jpg": b"\x00" * 4000 for i in range(30)}
    capped = IngestPolicy(max_bytes=10**6, zip_max_total_bytes=100_000)
    with pytest.raises(AssetRejected, match=r"would unpack to 120,000 bytes, over the limit"):
        ingest_zip(session, storage, io.BytesIO(zip_bytes(many)), "m.zip", policy=capped)
    few = IngestPolicy(max_bytes=10**6, zip_max_entries=10)
    with pytest.raises(AssetRejected, match=r"the zip has 30 entries, over the limit of 10"):
        ingest_zip(session, storage, io.BytesIO(zip_bytes(many)), "m.zip", policy=few)
    assert footprint() == before


def test_not_a_zip_is_refused(session, storage, policy, footprint):
    before = footprint()
    with pytest.raises(AssetRejected, match=r"fake\.zip: not a readable zip archive"):
        ingest_zip(session, storage, io.BytesIO(jpeg_with_metadata()), "fake.zip", policy=policy)
    assert footprint() == before


def test_bad_entries_of_a_safe_zip_are_reported_and_skipped(session, storage, policy):
    archive = zip_bytes({"good.jpg": image_bytes(), "half.jpg": truncated_jpeg(),
                         "fake.png": image_bytes(fmt="JPEG", color=(1, 2, 3))})
    report = ingest_zip(session, storage, io.BytesIO(archive), "mixed.zip", policy=policy)
    assert [item.name for item in report.created] == ["good.jpg"]
    assert {(r.name, r.reason.split(" (")[0]) for r in report.refused} == {
        ("half.jpg", "the JPEG image is truncated or corrupt"),
        ("fake.png", "the name says PNG but the bytes are JPEG"),
    }
    assert len([k for k in storage.list("originals/")]) == 1
