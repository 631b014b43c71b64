"""Look at a spooled upload and decide: its real type, pixel size and metadata, or refuse."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from PIL import Image, UnidentifiedImageError

from assets.errors import AssetRejected, MediaTypeRefused
from assets.metadata import metadata_text, read_metadata
from assets.policy import IngestPolicy
from assets.sniff import sniff, type_for_extension, type_of
from assets.zips import check_archive

PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP",
               "image/gif": "GIF", "image/tiff": "TIFF"}


@dataclass(frozen=True)
class Inspection:
    """What the bytes of an accepted file are."""

    media_type: str
    extension: str
    width: int | None = None
    height: int | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    text: str = ""


def inspect_upload(path: Path, filename: str, policy: IngestPolicy) -> Inspection:
    """Return what the file at `path` is, or raise AssetRejected saying why it is refused."""
    media_type = sniff(path)
    if media_type is None:
        raise MediaTypeRefused(filename, "the bytes match no known file type")
    found = type_of(media_type)
    claimed = type_for_extension(PurePosixPath(filename).suffix)
    if found.markup:
        posing = f" posing as {claimed.label}" if claimed and not claimed.markup else ""
        raise MediaTypeRefused(filename, f"the bytes are {found.label} markup{posing}; "
                                         "markup files are never accepted as assets")
    if claimed is not None and claimed.media_type != media_type:
        raise AssetRejected(
            filename, f"the name says {claimed.label} but the bytes are {found.label}"
        )
    if media_type not in policy.allowed_types:
        allowed = ", ".join(sorted(type_of(t).label for t in policy.allowed_types))
        raise MediaTypeRefused(filename, f"{found.label} files ({media_type}) are not allowed "
                                         f"(allowed: {allowed})")
    extension = found.extensions[0] if found.extensions else ""
    if found.image:
        return _inspect_image(path, filename, media_type, extension, policy.max_pixels)
    _check_document(path, filename, media_type, policy)
    return Inspection(media_type, extension)


def _inspect_image(
    path: Path, filename: str, media_type: str, extension: str, max_pixels: int
) -> Inspection:
    try:
        with Image.open(path, formats=[PIL_FORMATS[media_type]]) as image:
            check_pixels(image.size, filename, max_pixels)
            image.load()  # a full decode: truncated or corrupt data fails here
            metadata = read_metadata(image)
            width, height = oriented_size(image.size, metadata.get("orientation", 1))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise AssetRejected(filename, f"decompression bomb refused: {exc}") from None
    except UnidentifiedImageError:
        raise AssetRejected(filename, f"the {type_of(media_type).label} image cannot be "
                                      "read (corrupt header)") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise AssetRejected(filename, f"the {type_of(media_type).label} image is truncated "
                                      f"or corrupt ({exc})") from None
    return Inspection(media_type, extension, width, height, metadata, metadata_text(metadata))


def oriented_size(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    """The pixel size as shown: EXIF orientations 5 to 8 turn the image a quarter."""
    return (size[1], size[0]) if orientation in (5, 6, 7, 8) else size


def check_pixels(size: tuple[int, int], filename: str, max_pixels: int) -> None:
    """Refuse an image whose header announces more pixels than the cap (a decompression bomb)."""
    width, height = size
    if width <= 0 or height <= 0:
        raise AssetRejected(filename, f"the image has no pixels ({width}x{height})")
    if width * height > max_pixels:
        raise AssetRejected(
            filename, f"the image is {width}x{height} = {width * height:,} pixels, over the cap "
                      f"of {max_pixels:,} pixels (a possible decompression bomb)"
        )


def _check_document(path: Path, filename: str, media_type: str, policy: IngestPolicy) -> None:
    if media_type == "application/pdf":
        with path.open("rb") as handle:
            handle.seek(max(0, path.stat().st_size - 2048))
            if b"%%EOF" not in handle.read():
                raise AssetRejected(filename, "the PDF is truncated (no %%EOF marker at its end)")
    elif "openxmlformats" in media_type or "opendocument" in media_type:
        try:
            with zipfile.ZipFile(path) as archive:
                check_archive(archive, filename, policy)
                bad = archive.testzip()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise AssetRejected(filename, f"the {type_of(media_type).label} is corrupt "
                                          f"({exc})") from None
        if bad is not None:
            raise AssetRejected(filename, f"the {type_of(media_type).label} is corrupt "
                                          f"(part {bad!r} fails its checksum)")
