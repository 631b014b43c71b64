"""EXIF, IPTC and XMP of an image, read into one JSON document and a flat text."""

from __future__ import annotations

import math
from typing import Any

from lxml import etree
from PIL import ExifTags, Image, IptcImagePlugin, TiffImagePlugin

MAX_TEXT = 20_000
MAX_LIST = 32
XP_TAGS = {0x9C9B: "XPTitle", 0x9C9C: "XPComment", 0x9C9D: "XPAuthor", 0x9C9E: "XPKeywords",
           0x9C9F: "XPSubject"}
SKIPPED_EXIF = {"ExifOffset", "GPSInfo", "MakerNote", "PrintImageMatching", "InterColorProfile",
                "StripOffsets", "StripByteCounts", "TileOffsets", "TileByteCounts",
                "JPEGInterchangeFormat", "JPEGInterchangeFormatLength", "XMLPacket",
                "IPTCNAA", "ImageResources", "ColorMap", "PhotoshopSettings"}
IPTC_NAMES = {
    (2, 5): "ObjectName", (2, 15): "Category", (2, 20): "SupplementalCategories",
    (2, 25): "Keywords", (2, 40): "SpecialInstructions", (2, 55): "DateCreated",
    (2, 80): "By-line", (2, 85): "By-lineTitle", (2, 90): "City", (2, 92): "Sub-location",
    (2, 95): "Province-State", (2, 100): "Country-PrimaryLocationCode",
    (2, 101): "Country-PrimaryLocationName", (2, 103): "OriginalTransmissionReference",
    (2, 105): "Headline", (2, 110): "Credit", (2, 115): "Source", (2, 116): "CopyrightNotice",
    (2, 118): "Contact", (2, 120): "Caption-Abstract", (2, 122): "Writer-Editor",
}
XMP_PARSER_OPTIONS = {"resolve_entities": False, "no_network": True, "load_dtd": False,
                      "huge_tree": False, "remove_comments": True, "remove_pis": True}
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"


def read_metadata(image: Image.Image) -> dict[str, Any]:
    """Return the image's EXIF, IPTC and XMP as one JSON-ready document."""
    document: dict[str, Any] = {}
    for name, reader in (("exif", _exif), ("iptc", _iptc), ("xmp", _xmp)):
        section = reader(image)
        if section:
            document[name] = section
    orientation = document.get("exif", {}).get("Orientation")
    if isinstance(orientation, int):
        document["orientation"] = orientation
    return document


def metadata_text(document: dict[str, Any]) -> str:
    """Flatten the words of a metadata document into one searchable text."""
    words: list[str] = []
    seen: set[str] = set()
    for value in _strings(document):
        if value not in seen:
            seen.add(value)
            words.append(value)
    return " ".join(words)[:MAX_TEXT]


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _exif(image: Image.Image) -> dict[str, Any]:
    exif = image.getexif()
    found: dict[str, Any] = {}
    _add_tags(found, exif.items(), ExifTags.TAGS)
    for ifd, names in ((ExifTags.IFD.Exif, ExifTags.TAGS), (ExifTags.IFD.GPSInfo,
                                                            ExifTags.GPSTAGS)):
        try:
            _add_tags(found, exif.get_ifd(ifd).items(), names)
        except (KeyError, ValueError, TypeError, OSError, SyntaxError):
            continue
    return found


def _add_tags(found: dict[str, Any], items: Any, names: dict[int, str]) -> None:
    for tag, raw in items:
        if tag in XP_TAGS and isinstance(raw, bytes | tuple):
            value: Any = bytes(raw).decode("utf-16-le", "replace").rstrip("\x00")
            name = XP_TAGS[tag]
        else:
            name = names.get(tag, f"Tag0x{tag:04X}")
            value = json_value(raw)
        if name not in SKIPPED_EXIF and value not in (None, "", []):
            found[name] = value


def json_value(raw: Any) -> Any:
    """Convert an EXIF value to JSON: numbers, clean strings and short lists only."""
    if isinstance(raw, TiffImagePlugin.IFDRational):
        value = float(raw) if raw.denominator else math.nan
        return value if math.isfinite(value) else None
    if isinstance(raw, bool | int):
        return raw
    if isinstance(raw, float):
        return raw if math.isfinite(raw) else None
    if isinstance(raw, str):
        return clean_text(raw)
    if isinstance(raw, bytes):
        return _short_ascii(raw)
    if isinstance(raw, tuple | list) and len(raw) <= MAX_LIST:
        return [json_value(item) for item in raw]
    return None


def _short_ascii(raw: bytes) -> str | None:
    text = raw.rstrip(b"\x00")
    if len(text) > 256 or not all(32 <= byte < 127 for byte in text):
        return None
    return text.decode("ascii")


def clean_text(text: str) -> str:
    """Drop NULs and unpaired surrogates that JSON columns refuse."""
    text = text.replace("\x00", "").strip()
    return text.encode("utf-8", "replace").decode("utf-8") if text else text


def _iptc(image: Image.Image) -> dict[str, Any]:
    try:
        info = IptcImagePlugin.getiptcinfo(image) or {}
    except (SyntaxError, ValueError, OSError, IndexError, TypeError):
        return {}
    found: dict[str, Any] = {}
    for key, raw in info.items():
        name = IPTC_NAMES.get(key)
        if name is None:
            continue
        values = [_iptc_text(item) for item in (raw if isinstance(raw, list) else [raw])]
        values = [v for v in values if v]
        if values:
            found[name] = values if name in ("Keywords", "SupplementalCategories") else values[0]
    return found


def _iptc_text(raw: bytes) -> str:
    try:
        return clean_text(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return clean_text(raw.decode("latin-1"))


def _xmp(image: Image.Image) -> dict[str, Any]:
    raw = xmp_packet(image)
    if not raw:
        return {}
    try:
        root = etree.fromstring(raw, parser=etree.XMLParser(**XMP_PARSER_OPTIONS))
    except etree.XMLSyntaxError as exc:
        return {"_error": f"unreadable XMP packet: {exc}"}
    found: dict[str, Any] = {}
    for description in root.iter(f"{RDF}Description"):
        for attribute, value in description.attrib.items():
            if not attribute.startswith(RDF):
                found[_qname(description, attribute)] = clean_text(value)
        for child in description:
            if isinstance(child.tag, str):
                value = _xmp_value(child)
                if value not in (None, "", []):
                    found[_qname(child, child.tag)] = value
    return found


def xmp_packet(image: Image.Image) -> bytes | None:
    """Return the raw XMP packet of an image, wherever its format keeps it."""
    raw = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
    if raw is None and hasattr(image, "tag_v2"):
        raw = image.tag_v2.get(700)
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if isinstance(raw, tuple):
        raw = bytes(raw)
    return raw.strip(b"\x00 \r\n\t") or None if isinstance(raw, bytes) else None


def _xmp_value(element: Any) -> Any:
    items = [li for li in element.iter(f"{RDF}li")]
    if items:
        values = [clean_text("".join(li.itertext())) for li in items]
        return [v for v in values if v][:MAX_LIST]
    return clean_text("".join(element.itertext()))


def _qname(element: Any, tag: str) -> str:
    namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    prefix = next((p for p, uri in element.nsmap.items() if uri == namespace and p), None)
    return f"{prefix}:{local}" if prefix else local
