"""What an upload may be: size cap, pixel cap, allowed types and zip limits."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

DEFAULT_ALLOWED_TYPES = frozenset({
    "image/jpeg", "image/png", "image/webp", "image/gif", "image/tiff", "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/msword", "application/vnd.ms-excel",
})


@dataclass(frozen=True)
class IngestPolicy:
    """The limits every upload path applies, read once from the settings."""

    max_bytes: int = 200 * 1024 * 1024
    max_pixels: int = 80_000_000
    allowed_types: frozenset[str] = field(default=DEFAULT_ALLOWED_TYPES)
    zip_max_entries: int = 10_000
    zip_max_total_bytes: int = 4 * 1024 * 1024 * 1024
    zip_max_ratio: int = 200

    def __post_init__(self) -> None:
        object.__setattr__(self, "allowed_types", frozenset(self.allowed_types))

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> IngestPolicy:
        """Build the policy from Prism's settings (UPLOAD_MAX_BYTES, MAX_IMAGE_PIXELS, ...)."""
        allowed: Iterable[str] | None = config.get("ALLOWED_MEDIA_TYPES")
        return cls(
            max_bytes=int(config.get("UPLOAD_MAX_BYTES") or cls.max_bytes),
            max_pixels=int(config.get("MAX_IMAGE_PIXELS") or cls.max_pixels),
            allowed_types=frozenset(allowed) if allowed else DEFAULT_ALLOWED_TYPES,
        )
