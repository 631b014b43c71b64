"""The rendition operations: resizes (max, fill, pad, width, height) and output options."""

from __future__ import annotations

import re
from dataclasses import dataclass

from PIL import Image

from assets.renditions.spec import Operation, SpecProblem, operation, parse_number, parse_size

MAX_SIDE = 8000
RESAMPLE = Image.Resampling.LANCZOS
FORMATS = {"jpeg": "jpeg", "jpg": "jpeg", "png": "png", "webp": "webp"}
HEX = re.compile(r"^[0-9a-fA-F]{6}$")
Point = tuple[float, float]
Color = tuple[int, int, int] | None


class Resize(Operation):
    """A step that decides the output's pixel size."""

    group = "resize"
    order = 0
    crops = False

    def scale(self, width: int, height: int) -> float:
        """The smallest scale of the source this resize needs (for JPEG draft decoding)."""
        raise NotImplementedError

    def apply(self, image: Image.Image, focal: Point, background: Color) -> Image.Image:
        raise NotImplementedError


def _shrink(image: Image.Image, factor: float) -> Image.Image:
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    return image if size == image.size else image.resize(size, RESAMPLE, reducing_gap=3.0)


@operation("max")
@dataclass(frozen=True)
class MaxSize(Resize):
    """Fit inside WxH, keeping the proportions; never enlarge."""

    width: int
    height: int

    @classmethod
    def parse(cls, argument: str | None) -> MaxSize:
        return cls(*parse_size(argument, MAX_SIDE))

    def canonical(self) -> str:
        return f"max-{self.width}x{self.height}"

    def scale(self, width: int, height: int) -> float:
        return min(1.0, self.width / width, self.height / height)

    def apply(self, image: Image.Image, focal: Point, background: Color) -> Image.Image:
        return _shrink(image, self.scale(image.width, image.height))


@operation("width")
@dataclass(frozen=True)
class Width(Resize):
    """Scale to N pixels wide (never enlarge)."""

    pixels: int

    @classmethod
    def parse(cls, argument: str | None) -> Width:
        return cls(parse_number(argument, MAX_SIDE, "width"))

    def canonical(self) -> str:
        return f"width-{self.pixels}"

    def scale(self, width: int, height: int) -> float:
        return min(1.0, self.pixels / width)

    def apply(self, image: Image.Image, focal: Point, background: Color) -> Image.Image:
        return _shrink(image, self.scale(image.width, image.height))


@operation("height")
@dataclass(frozen=True)
class Height(Width):
    """Scale to N pixels high (never enlarge)."""

    @classmethod
    def parse(cls, argument: str | None) -> Height:
        return cls(parse_number(argument, MAX_SIDE, "height"))

    def canonical(self) -> str:
        return f"height-{self.pixels}"

    def scale(self, width: int, height: int) -> float:
        return min(1.0, self.pixels / height)


@operation("fill")
@dataclass(frozen=True)
class Fill(MaxSize):
    """Exactly WxH: crop to that shape around the focal point, then scale."""

    crops = True

    def canonical(self) -> str:
        return f"fill-{self.width}x{self.height}"

    def scale(self, width: int, height: int) -> float:
        crop_w, crop_h = self.crop_size(width, height)
        return min(1.0, self.width / crop_w)

    def crop_size(self, width: int, height: int) -> tuple[int, int]:
        """The largest box of the target's shape that fits in the image."""
        if width * self.height > height * self.width:
            return max(1, round(height * self.width / self.height)), height
        return width, max(1, round(width * self.height / self.width))

    def crop_box(self, width: int, height: int, focal: Point) -> tuple[int, int, int, int]:
        """The crop box centred on the focal point as far as the image edges allow."""
        crop_w, crop_h = self.crop_size(width, height)
        left = min(max(0, round(focal[0] * width - crop_w / 2)), width - crop_w)
        top = min(max(0, round(focal[1] * height - crop_h / 2)), height - crop_h)
        return left, top, left + crop_w, top + crop_h

    def apply(self, image: Image.Image, focal: Point, background: Color) -> Image.Image:
        box = self.crop_box(image.width, image.height, focal)
        return image.resize((self.width, self.height), RESAMPLE, box=box, reducing_gap=3.0)


@operation("pad")
@dataclass(frozen=True)
class Pad(MaxSize):
    """Exactly WxH: fit the whole image inside and fill the rest with the background."""

    def canonical(self) -> str:
        return f"pad-{self.width}x{self.height}"

    def scale(self, width: int, height: int) -> float:
        return min(self.width / width, self.height / height)

    def apply(self, image: Image.Image, focal: Point, background: Color) -> Image.Image:
        factor = self.scale(image.width, image.height)
        size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
        fitted = image.resize(size, RESAMPLE, reducing_gap=3.0) if size != image.size else image
        mode = "RGB" if background is not None else "RGBA"
        fill = background if background is not None else (0, 0, 0, 0)
        canvas = Image.new(mode, (self.width, self.height), fill)
        offset = ((self.width - size[0]) // 2, (self.height - size[1]) // 2)
        fitted = fitted.convert("RGBA")
        canvas.paste(fitted, offset, fitted)
        return canvas


class Output(Operation):
    """A step that changes how the rendition is written, not its size."""

    group = "output"


@operation("format")
@dataclass(frozen=True)
class Format(Output):
    """Write as jpeg, png or webp."""

    value: str
    order = 2

    @classmethod
    def parse(cls, argument: str | None) -> Format:
        if (argument or "").lower() not in FORMATS:
            raise SpecProblem(f"expected jpeg, png or webp, got {argument!r}")
        return cls(FORMATS[argument.lower()])  # type: ignore[union-attr]

    def canonical(self) -> str:
        return f"format-{self.value}"


@operation("quality")
@dataclass(frozen=True)
class Quality(Output):
    """JPEG or WebP quality, 1..100."""

    value: int
    order = 3

    @classmethod
    def parse(cls, argument: str | None) -> Quality:
        return cls(parse_number(argument, 100, "quality"))

    def canonical(self) -> str:
        return f"quality-{self.value}"


@operation("bg")
@dataclass(frozen=True)
class Background(Output):
    """Background colour RRGGBB for padding and for flattening transparency."""

    value: str
    order = 1

    @classmethod
    def parse(cls, argument: str | None) -> Background:
        if not argument or not HEX.match(argument):
            raise SpecProblem(f"expected a colour as 6 hex digits like ffffff, got {argument!r}")
        return cls(argument.lower())

    def canonical(self) -> str:
        return f"bg-{self.value}"

    @property
    def rgb(self) -> tuple[int, int, int]:
        return int(self.value[0:2], 16), int(self.value[2:4], 16), int(self.value[4:6], 16)


@operation("strip")
@dataclass(frozen=True)
class Strip(Output):
    """Drop EXIF, XMP and IPTC metadata from the rendition."""

    order = 4

    @classmethod
    def parse(cls, argument: str | None) -> Strip:
        if argument is not None:
            raise SpecProblem("strip takes no argument")
        return cls()

    def canonical(self) -> str:
        return "strip"
