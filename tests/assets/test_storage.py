"""The same storage contract on the local disk and on a real S3 server (SeaweedFS)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from assets.errors import MissingObject
from assets.storage import open_storage
from pim.errors import StorageError
from tests.assets.conftest import BUCKET, s3_storage


def test_put_then_read_back_streams_the_same_bytes(storage):
    data = os.urandom(300_000)
    assert storage.put("originals/ab/file.bin", io.BytesIO(data)) == len(data)
    with storage.open("originals/ab/file.bin") as stream:
        first = stream.read(1000)
        rest = stream.read()
    assert first + rest == data
    assert storage.size("originals/ab/file.bin") == len(data)
    assert storage.exists("originals/ab/file.bin")


def test_put_accepts_bytes_and_unicode_keys(storage):
    storage.put("renditions/Ζεύς/żółw-Москва.txt", "καλημέρα".encode())
    with storage.open("renditions/Ζεύς/żółw-Москва.txt") as stream:
        assert stream.read().decode() == "καλημέρα"
    assert list(storage.list("renditions/")) == ["renditions/Ζεύς/żółw-Москва.txt"]


def test_put_replaces_an_object_whole(storage):
    storage.put("a/key", b"first version, longer")
    storage.put("a/key", b"second")
    with storage.open("a/key") as stream:
        assert stream.read() == b"second"


def test_list_gives_sorted_keys_under_a_prefix(storage):
    for key in ("b/2", "a/1", "b/1", "c"):
        storage.put(key, b"x")
    assert list(storage.list()) == ["a/1", "b/1", "b/2", "c"]
    assert list(storage.list("b/")) == ["b/1", "b/2"]
    assert list(storage.list("nothing/")) == []


def test_delete_removes_and_tolerates_missing_keys(storage):
    storage.put("x/y/z", b"data")
    storage.delete("x/y/z")
    storage.delete("x/y/z")
    assert not storage.exists("x/y/z")
    assert list(storage.list()) == []


def test_missing_objects_are_clear_errors(storage):
    with pytest.raises(MissingObject, match="nope/missing"):
        storage.open("nope/missing")
    with pytest.raises(MissingObject, match="nope/missing"):
        storage.size("nope/missing")
    assert not storage.exists("nope/missing")


@pytest.mark.parametrize("key", ["", "/abs", "a/../b", "..", "a//b", "a\\b", "./a"])
def test_unsafe_keys_are_refused(storage, key):
    with pytest.raises(StorageError, match="Invalid storage key"):
        storage.put(key, b"x")
    assert list(storage.list()) == []


def test_a_failing_source_leaves_no_object(storage):
    class Broken(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, buffer):
            raise OSError("disk on fire")

    with pytest.raises(StorageError, match="broken/file.*disk on fire"):
        storage.put("broken/file", Broken())
    assert list(storage.list()) == []


def test_local_writes_leave_no_temp_files(tmp_path):
    storage = open_storage((tmp_path / "media").as_uri())
    storage.put("a/b.txt", b"hello")
    assert sorted(p.name for p in (tmp_path / "media" / "a").iterdir()) == ["b.txt"]


def test_local_storage_reports_os_errors_as_storage_errors(tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    (root / "a").write_text("a file where a folder should be")
    storage = open_storage(root.as_uri())
    with pytest.raises(StorageError, match="Cannot write 'a/b.txt'"):
        storage.put("a/b.txt", b"x")


def test_unknown_schemes_and_bad_urls_are_refused():
    with pytest.raises(StorageError, match="unknown scheme"):
        open_storage("ftp://example/x")
    with pytest.raises(StorageError, match="names no bucket"):
        open_storage("s3:///prefix")


@pytest.mark.s3
def test_s3_multipart_upload_above_the_threshold(seaweed):
    storage = s3_storage(seaweed, multipart_threshold=5 * 1024 * 1024,
                         part_size=5 * 1024 * 1024)
    data = os.urandom(12 * 1024 * 1024 + 17)
    assert storage.put("big/file.bin", io.BytesIO(data)) == len(data)
    with storage.open("big/file.bin") as stream:
        assert stream.read() == data
    assert storage.size("big/file.bin") == len(data)


@pytest.mark.s3
def test_s3_failed_multipart_upload_is_aborted(seaweed):
    storage = s3_storage(seaweed, multipart_threshold=5 * 1024 * 1024,
                         part_size=5 * 1024 * 1024)

    class FailsLate(io.RawIOBase):
        sent = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            if self.sent > 11 * 1024 * 1024:
                raise OSError("connection to the client lost")
            buffer[:] = b"\x01" * len(buffer)
            self.sent += len(buffer)
            return len(buffer)

    with pytest.raises(StorageError, match="big/partial.bin.*client lost"):
        storage.put("big/partial.bin", FailsLate())
    assert list(storage.list()) == []
    uploads = storage.client.list_multipart_uploads(Bucket=BUCKET).get("Uploads", [])
    assert [u for u in uploads if u["Key"].startswith(storage.prefix)] == []


@pytest.mark.s3
def test_s3_wrong_credentials_become_a_storage_error(seaweed, monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret")
    storage = s3_storage(seaweed)
    with pytest.raises(StorageError, match="SignatureDoesNotMatch"):
        storage.put("x", b"data")


@pytest.mark.s3
def test_s3_unreachable_endpoint_becomes_a_storage_error(seaweed):
    storage = open_storage(f"s3://{BUCKET}/x", endpoint_url="http://127.0.0.1:9", region="x")
    with pytest.raises(StorageError, match=r"Cannot upload s3://prism-assets/x/k"):
        storage.put("k", b"data")


@pytest.mark.s3
def test_s3_missing_bucket_is_a_clear_error(seaweed):
    storage = open_storage("s3://no-such-bucket/p", endpoint_url=seaweed.endpoint,
                           region="us-east-1")
    with pytest.raises(StorageError, match="no-such-bucket"):
        list(storage.list())


def test_no_boto3_client_is_built_until_used(tmp_path: Path):
    storage = open_storage("s3://bucket/prefix", endpoint_url="http://127.0.0.1:9")
    assert storage._client is None
