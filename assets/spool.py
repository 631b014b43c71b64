"""Stream an upload to a temp file, hashing it and refusing it once it passes the cap."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from assets.errors import AssetRejected, UploadTooLarge

CHUNK = 256 * 1024


@dataclass(frozen=True)
class Spooled:
    """An upload held in a temp file: where, how big and its SHA-256."""

    path: Path
    filename: str
    size: int
    sha256: str


@contextmanager
def spooled(stream: BinaryIO, filename: str, max_bytes: int) -> Iterator[Spooled]:
    """Copy `stream` to a temp file (removed afterwards); refuse it past `max_bytes`."""
    fd, name = tempfile.mkstemp(prefix="prism-upload-")
    path = Path(name)
    try:
        size, digest = _copy_capped(stream, fd, filename, max_bytes)
        if size == 0:
            raise AssetRejected(filename, "the file is empty (0 bytes)")
        yield Spooled(path, filename, size, digest)
    finally:
        path.unlink(missing_ok=True)


def _copy_capped(stream: BinaryIO, fd: int, filename: str, max_bytes: int) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with os.fdopen(fd, "wb") as out:
        while chunk := stream.read(min(CHUNK, max_bytes + 1 - size)):
            size += len(chunk)
            if size > max_bytes:
                raise UploadTooLarge(
                    filename, f"the file is larger than the upload cap of {_human(max_bytes)}"
                )
            digest.update(chunk)
            out.write(chunk)
    return size, digest.hexdigest()


def _human(size: int) -> str:
    units = ("bytes", "KiB", "MiB", "GiB")
    value, unit = float(size), 0
    while value >= 1024 and unit < len(units) - 1:
        value, unit = value / 1024, unit + 1
    return f"{size} bytes" if unit == 0 else f"{value:.1f} {units[unit]}"
