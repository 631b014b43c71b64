"""Channel image presets: the rendition spec each image field of a channel is sent with.

A channel keeps them in `settings["image_presets"]` (`{"main_image": "pad-2000x2000|..."}`);
fields it does not name use its exporter's own preset. Saving presets checks every spec
against the grammar and against what the channel publishes about its images (minimum
size, formats, white background), all problems at once, before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from assets.errors import RenditionSpecError
from assets.renditions import RenditionSpec, parse_spec
from pim.catalog import services as s
from pim.errors import FieldError, ValidationError

ALL_FORMATS = ("jpeg", "png", "webp")


@dataclass(frozen=True)
class ImageRule:
    """What a channel asks of the images of one field."""

    note: str
    min_side: int = 0
    min_long_side: int = 0
    max_long_side: int | None = None
    formats: tuple[str, ...] = ALL_FORMATS
    background: str | None = None


_AMAZON_MAIN = ImageRule(
    "Amazon main image: pure white background, longest side at least 1000 px (zoom), JPEG",
    min_long_side=1000, formats=("jpeg",), background="ffffff")
_AMAZON_OTHER = ImageRule("Amazon other images: longest side at least 1000 px, JPEG or PNG",
                          min_long_side=1000, formats=("jpeg", "png"))
_GOOGLE = ImageRule("Google Shopping: at least 100x100 px, 250x250 px for apparel",
                    min_side=250)
_META = ImageRule("Meta catalogs: at least 500x500 px, JPEG or PNG", min_side=500,
                  formats=("jpeg", "png"))
_SHOPIFY = ImageRule("Shopify: at most 4472 px on the longest side", max_long_side=4472)

# what each channel kind publishes about its image fields
IMAGE_RULES: dict[str, dict[str, ImageRule]] = {
    "amazon": {"main_image": _AMAZON_MAIN, "other_images": _AMAZON_OTHER},
    "google": {"image_link": _GOOGLE, "additional_image_link": _GOOGLE},
    "meta": {"image_link": _META, "additional_image_link": _META},
    "shopify": {"images": _SHOPIFY},
}

# presets meeting those rules: whole product on white, square, large enough to zoom
RECOMMENDED: dict[str, dict[str, str]] = {
    "amazon": {"main_image": "pad-2000x2000|bg-ffffff|format-jpeg|quality-90",
               "other_images": "max-2000x2000|bg-ffffff|format-jpeg|quality-90"},
    "google": {"image_link": "pad-1200x1200|bg-ffffff|format-jpeg|quality-85",
               "additional_image_link": "pad-1200x1200|bg-ffffff|format-jpeg|quality-85"},
    "meta": {"image_link": "pad-1080x1080|bg-ffffff|format-jpeg|quality-85",
             "additional_image_link": "pad-1080x1080|bg-ffffff|format-jpeg|quality-85"},
    "shopify": {"images": "max-2048x2048|format-jpeg|quality-85"},
}


def _exporter(kind: str | None) -> Any:
    from exporters.registry import exporter_class, exporter_kinds

    return exporter_class(kind) if kind in exporter_kinds() else None


def image_fields(kind: str | None) -> list[str]:
    """The image fields of an exporter kind (empty for an unknown kind)."""
    exporter = _exporter(kind)
    if exporter is None:
        return []
    return [f.name for f in exporter.fields if f.kind in ("image", "images")]


def recommended_presets(kind: str | None) -> dict[str, str]:
    """Presets meeting the published image rules of a channel kind."""
    return dict(RECOMMENDED.get(kind or "", {}))


def channel_presets(session: Session, channel_code: str) -> dict[str, str]:
    """Return the spec of each image field of a channel: its own, else its exporter's."""
    channel = s.get_channel(session, channel_code)
    exporter = _exporter(channel.exporter)
    presets = dict(exporter.image_presets) if exporter is not None else {}
    presets.update((channel.settings or {}).get("image_presets") or {})
    return presets


def check_presets(kind: str | None, presets: Any) -> list[FieldError]:
    """List every problem of presets for a channel of exporter `kind`."""
    if not isinstance(presets, dict):
        return [FieldError("image_presets", "expected an object of {image field: spec}")]
    fields = image_fields(kind)
    errors: list[FieldError] = []
    for name, text in presets.items():
        where = f"image_presets.{name}"
        if fields and name not in fields:
            errors.append(FieldError(where, f"{kind} has no image field {name!r} (image "
                                            f"fields: {', '.join(fields)})", value=text))
            continue
        try:
            spec = parse_spec(text)
        except RenditionSpecError as exc:
            errors += [FieldError(where, e.message, value=text) for e in exc.errors]
            continue
        rule = IMAGE_RULES.get(kind or "", {}).get(name)
        errors += [FieldError(where, f"{problem} ({rule.note})", value=text)
                   for problem in (rule_problems(spec, rule) if rule else [])]
    return errors


def rule_problems(spec: RenditionSpec, rule: ImageRule) -> list[str]:
    """Say how a spec falls short of a channel's image rule (empty when it meets it)."""
    problems = _size_problems(spec, rule)
    fmt = spec.step("format")
    if tuple(rule.formats) != ALL_FORMATS:
        wanted = " or ".join(rule.formats)
        if fmt is None:
            problems.append(f"name the output format: format-{rule.formats[0]}")
        elif fmt.value not in rule.formats:  # type: ignore[attr-defined]
            problems.append(f"format must be {wanted}")
    background = spec.step("bg")
    if rule.background and (background is None
                            or background.value != rule.background):  # type: ignore[attr-defined]
        problems.append(f"the background must be bg-{rule.background}")
    return problems


def _size_problems(spec: RenditionSpec, rule: ImageRule) -> list[str]:
    box = output_box(spec)
    if box is None:
        return []
    sides = [side for side in box if side is not None]
    problems = []
    if rule.min_side and min(sides) < rule.min_side:
        problems.append(f"the image would be {_box(box)}, under {rule.min_side} px a side")
    if rule.min_long_side and max(sides) < rule.min_long_side:
        problems.append(f"the longest side would be {max(sides)} px, under "
                        f"{rule.min_long_side} px")
    if rule.max_long_side and max(sides) > rule.max_long_side:
        problems.append(f"the longest side would be {max(sides)} px, over "
                        f"{rule.max_long_side} px")
    return problems


def output_box(spec: RenditionSpec) -> tuple[int | None, int | None] | None:
    """The largest (width, height) a spec renders; None for a side it leaves open."""
    resize = spec.step("resize")
    if resize is None:
        return None
    if resize.name == "width":
        return resize.pixels, None  # type: ignore[attr-defined]
    if resize.name == "height":
        return None, resize.pixels  # type: ignore[attr-defined]
    return resize.width, resize.height  # type: ignore[attr-defined]


def _box(box: tuple[int | None, int | None]) -> str:
    return "x".join("?" if side is None else str(side) for side in box)


def save_image_presets(
    session: Session, channel_code: str, presets: Any, *, author: str, source: str = "ui",
    commit: bool = True,
) -> dict[str, str]:
    """Check and store a channel's presets (replacing the ones it had); return them all."""
    channel = s.get_channel(session, channel_code)
    errors = check_presets(channel.exporter, presets)
    if errors:
        raise ValidationError(errors, f"The image presets of channel {channel_code!r} are "
                                      "not valid: " + "; ".join(e.message for e in errors))
    canonical = {name: parse_spec(text).text for name, text in sorted(presets.items())}
    s.update_channel(session, channel_code, {"settings": {"image_presets": canonical}},
                     author=author, source=source, commit=commit)
    return channel_presets(session, channel_code)
