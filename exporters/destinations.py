"""Where publications go: a local folder (atomic) or an S3 bucket, registered by type.

Delivery is two-phase. Every destination first stages the new output (a folder writes a
hidden temp file and fsyncs it; S3 uploads the object, which stays invisible until the
upload completes); only when every destination has staged does the folder rename its temp
file over the live one. A failure while staging leaves every live file as it was.
`settings["destinations"]` lists them: `[{"type": "folder", "path": "/srv/feeds"},
{"type": "s3", "url": "s3://bucket/feeds"}]`. The feed URL needs no entry.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pim.errors import FieldError, StorageError, ValidationError

CHUNK = 1024 * 1024


class Staged(Protocol):
    """An output staged at a destination, waiting to go live."""

    where: str

    def commit(self) -> None:
        """Make the staged output the live one."""

    def abort(self) -> None:
        """Drop the staged output; the live one stays."""


class Destination(Protocol):
    """A place outputs are delivered to."""

    type: str
    # staging leaves the live output alone until commit (staged before the others)
    two_phase: bool

    def stage(self, source: Path, file_name: str, media_type: str) -> Staged:
        """Put `source` in place next to the live output, not yet replacing it."""


@dataclass(frozen=True)
class DeliveryOptions:
    """What destinations may take from the app's settings."""

    s3_endpoint_url: str | None = None
    s3_region: str | None = None


Builder = Callable[[dict[str, Any], DeliveryOptions], Destination]
DESTINATIONS: dict[str, Builder] = {}


def destination(kind: str) -> Callable[[Builder], Builder]:
    """Register a destination type."""

    def register(builder: Builder) -> Builder:
        DESTINATIONS[kind] = builder
        return builder

    return register


def channel_destinations(settings: dict[str, Any], options: DeliveryOptions
                         ) -> list[Destination]:
    """Build the channel's destinations, listing every problem of its settings at once."""
    entries = settings.get("destinations") or []
    if not isinstance(entries, list):
        raise ValidationError([FieldError("settings.destinations", "destinations is a list")])
    found, errors = [], []
    for index, entry in enumerate(entries):
        where = f"settings.destinations[{index}]"
        kind = entry.get("type") if isinstance(entry, dict) else None
        if kind not in DESTINATIONS:
            errors.append(FieldError(where, f"unknown destination type {kind!r} "
                                            f"(known: {', '.join(sorted(DESTINATIONS))})"))
            continue
        try:
            found.append(DESTINATIONS[kind](entry, options))
        except ValueError as exc:
            errors.append(FieldError(where, str(exc)))
    if errors:
        raise ValidationError(errors)
    return found


def copy_file(source: Path, target: Any) -> None:
    """Copy `source` into the open binary `target` in chunks."""
    with source.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            target.write(chunk)


class StagedFile:
    """A fsynced temp file beside the live file, renamed over it on commit."""

    def __init__(self, temp: Path, final: Path) -> None:
        self.temp = temp
        self.final = final
        self.where = str(final)

    def commit(self) -> None:
        os.replace(self.temp, self.final)
        _fsync_folder(self.final.parent)

    def abort(self) -> None:
        self.temp.unlink(missing_ok=True)


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class Folder:
    """A local folder: write a temp file, fsync it, then rename it atomically."""

    type = "folder"
    two_phase = True

    def __init__(self, path: Path) -> None:
        self.path = path

    def stage(self, source: Path, file_name: str, media_type: str) -> Staged:
        """Write the temp file beside the live one and flush it to disk."""
        self.path.mkdir(parents=True, exist_ok=True)
        temp = self.path / f".{file_name}.{secrets.token_hex(6)}.partial"
        try:
            with temp.open("xb") as target:
                self.write(source, target)
                target.flush()
                os.fsync(target.fileno())
        except OSError as exc:
            temp.unlink(missing_ok=True)
            raise StorageError(f"Cannot write {self.path / file_name}: {exc}") from exc
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return StagedFile(temp, self.path / file_name)

    def write(self, source: Path, target: Any) -> None:
        """Copy the output into the temp file."""
        copy_file(source, target)


@destination("folder")
def _folder(entry: dict[str, Any], options: DeliveryOptions) -> Destination:
    path = entry.get("path")
    if not isinstance(path, str) or not os.path.isabs(path):
        raise ValueError("a folder destination needs an absolute path")
    return Folder(Path(path))


class Uploaded:
    """An object an S3 upload has already put in place (S3 has no rename)."""

    def __init__(self, where: str) -> None:
        self.where = where

    def commit(self) -> None:
        """The completed upload is the live object."""

    def abort(self) -> None:
        """A completed upload cannot be taken back here; nothing else went live."""


class Bucket:
    """An S3 bucket and prefix, through the asset library's S3 storage."""

    type = "s3"
    two_phase = False

    def __init__(self, url: str, options: DeliveryOptions, endpoint_url: str | None,
                 region: str | None) -> None:
        from assets.storage import open_storage

        self.storage = open_storage(url, endpoint_url=endpoint_url or options.s3_endpoint_url,
                                    region=region or options.s3_region)

    def stage(self, source: Path, file_name: str, media_type: str) -> Staged:
        """Upload the object; a failed or interrupted upload never becomes visible."""
        with source.open("rb") as stream:
            self.storage.put(file_name, stream, content_type=media_type)
        return Uploaded(self.storage.url + file_name)


@destination("s3")
def _bucket(entry: dict[str, Any], options: DeliveryOptions) -> Destination:
    url = entry.get("url")
    if not isinstance(url, str) or not url.startswith("s3://") or len(url) <= len("s3://"):
        raise ValueError("an s3 destination needs a url like s3://bucket/prefix")
    return Bucket(url, options, entry.get("endpoint_url"), entry.get("region"))
