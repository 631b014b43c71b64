"""Channel image presets: checked against the grammar and each channel's image rules."""

from __future__ import annotations

import pytest

from assets.renditions import parse_spec
from pim.catalog import services as s
from pim.dam.presets import (
    IMAGE_RULES,
    RECOMMENDED,
    channel_presets,
    check_presets,
    image_fields,
    rule_problems,
    save_image_presets,
)
from pim.errors import ValidationError

CASES = [
    ("amazon", "main_image", "pad-2000x2000|bg-ffffff|format-jpeg|quality-90", []),
    ("amazon", "main_image", "fill-1500x1500|bg-ffffff|format-jpeg|quality-90", []),
    ("amazon", "main_image", "pad-800x800|bg-ffffff|format-jpeg",
     ["the longest side would be 800 px, under 1000 px"]),
    ("amazon", "main_image", "pad-1200x1200|bg-000000|format-png",
     ["format must be jpeg", "the background must be bg-ffffff"]),
    ("amazon", "main_image", "max-1200x1200|bg-ffffff",
     ["name the output format: format-jpeg"]),
    ("amazon", "other_images", "width-1000|format-png", []),
    ("amazon", "other_images", "height-600|format-jpeg",
     ["the longest side would be 600 px, under 1000 px"]),
    ("google", "image_link", "fill-250x250", []),
    ("google", "image_link", "fill-240x800|format-webp",
     ["the image would be 240x800, under 250 px a side"]),
    ("meta", "image_link", "pad-500x500|format-png", []),
    ("meta", "image_link", "max-1080x1080|format-webp", ["format must be jpeg or png"]),
    ("shopify", "images", "max-5000x5000", ["the longest side would be 5000 px, over 4472 px"]),
    ("shopify", "images", "format-jpeg", []),
]


@pytest.mark.parametrize("kind, field, spec, problems", CASES)
def test_specs_against_channel_rules(kind, field, spec, problems):
    assert rule_problems(parse_spec(spec), IMAGE_RULES[kind][field]) == problems


@pytest.mark.parametrize("kind", sorted(IMAGE_RULES))
def test_recommended_and_exporter_presets_meet_the_rules(kind):
    from exporters.registry import exporter_class

    assert check_presets(kind, RECOMMENDED[kind]) == []
    assert check_presets(kind, exporter_class(kind).image_presets) == []
    assert set(RECOMMENDED[kind]) == set(image_fields(kind)) == set(IMAGE_RULES[kind])


def test_check_presets_lists_every_problem_with_where():
    errors = check_presets("amazon", {"main_image": "pad-900x900|format-png",
                                      "other_images": "blur-3", "gallery": "max-10x10"})
    assert sorted((e.field, e.message) for e in errors) == sorted([
        ("image_presets.gallery", "amazon has no image field 'gallery' (image fields: "
                                  "main_image, other_images)"),
        ("image_presets.main_image", "the longest side would be 900 px, under 1000 px "
                                     f"({IMAGE_RULES['amazon']['main_image'].note})"),
        ("image_presets.main_image", "format must be jpeg "
                                     f"({IMAGE_RULES['amazon']['main_image'].note})"),
        ("image_presets.main_image", "the background must be bg-ffffff "
                                     f"({IMAGE_RULES['amazon']['main_image'].note})"),
        ("image_presets.other_images", "'blur-3': unknown operation 'blur' (known: bg, fill, "
                                       "format, height, max, pad, quality, strip, width)"),
    ])
    assert check_presets(None, {"anything": "max-10x10"}) == []
    assert check_presets(None, ["max-10x10"])[0].message.startswith("expected an object")


def test_saving_presets_checks_first_and_stores_canonical_specs(catalog):
    session = catalog
    s.update_channel(session, "ecommerce", {"exporter": "amazon"}, author="admin")
    assert channel_presets(session, "ecommerce") == {
        "main_image": "fill-1600x1600|bg-ffffff|format-jpeg",
        "other_images": "fill-1600x1600|bg-ffffff|format-jpeg"}
    with pytest.raises(ValidationError, match="image presets of channel 'ecommerce'"):
        save_image_presets(session, "ecommerce", {"main_image": "max-100x100"}, author="admin")
    assert "image_presets" not in s.get_channel(session, "ecommerce").settings
    saved = save_image_presets(session, "ecommerce", {
        "main_image": "quality-90|format-jpg|bg-FFFFFF|pad-2000x2000"}, author="admin")
    assert saved["main_image"] == "pad-2000x2000|bg-ffffff|format-jpeg|quality-90"
    assert saved["other_images"] == "fill-1600x1600|bg-ffffff|format-jpeg"
    channel = s.get_channel(session, "ecommerce")
    assert channel.settings["image_presets"] == {
        "main_image": "pad-2000x2000|bg-ffffff|format-jpeg|quality-90"}
    newest = s.versions_of(session, "channel", "ecommerce")[0]
    assert (newest.author, newest.source) == ("admin", "ui")


def test_a_channel_without_exporter_names_any_field(catalog):
    saved = save_image_presets(catalog, "mobile", {"thumb": "fill-300x300"}, author="admin")
    assert saved == {"thumb": "fill-300x300"}
