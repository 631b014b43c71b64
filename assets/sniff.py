"""The real type of a file, read from its bytes: a small magic-number table.

Zip containers are opened to tell Office Open XML and OpenDocument files apart,
and OLE2 compound files have their directory read to tell Word from Excel.
"""

from __future__ import annotations

import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO


@dataclass(frozen=True)
class FileType:
    """A media type Prism can recognise: its label, extensions and family."""

    media_type: str
    label: str
    extensions: tuple[str, ...]
    image: bool = False
    markup: bool = False


TYPES: dict[str, FileType] = {t.media_type: t for t in (
    FileType("image/jpeg", "JPEG", (".jpg", ".jpeg", ".jpe", ".jfif"), image=True),
    FileType("image/png", "PNG", (".png",), image=True),
    FileType("image/webp", "WebP", (".webp",), image=True),
    FileType("image/gif", "GIF", (".gif",), image=True),
    FileType("image/tiff", "TIFF", (".tif", ".tiff"), image=True),
    FileType("application/pdf", "PDF", (".pdf",)),
    FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "Word document", (".docx",)),
    FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "Excel workbook", (".xlsx",)),
    FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation",
             "PowerPoint presentation", (".pptx",)),
    FileType("application/vnd.oasis.opendocument.text", "OpenDocument text", (".odt",)),
    FileType("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet",
             (".ods",)),
    FileType("application/msword", "Word 97-2003 document", (".doc",)),
    FileType("application/vnd.ms-excel", "Excel 97-2003 workbook", (".xls",)),
    FileType("application/vnd.ms-powerpoint", "PowerPoint 97-2003 presentation", (".ppt",)),
    FileType("image/svg+xml", "SVG", (".svg", ".svgz"), markup=True),
    FileType("text/html", "HTML", (".html", ".htm", ".xhtml"), markup=True),
    FileType("application/xml", "XML", (".xml",), markup=True),
    FileType("application/zip", "zip archive", (".zip",)),
    FileType("application/x-ole-storage", "OLE2 compound file", ()),
    FileType("image/bmp", "BMP", (".bmp",)),
    FileType("image/heic", "HEIC", (".heic", ".heif")),
    FileType("image/avif", "AVIF", (".avif",)),
    FileType("image/vnd.adobe.photoshop", "Photoshop", (".psd",)),
    FileType("application/gzip", "gzip archive", (".gz", ".tgz")),
    FileType("application/x-executable", "executable program", (".exe", ".dll", ".so")),
)}

MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"II*\x00", "image/tiff"),
    (0, b"MM\x00*", "image/tiff"),
    (0, b"II+\x00", "image/tiff"),
    (0, b"MM\x00+", "image/tiff"),
    (0, b"%PDF-", "application/pdf"),
    (0, b"PK\x03\x04", "application/zip"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
    (0, b"BM", "image/bmp"),
    (0, b"8BPS", "image/vnd.adobe.photoshop"),
    (0, b"\x1f\x8b", "application/gzip"),
    (0, b"\x7fELF", "application/x-executable"),
    (0, b"MZ", "application/x-executable"),
)
BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe",
               b"<meta", b"<div", b"<a ", b"<p>", b"<table", b"<style", b"<title")
OOXML_PARTS = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/presentation.xml":
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
OLE_STREAMS = {
    "WordDocument": "application/msword",
    "Workbook": "application/vnd.ms-excel",
    "Book": "application/vnd.ms-excel",
    "PowerPoint Document": "application/vnd.ms-powerpoint",
}


def sniff(path: Path) -> str | None:
    """Return the media type the bytes of `path` show, or None if none is known."""
    with path.open("rb") as handle:
        head = handle.read(4096)
        media_type = _by_magic(head) or _markup(head)
        if media_type == "application/zip":
            return _zip_kind(path)
        if media_type == "application/x-ole-storage":
            return _ole_kind(handle) or media_type
        return media_type


def _by_magic(head: bytes) -> str | None:
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"avif", b"avis"):
            return "image/avif"
        if brand in (b"heic", b"heix", b"mif1", b"msf1", b"hevc"):
            return "image/heic"
    for offset, magic, media_type in MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return media_type
    return None


def _markup(head: bytes) -> str | None:
    """Recognise text that starts with a tag: SVG, HTML or other XML."""
    text = head
    for bom in BOMS:
        text = text.removeprefix(bom)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00<" in text[:8] or b"<\x00" in text[:8]:
        text = text.replace(b"\x00", b"")  # UTF-16 markup
    lowered = text.lstrip().lower()
    if not lowered.startswith(b"<"):
        return None
    if b"<svg" in lowered:
        return "image/svg+xml"
    if lowered.startswith(HTML_STARTS) or b"<html" in lowered or b"<script" in lowered:
        return "text/html"
    return "application/xml"


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if declared.startswith("application/vnd.oasis.opendocument."):
                    return declared
            if "[Content_Types].xml" in names:
                for part, media_type in OOXML_PARTS.items():
                    if part in names:
                        return media_type
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        pass
    return "application/zip"


def _ole_kind(handle: BinaryIO) -> str | None:
    """Read the directory of an OLE2 compound file and name it by its streams."""
    for name in ole_stream_names(handle):
        if name in OLE_STREAMS:
            return OLE_STREAMS[name]
    return None


def ole_stream_names(handle: BinaryIO, limit: int = 512) -> list[str]:
    """Return the entry names of an OLE2 directory (at most `limit` sectors read)."""
    handle.seek(0)
    header = handle.read(512)
    if len(header) < 512:
        return []
    shift, = struct.unpack_from("<H", header, 0x1E)
    if shift not in (9, 12):
        return []
    sector = 1 << shift
    first_dir, = struct.unpack_from("<I", header, 0x30)
    fat_sectors = [s for s in struct.unpack_from("<109I", header, 0x4C) if s < 0xFFFFFFFA]
    fat = _read_fat(handle, fat_sectors, sector)
    names: list[str] = []
    current, seen = first_dir, set()
    while current < 0xFFFFFFFA and current not in seen and len(seen) < limit:
        seen.add(current)
        handle.seek((current + 1) * sector)
        block = handle.read(sector)
        for start in range(0, len(block) - 127, 128):
            length, = struct.unpack_from("<H", block, start + 64)
            if 2 <= length <= 64:
                names.append(block[start : start + length - 2].decode("utf-16-le", "replace"))
        current = fat[current] if current < len(fat) else 0xFFFFFFFE
    return names


def _read_fat(handle: BinaryIO, fat_sectors: list[int], sector: int) -> list[int]:
    fat: list[int] = []
    for number in fat_sectors:
        handle.seek((number + 1) * sector)
        block = handle.read(sector)
        fat.extend(struct.unpack(f"<{len(block) // 4}I", block[: len(block) // 4 * 4]))
    return fat


def type_of(media_type: str) -> FileType:
    """Return what Prism knows of `media_type` (a bare entry for unknown ones)."""
    return TYPES.get(media_type) or FileType(media_type, media_type, ())


def type_for_extension(extension: str) -> FileType | None:
    """Return the type a file extension claims, if Prism knows it."""
    extension = extension.lower()
    for file_type in TYPES.values():
        if extension in file_type.extensions:
            return file_type
    return None
