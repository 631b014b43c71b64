"""Objects in an S3 bucket (any S3-compatible store) through boto3.

The client is built on first use, never at import. Small objects go up in one PUT,
larger ones as a multipart upload (aborted on failure, so no half object shows up).
Credentials come from boto3's usual chain (AWS_ACCESS_KEY_ID and friends).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from assets.errors import MissingObject
from assets.storage import Source, backend, check_key, check_prefix, read_chunks
from pim.errors import StorageError

MULTIPART_THRESHOLD = 8 * 1024 * 1024
PART_SIZE = 8 * 1024 * 1024
MISSING_CODES = {"404", "NoSuchKey", "NotFound"}


class S3Storage:
    """A bucket and a key prefix in an S3-compatible store."""

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        multipart_threshold: int = MULTIPART_THRESHOLD,
        part_size: int = PART_SIZE,
        boto_session: Any = None,
    ) -> None:
        if part_size < 5 * 1024 * 1024:
            # S3 refuses parts under 5 MiB except the last one
            raise StorageError("S3 multipart part size must be at least 5 MiB")
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.url = f"s3://{bucket}/{self.prefix}"
        self.endpoint_url = endpoint_url
        self.region = region
        self.multipart_threshold = multipart_threshold
        self.part_size = part_size
        self._boto_session = boto_session
        self._client: Any = None
        self._lock = threading.Lock()

    @property
    def client(self) -> Any:
        """The boto3 S3 client, built on first use (boto3 clients are thread-safe)."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._build_client()
        return self._client

    def _build_client(self) -> Any:
        import boto3
        from botocore.config import Config

        session = self._boto_session or boto3.session.Session()
        config = Config(
            retries={"max_attempts": 3, "mode": "standard"},
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
            s3={"addressing_style": "path"} if self.endpoint_url else {},
        )
        with _translated("connect to", self.url):
            return session.client(
                "s3", endpoint_url=self.endpoint_url, region_name=self.region, config=config
            )

    def _key(self, key: str) -> str:
        return self.prefix + check_key(key)

    def put(self, key: str, source: Source, content_type: str | None = None) -> int:
        """Upload `source` whole, or in parts when it passes the multipart threshold."""
        full = self._key(key)
        extra = {"ContentType": content_type} if content_type else {}
        chunks = read_chunks(source, self.part_size)
        with _translated("read the data for", f"{self.url}{key}"):
            head = _take(chunks, self.multipart_threshold)
        if len(head) < self.multipart_threshold:
            with _translated("upload", f"{self.url}{key}"):
                self.client.put_object(Bucket=self.bucket, Key=full, Body=head, **extra)
            return len(head)
        return self._put_multipart(full, key, head, chunks, extra)

    def _put_multipart(
        self, full: str, key: str, head: bytes, chunks: Iterator[bytes], extra: dict
    ) -> int:
        where = f"{self.url}{key}"
        with _translated("start the upload of", where):
            upload = self.client.create_multipart_upload(Bucket=self.bucket, Key=full, **extra)
        upload_id = upload["UploadId"]
        try:
            parts, size = self._upload_parts(full, upload_id, head, chunks, where)
            with _translated("complete the upload of", where):
                self.client.complete_multipart_upload(
                    Bucket=self.bucket, Key=full, UploadId=upload_id,
                    MultipartUpload={"Parts": parts},
                )
        except BaseException:
            self._abort(full, upload_id)
            raise
        return size

    def _upload_parts(
        self, full: str, upload_id: str, head: bytes, chunks: Iterator[bytes], where: str
    ) -> tuple[list[dict], int]:
        parts: list[dict] = []
        size = 0
        buffer = head
        while buffer:
            body, buffer = buffer[: self.part_size], buffer[self.part_size :]
            if len(buffer) < self.part_size:
                with _translated("read the data for", where):
                    buffer += _take(chunks, self.part_size - len(buffer))
            number = len(parts) + 1
            with _translated(f"upload part {number} of", where):
                answer = self.client.upload_part(
                    Bucket=self.bucket, Key=full, UploadId=upload_id,
                    PartNumber=number, Body=body,
                )
            parts.append({"PartNumber": number, "ETag": answer["ETag"]})
            size += len(body)
        return parts, size

    def _abort(self, full: str, upload_id: str) -> None:
        try:
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=full, UploadId=upload_id)
        except Exception:  # noqa: BLE001  (the first failure is the one to report)
            pass

    def open(self, key: str) -> BinaryIO:
        """Open the object under `key` as a buffered stream of its body."""
        with _translated("read", f"{self.url}{key}"):
            answer = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        reader = _BodyReader(answer["Body"], f"{self.url}{key}")
        return io.BufferedReader(reader, buffer_size=256 * 1024)  # type: ignore[return-value]

    def exists(self, key: str) -> bool:
        """Tell whether an object is stored under `key`."""
        try:
            self.size(key)
        except MissingObject:
            return False
        return True

    def delete(self, key: str) -> None:
        """Remove the object under `key` (S3 deletes of missing keys succeed)."""
        with _translated("delete", f"{self.url}{key}"):
            self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def size(self, key: str) -> int:
        """Return the size of the object under `key`."""
        with _translated("look up", f"{self.url}{key}"):
            answer = self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        return int(answer["ContentLength"])

    def list(self, prefix: str = "") -> Iterator[str]:
        """Yield the keys under `prefix`, sorted (S3 lists in key order)."""
        check_prefix(prefix)
        with _translated("list", f"{self.url}{prefix}"):
            paginator = self.client.get_paginator("list_objects_v2")
            pages = paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + prefix)
            keys = [obj["Key"] for page in pages for obj in page.get("Contents", ())]
        return iter(sorted(key[len(self.prefix) :] for key in keys))


