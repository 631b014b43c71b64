"""Pillow work for one rendition: draft-decode, orient, normalize modes, resize, encode."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any, BinaryIO

from PIL import Image, ImageOps

from assets.renditions.operations import Background, Resize
from assets.renditions.spec import RenditionSpec

PIL_FORMATS = ["JPEG", "PNG", "WEBP", "GIF", "TIFF"]
DEFAULT_OUTPUT = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp", "GIF": "png", "TIFF": "jpeg"}
MEDIA_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
EXTENSIONS = {"jpeg": ".jpg", "png": ".png", "webp": ".webp"}
DEFAULT_QUALITY = {"jpeg": 85, "webp": 80}
WHITE = (255, 255, 255)
CENTRE = (0.5, 0.5)


@dataclass(frozen=True)
class Rendered:
    """An encoded rendition: bytes, pixel size and type."""

    data: bytes
    width: int
    height: int
    format: str

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]


def render(
    source: BinaryIO, spec: RenditionSpec, focal: tuple[float, float] | None = None,
    max_pixels: int | None = None,
) -> Rendered:
    """Render `spec` from the image in `source`; the original is only read."""
    resize: Resize | None = spec.step("resize")  # type: ignore[assignment]
    with Image.open(source, formats=PIL_FORMATS) as opened:
        if max_pixels is not None and opened.width * opened.height > max_pixels:
            raise ValueError(f"{opened.width}x{opened.height} is over {max_pixels:,} pixels")
        source_format = opened.format or "PNG"
        if resize is not None and opened.format == "JPEG":
            _draft(opened, resize)
        info = dict(opened.info)
        if opened.mode == "CMYK":
            info.pop("icc_profile", None)  # a CMYK profile does not describe the RGB output
        image = ImageOps.exif_transpose(opened)
    output = _output_format(spec, source_format)
    background = _background(spec)
    image = _normalize(image, output, background)
    if resize is not None:
        image = resize.apply(image, focal or CENTRE, background)
    image = _flatten(image, output, background)
    data = _encode(image, output, spec, info)
    return Rendered(data, image.width, image.height, output)


def _draft(image: Image.Image, resize: Resize) -> None:
    """Let libjpeg decode at 1/2, 1/4 or 1/8 scale when the output is that much smaller."""
    orientation = image.getexif().get(0x0112, 1)
    swap = orientation in (5, 6, 7, 8)
    width, height = (image.height, image.width) if swap else image.size
    factor = resize.scale(width, height)
    if factor < 0.5:
        raw = image.size
        wanted = (math.ceil(raw[0] * factor), math.ceil(raw[1] * factor))
        image.draft(image.mode if image.mode in ("RGB", "L") else None, wanted)


def _output_format(spec: RenditionSpec, source_format: str) -> str:
    step = spec.step("format")
    return step.value if step is not None else DEFAULT_OUTPUT.get(source_format, "png")  # type: ignore[attr-defined]


def _background(spec: RenditionSpec) -> tuple[int, int, int] | None:
    step = spec.step("bg")
    return step.rgb if isinstance(step, Background) else None


def _normalize(image: Image.Image, output: str, background: Any) -> Image.Image:
    """Bring palette, CMYK, 16-bit and other modes to RGB(A) or L for resizing."""
    if image.mode in ("RGB", "RGBA", "L"):
        return image
    if image.mode == "LA":
        return image.convert("RGBA")
    has_alpha = image.mode in ("PA", "RGBa", "La") or "transparency" in image.info
    if image.mode == "P" or image.mode == "PA":
        return image.convert("RGBA" if has_alpha else "RGB")
    if image.mode.startswith("I"):
        return image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    return image.convert("RGBA" if has_alpha else "RGB")


def _flatten(image: Image.Image, output: str, background: Any) -> Image.Image:
    """Put transparent pixels on the background (JPEG has no alpha; bg- asks for it)."""
    if image.mode != "RGBA" or (output != "jpeg" and background is None):
        return image
    canvas = Image.new("RGB", image.size, background or WHITE)
    canvas.paste(image, (0, 0), image)
    return canvas


def _encode(image: Image.Image, output: str, spec: RenditionSpec, info: dict) -> bytes:
    options: dict[str, Any] = {}
    quality = spec.step("quality")
    if output in DEFAULT_QUALITY:
        options["quality"] = quality.value if quality else DEFAULT_QUALITY[output]  # type: ignore[attr-defined]
    if info.get("icc_profile") and image.mode in ("RGB", "RGBA", "L"):
        options["icc_profile"] = info["icc_profile"]
    if spec.step("strip") is None:
        exif = image.getexif()
        if len(exif):
            options["exif"] = exif.tobytes()
        if info.get("xmp") and output in ("jpeg", "webp"):
            options["xmp"] = info["xmp"]
    buffer = io.BytesIO()
    image.save(buffer, format=output.upper(), **options)
    return buffer.getvalue()
