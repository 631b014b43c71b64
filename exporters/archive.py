"""Every publication's output, kept gzipped in Prism's storage: what the feed URL serves and
what a rollback puts back.
"""

from __future__ import annotations

import gzip
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from assets.storage import Storage

CHUNK = 1024 * 1024


def archive_key(channel: str, publication_id: int, file_name: str) -> str:
    """The storage key of a publication's gzipped output."""
    return f"publications/{channel}/{publication_id}/{file_name}.gz"


def archive_output(storage: Storage, key: str, output: Path, workdir: Path) -> int:
    """Gzip `output` and store it under `key`; return the stored size."""
    with tempfile.NamedTemporaryFile(dir=workdir, suffix=".gz") as packed:
        with output.open("rb") as source, gzip.GzipFile(
            fileobj=packed, mode="wb", compresslevel=6, mtime=0
        ) as zipped:
            shutil.copyfileobj(source, zipped, CHUNK)
        packed.flush()
        packed.seek(0)
        return storage.put(key, packed, content_type="application/gzip")


@contextmanager
def restored_output(storage: Storage, key: str, workdir: Path) -> Iterator[Path]:
    """Unpack an archived output into a temp file for the time of the block."""
    with tempfile.NamedTemporaryFile(dir=workdir, suffix=".out") as target:
        with storage.open(key) as stored, gzip.GzipFile(fileobj=stored, mode="rb") as zipped:
            shutil.copyfileobj(zipped, target, CHUNK)
        target.flush()
        yield Path(target.name)


def open_plain(storage: Storage, key: str) -> BinaryIO:
    """Stream an archived output uncompressed (closing it closes the stored stream)."""
    return _Unpacked(storage.open(key))  # type: ignore[return-value]


class _Unpacked(gzip.GzipFile):
    def __init__(self, raw: BinaryIO) -> None:
        super().__init__(fileobj=raw, mode="rb")
        self._raw = raw

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._raw.close()