class _BodyReader(io.RawIOBase):
    """A raw stream over a botocore body that reports store failures as StorageError."""

    def __init__(self, body: Any, where: str) -> None:
        self._body = body
        self._where = where

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        with _translated("read", self._where):
            data = self._body.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._body.close()
        super().close()


def _take(chunks: Iterator[bytes], limit: int) -> bytes:
    """Read from `chunks` until `limit` bytes are gathered or they run out."""
    taken = bytearray()
    while len(taken) < limit:
        chunk = next(chunks, b"")
        if not chunk:
            break
        taken += chunk
    return bytes(taken)


class _translated:
    """Turn botocore and OS failures inside the block into a StorageError."""

    def __init__(self, action: str, where: str) -> None:
        self.action = action
        self.where = where

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: BaseException | None, _tb: Any) -> bool:
        if exc is None or isinstance(exc, StorageError):
            return False
        from botocore.exceptions import BotoCoreError, ClientError

        if isinstance(exc, ClientError):
            error = exc.response.get("Error", {})
            code = str(error.get("Code", ""))
            detail = f"{code}: {error.get('Message') or 'no message'}"
            kind_ = MissingObject if code in MISSING_CODES else StorageError
            raise kind_(f"Cannot {self.action} {self.where}: {detail}") from exc
        if isinstance(exc, BotoCoreError | OSError):
            raise StorageError(f"Cannot {self.action} {self.where}: {exc}") from exc
        return False


@backend("s3")
def open_s3(
    url: str, *, endpoint_url: str | None = None, region: str | None = None, **options: Any
) -> S3Storage:
    """Open the bucket and prefix named by an `s3://bucket/prefix` URL."""
    parts = urlsplit(url)
    if not parts.netloc:
        raise StorageError(f"Storage URL {url!r} names no bucket: use s3://bucket/prefix")
    return S3Storage(
        parts.netloc, parts.path.strip("/"), endpoint_url=endpoint_url, region=region, **options
    )
