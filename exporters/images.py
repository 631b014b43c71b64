"""Image fields backed by the asset library: rendition URLs and the detail they carry.

An image field names a rendition preset (`settings["image_presets"]`, else the exporter's
own). Its URL is absolute: the public URL plus the media route of that rendition, which
renders it on first fetch and keeps it. Its size is what the original can give through
the preset, so an upscaled thumbnail does not pass a channel's minimum size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assets.models import Asset, StoredFile
from assets.renditions.operations import Fill, Resize
from assets.renditions.spec import parse_spec
from exporters.values import Image
from pim.catalog.reading import ResolvedProduct

# (asset code, canonical spec or None for the original) -> path under the public URL
MediaPath = Callable[[str, str | None], str]
CACHE_LIMIT = 50_000


@dataclass(frozen=True, slots=True)
class _Original:
    width: int | None
    height: int | None


def detail_size(spec: str | None, width: int, height: int) -> tuple[int, int]:
    """The pixels of real detail a rendition of a `width` x `height` original holds."""
    if spec is None:
        return width, height
    resize: Resize | None = parse_spec(spec).step("resize")  # type: ignore[assignment]
    if resize is None:
        return width, height
    if isinstance(resize, Fill):
        width, height = resize.crop_size(width, height)
    factor = min(1.0, resize.scale(width, height))
    return max(1, round(width * factor)), max(1, round(height * factor))


class AssetImages:
    """Images of asset collections, looked up batch by batch."""

    def __init__(self, session: Session, public_url: str, media_path: MediaPath) -> None:
        self.session = session
        self.public_url = public_url.rstrip("/")
        self.media_path = media_path
        self._known: dict[str, _Original | None] = {}

    def prepare(self, products: list[ResolvedProduct], attributes: set[str]) -> None:
        """Read the originals of every asset these products show, in one query."""
        self._load({code for product in products for attribute in attributes
                    for entry in product.values.get(attribute, ())
                    for code in (entry["data"] or ()) if isinstance(code, str)})

    def _load(self, codes: set[str]) -> None:
        missing = codes - self._known.keys()
        if len(self._known) + len(missing) > CACHE_LIMIT:
            self._known.clear()
            missing = codes
        if not missing:
            return
        rows = self.session.execute(
            select(Asset.code, StoredFile.width, StoredFile.height)
            .join(StoredFile, StoredFile.id == Asset.file_id)
            .where(Asset.code.in_(sorted(missing)))).all()
        for code, width, height in rows:  # sizes as shown, after EXIF orientation
            self._known[code] = _Original(width, height)
        for code in missing:
            self._known.setdefault(code, None)

    def images(self, codes: list[str], preset: str | None) -> list[Image]:
        """Images of the assets that exist and are images, in order."""
        spec = parse_spec(preset).text if preset else None
        found = []
        for code in codes:
            original = self._known.get(code)
            if original is None:
                original = self._lookup(code)
            if original is None or original.width is None or original.height is None:
                continue
            width, height = detail_size(spec, original.width, original.height)
            url = self.public_url + self.media_path(code, spec)
            found.append(Image(url, width, height, code))
        return found

    def _lookup(self, code: str) -> _Original | None:
        # outside a prepared batch (a preview of one product)
        self._load({code})
        return self._known.get(code)


def media_path_for(app: Any) -> MediaPath:
    """Build media paths with the app's own routes (the media blueprint)."""
    adapter = app.url_map.bind("localhost")

    def path(code: str, spec: str | None) -> str:
        if spec is None:
            return adapter.build("media.asset_file", {"code": code})
        return adapter.build("media.asset_rendition", {"code": code, "spec": spec})

    return path
