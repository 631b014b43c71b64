"""Files for the asset tests, made on the fly with Pillow (and a few by hand)."""

from __future__ import annotations

import io
import struct
import zipfile

from PIL import Image

XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
      xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:City="Θεσσαλονίκη">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Trail shoe «Ζεύς»</rdf:li></rdf:Alt></dc:title>
   <dc:subject><rdf:Bag><rdf:li>buty</rdf:li><rdf:li>обувь</rdf:li></rdf:Bag></dc:subject>
   <dc:creator><rdf:Seq><rdf:li>Zofia Łukasiewicz</rdf:li></rdf:Seq></dc:creator>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def image_bytes(
    size: tuple[int, int] = (64, 48), fmt: str = "JPEG", color: object = (200, 30, 30),
    mode: str = "RGB", **save: object,
) -> bytes:
    """An image of one colour (with a darker left half, so orientation shows)."""
    image = Image.new(mode, size, color)
    if mode == "RGB":
        image.paste((0, 0, 0), (0, 0, size[0] // 2, size[1]))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **save)
    return buffer.getvalue()


def jpeg_with_metadata(size: tuple[int, int] = (80, 40), orientation: int = 6) -> bytes:
    """A JPEG with EXIF (orientation, camera, description), IPTC and XMP."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Nikon"
    exif[0x010E] = "Red trail shoe"
    exif[0x9C9B] = "Czerwony but — Κόκκινο παπούτσι".encode("utf-16-le")
    exif.get_ifd(0x8769)[0x9003] = "2024:05:06 07:08:09"
    data = image_bytes(size, exif=exif.tobytes(), xmp=XMP.encode())
    return insert_app13(data, iptc_block({(2, 5): ["Zapatilla"], (2, 25): ["shoe", "κόκκινο"],
                                          (2, 120): ["Caption — подпись"]}))


def iptc_block(records: dict[tuple[int, int], list[str]]) -> bytes:
    """IPTC-IIM datasets (UTF-8, announced by 1:90) for a Photoshop 8BIM resource."""
    out = bytearray(b"\x1c\x01\x5a\x00\x03\x1b\x25\x47")  # 1:90 coded character set = UTF-8
    for (record, dataset), values in records.items():
        for value in values:
            raw = value.encode()
            out += struct.pack(">BBBH", 0x1C, record, dataset, len(raw)) + raw
    return bytes(out)


def insert_app13(jpeg: bytes, iptc: bytes) -> bytes:
    """Put an APP13 Photoshop segment holding IPTC right after the JPEG's SOI."""
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iptc))
    resource += iptc + (b"\x00" if len(iptc) % 2 else b"")
    payload = b"Photoshop 3.0\x00" + resource
    segment = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    return jpeg[:2] + segment + jpeg[2:]


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header announces a huge size (a decompression bomb's signature)."""
    data = image_bytes((8, 8), "PNG")
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    import zlib

    chunk = b"IHDR" + ihdr
    return data[:8] + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk)) + \
        data[33:]


def zip_bytes(entries: dict[str, bytes], symlinks: tuple[str, ...] = ()) -> bytes:
    """A zip of `entries`; names in `symlinks` are stored as symbolic links."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in symlinks:
                info.external_attr = (0o120777 << 16)
            archive.writestr(info, data)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    """A minimal Office Open XML word document."""
    return zip_bytes({
        "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
        "word/document.xml": b'<?xml version="1.0"?><w:document/>',
    })


def pdf_bytes() -> bytes:
    """A tiny one-page PDF."""
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, format="PDF")
    return buffer.getvalue()
