"""Files on the local disk: atomic writes (temp file, fsync, rename), streaming reads."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from assets.errors import MissingObject
from assets.storage import Source, backend, check_key, check_prefix, read_chunks
from pim.errors import StorageError

TEMP_PREFIX = ".tmp-"


class LocalStorage:
    """A folder that keeps objects as files under their keys."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self.url = self.root.as_uri()

    def _path(self, key: str) -> Path:
        return self.root.joinpath(*check_key(key).split("/"))

    def put(self, key: str, source: Source, content_type: str | None = None) -> int:
        """Write `source` to a temp file beside the target, fsync it, then rename it."""
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
        except OSError as exc:
            raise StorageError(f"Cannot write {key!r} in {self.url}: {exc}") from exc
        try:
            size = _write_all(fd, source)
            os.replace(temp, path)
            _fsync_dir(path.parent)
        except BaseException as exc:
            Path(temp).unlink(missing_ok=True)
            self._prune(path.parent)
            if isinstance(exc, OSError):
                raise StorageError(f"Cannot write {key!r} in {self.url}: {exc}") from exc
            raise
        return size

    def open(self, key: str) -> BinaryIO:
        """Open the file under `key` for reading."""
        try:
            return self._path(key).open("rb")
        except FileNotFoundError:
            raise MissingObject(f"No object {key!r} in {self.url}") from None
        except OSError as exc:
            raise StorageError(f"Cannot read {key!r} in {self.url}: {exc.strerror}") from exc

    def exists(self, key: str) -> bool:
        """Tell whether a file is stored under `key`."""
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        """Remove the file under `key` and the folders it leaves empty."""
        path = self._path(key)
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise StorageError(f"Cannot delete {key!r} in {self.url}: {exc.strerror}") from exc
        self._prune(path.parent)

    def _prune(self, folder: Path) -> None:
        while folder != self.root and self.root in folder.parents:
            try:
                folder.rmdir()
            except OSError:
                return
            folder = folder.parent

    def size(self, key: str) -> int:
        """Return the size of the file under `key`."""
        try:
            return self._path(key).stat().st_size
        except FileNotFoundError:
            raise MissingObject(f"No object {key!r} in {self.url}") from None
        except OSError as exc:
            raise StorageError(f"Cannot stat {key!r} in {self.url}: {exc.strerror}") from exc

    def list(self, prefix: str = "") -> Iterator[str]:
        """Yield the stored keys starting with `prefix`, sorted."""
        check_prefix(prefix)
        if not self.root.is_dir():
            return iter(())
        keys = []
        for folder, _dirs, files in os.walk(self.root):
            relative = Path(folder).relative_to(self.root).as_posix()
            for name in files:
                key = name if relative == "." else f"{relative}/{name}"
                if not name.startswith(TEMP_PREFIX) and key.startswith(prefix):
                    keys.append(key)
        return iter(sorted(keys))


def _write_all(fd: int, source: Source) -> int:
    size = 0
    with os.fdopen(fd, "wb") as out:
        for chunk in read_chunks(source):
            out.write(chunk)
            size += len(chunk)
        out.flush()
        os.fsync(out.fileno())
    return size


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@backend("file")
def open_local(url: str, **_options: object) -> LocalStorage:
    """Open the folder named by a `file://PATH` URL."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise StorageError(f"Storage URL {url!r} names a remote host; use file:///absolute/path")
    path = unquote(parts.path)
    if not path:
        raise StorageError(f"Storage URL {url!r} names no folder")
    return LocalStorage(Path(path))
