"""Errors of the asset library: each says what was refused and which file."""

from __future__ import annotations

from pim.errors import PrismError, StorageError, ValidationError


class AssetRejected(PrismError):
    """An uploaded file was refused; nothing of it was kept."""

    code = "asset_rejected"

    def __init__(self, filename: str, reason: str) -> None:
        super().__init__(f"{filename or 'upload'}: {reason}")
        self.filename = filename
        self.reason = reason


class MediaTypeRefused(AssetRejected):
    """The bytes are of a type Prism does not accept (unknown, markup, or not allowed)."""

    code = "media_type_refused"


class UploadTooLarge(AssetRejected):
    """The upload passed the size cap while it was being read."""

    code = "upload_too_large"


class MissingObject(StorageError):
    """The storage holds no object under the key asked for."""

    code = "storage_missing"


class RenditionSpecError(ValidationError):
    """A rendition spec breaks the grammar; every problem is listed."""

    code = "rendition_spec"


class NotAnImage(PrismError):
    """A rendition was asked of a file that is not a raster image."""

    code = "not_an_image"
