"""One small storage interface, its backends registered by URL scheme.

Keys are relative paths with `/` separators (`originals/ab/cd/abcd...jpg`). A backend
writes atomically, reads as a stream and turns every failure of its store into
`pim.errors.StorageError`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, Protocol
from urllib.parse import urlsplit

from pim.errors import StorageError

Source = BinaryIO | bytes


class Storage(Protocol):
    """What Prism needs of a place that keeps files."""

    url: str

    def put(self, key: str, source: Source, content_type: str | None = None) -> int:
        """Store the bytes of `source` under `key` atomically; return the size written."""

    def open(self, key: str) -> BinaryIO:
        """Open the object under `key` for streaming reads (close it after use)."""

    def exists(self, key: str) -> bool:
        """Tell whether an object is stored under `key`."""

    def delete(self, key: str) -> None:
        """Remove the object under `key`; a missing object is not an error."""

    def size(self, key: str) -> int:
        """Return the size in bytes of the object under `key`."""

    def list(self, prefix: str = "") -> Iterator[str]:
        """Yield the keys that start with `prefix`, sorted."""


Opener = Callable[..., Storage]
BACKENDS: dict[str, Opener] = {}


def backend(scheme: str) -> Callable[[Opener], Opener]:
    """Register a storage backend for URLs of `scheme`."""

    def register(opener: Opener) -> Opener:
        BACKENDS[scheme] = opener
        return opener

    return register


def open_storage(url: str, **options: Any) -> Storage:
    """Return the storage behind `url` (`file://PATH` or `s3://bucket/prefix`)."""
    from assets.storage import local, s3  # noqa: F401  (register the backends)

    scheme = urlsplit(url).scheme
    if scheme not in BACKENDS:
        known = ", ".join(f"{name}://" for name in sorted(BACKENDS))
        raise StorageError(f"Storage URL {url!r} has an unknown scheme (known: {known})")
    return BACKENDS[scheme](url, **options)


def check_key(key: str) -> str:
    """Return `key` if it is a safe relative key, else raise StorageError."""
    parts = key.split("/")
    if (
        not key
        or key.startswith("/")
        or "\\" in key
        or "\x00" in key
        or any(part in ("", ".", "..") for part in parts)
    ):
        raise StorageError(f"Invalid storage key {key!r}: use a relative path without '..'")
    return key


def check_prefix(prefix: str) -> str:
    """Return `prefix` if it may start keys (empty, or a safe key, maybe ending in '/')."""
    if prefix:
        check_key(prefix.removesuffix("/"))
    return prefix


def read_chunks(source: Source, chunk_size: int = 1024 * 1024) -> Iterator[bytes]:
    """Yield the bytes of `source` in chunks."""
    if isinstance(source, bytes | bytearray | memoryview):
        view = memoryview(source)
        for start in range(0, len(view), chunk_size):
            yield bytes(view[start : start + chunk_size])
        return
    while chunk := source.read(chunk_size):
        yield chunk
