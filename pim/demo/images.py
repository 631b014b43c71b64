"""Product pictures for the demo catalog, drawn with Pillow."""

from __future__ import annotations

import io
import zlib

from PIL import Image, ImageDraw

SIZE = 1200
PALETTE = {"black": (35, 35, 40), "white": (236, 236, 232), "navy": (30, 45, 90),
           "red": (190, 40, 45), "green": (40, 100, 60), "grey": (130, 132, 136)}


def _color_for(code: str) -> tuple[int, int, int]:
    for name, rgb in PALETTE.items():
        if name in code:
            return rgb
    seed = zlib.crc32(code.encode())
    return (60 + seed % 150, 60 + (seed >> 8) % 150, 60 + (seed >> 16) % 150)


def _tshirt(draw: ImageDraw.ImageDraw, rgb: tuple[int, int, int]) -> None:
    draw.polygon([(380, 260), (500, 220), (700, 220), (820, 260), (980, 420), (880, 520),
                  (800, 460), (800, 960), (400, 960), (400, 460), (320, 520), (220, 420)],
                 fill=rgb, outline=(20, 20, 20), width=6)
    draw.arc((520, 180, 680, 300), 0, 180, fill=(20, 20, 20), width=8)


def _sneaker(draw: ImageDraw.ImageDraw, rgb: tuple[int, int, int]) -> None:
    draw.polygon([(200, 700), (260, 520), (480, 470), (640, 560), (960, 640), (1010, 760),
                  (200, 760)], fill=rgb, outline=(20, 20, 20), width=6)
    draw.rectangle((190, 760, 1020, 820), fill=(245, 245, 245), outline=(20, 20, 20), width=6)
    for x in range(420, 600, 45):
        draw.line((x, 520, x + 40, 560), fill=(250, 250, 250), width=8)


def _laptop(draw: ImageDraw.ImageDraw, rgb: tuple[int, int, int]) -> None:
    draw.rectangle((300, 300, 900, 700), fill=(40, 40, 48), outline=rgb, width=18)
    draw.rectangle((340, 340, 860, 660), fill=(90, 140, 200))
    draw.polygon([(220, 720), (980, 720), (1060, 820), (140, 820)], fill=rgb)


def _headphones(draw: ImageDraw.ImageDraw, rgb: tuple[int, int, int]) -> None:
    draw.arc((330, 230, 870, 770), 180, 360, fill=rgb, width=50)
    draw.rounded_rectangle((290, 480, 420, 760), 40, fill=rgb)
    draw.rounded_rectangle((780, 480, 910, 760), 40, fill=rgb)


def _mug(draw: ImageDraw.ImageDraw, rgb: tuple[int, int, int]) -> None:
    draw.rounded_rectangle((380, 380, 760, 880), 40, fill=rgb, outline=(20, 20, 20), width=6)
    draw.arc((700, 480, 900, 760), 270, 90, fill=rgb, width=40)


def _backpack(draw: ImageDraw.ImageDraw, rgb: tuple[int, int, int]) -> None:
    draw.rounded_rectangle((380, 300, 820, 920), 90, fill=rgb, outline=(20, 20, 20), width=6)
    draw.rounded_rectangle((450, 600, 750, 860), 40, outline=(20, 20, 20), width=6)
    draw.arc((500, 200, 700, 380), 180, 360, fill=(20, 20, 20), width=14)


SHAPES = {"tee": _tshirt, "sneaker": _sneaker, "laptop": _laptop, "headphone": _headphones,
          "mug": _mug, "backpack": _backpack}


def draw_product(code: str, caption: str) -> bytes:
    """Draw the picture of the product or model `code` as JPEG bytes."""
    image = Image.new("RGB", (SIZE, SIZE), (250, 250, 247))
    draw = ImageDraw.Draw(image)
    shape = next((f for prefix, f in SHAPES.items() if code.startswith(prefix)), _backpack)
    shape(draw, _color_for(code))
    draw.text((60, SIZE - 90), caption, fill=(60, 60, 60), font_size=44)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
