"""Media files named by an import's rows, found in a folder or a zip given with it.

A path cell such as `files/1111111171/image/bag.jpg` is looked up relative to the media
root (the Akeneo folder itself by default). A path that leaves the root, or a file that
is not there, is reported on its row and its value left out: never fatal.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from sqlalchemy.orm import Session

from pim.errors import PrismError

# stores one found file and returns the key the value keeps
Store = Callable[[Session, BinaryIO, str], str]


class MediaRoot:
    """A folder or a zip archive holding the media files of an import."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._names: dict[str, str] = {}
        if path.is_file():
            try:
                self._zip = zipfile.ZipFile(path)
            except zipfile.BadZipFile:
                raise PrismError(f"{path.name}: the media archive is not a readable zip "
                                 "file") from None
            self._names = {_clean(name): name for name in self._zip.namelist()
                           if not name.endswith("/")}
        elif not path.is_dir():
            raise PrismError(f"{path.name}: there is no media folder or zip there")

    def find(self, reference: str) -> str | None:
        """Return the file's name within the root, or None when it is not there."""
        relative = _clean(reference)
        if not relative:
            return None
        if self._zip is not None:
            return self._names.get(relative)
        candidate = (self.path / relative).resolve()
        root = self.path.resolve()
        if root not in candidate.parents or not candidate.is_file():
            return None
        return str(candidate.relative_to(root))

    def open(self, name: str) -> AbstractContextManager[BinaryIO]:
        """Open a found file for reading."""
        if self._zip is not None:
            return self._zip.open(name)
        return (self.path / name).open("rb")

    def close(self) -> None:
        """Close the archive, if any."""
        if self._zip is not None:
            self._zip.close()


def _clean(reference: str) -> str:
    parts = [p for p in PurePosixPath(reference.replace("\\", "/")).parts if p not in ("", ".")]
    if not parts or parts[0] == "/" or ".." in parts:
        return ""
    return "/".join(parts)


class MediaResolver:
    """Turn media paths into stored file keys for the writers of an import."""

    def __init__(self, root: MediaRoot, session: Session, store: Store | None,
                 dry_run: bool) -> None:
        self.root = root
        self.session = session
        self.store_file = store
        self.dry_run = dry_run
        self.stored = 0

    def store(self, reference: str, attribute: Any) -> tuple[str | None, str]:
        """Return (key, "") for a stored file, or (None, why it was not)."""
        name = self.root.find(reference)
        if name is None:
            return None, (f"file not found in the media given with the import "
                          f"({self.root.path.name})")
        if self.dry_run:
            return reference, ""
        if self.store_file is None:
            return None, ("the file was found but not stored: this Prism has no asset "
                          "store to keep it in")
        try:
            with self.root.open(name) as stream:
                key = self.store_file(self.session, stream, PurePosixPath(name).name)
        except PrismError as exc:
            return None, f"the file was refused: {exc.message}"
        self.stored += 1
        return key, ""
