"""Tell a text file's encoding: byte order marks, then strict UTF-8, then a guess.

The guess runs charset-normalizer on a bounded sample and keeps the candidate whose
encoding belongs to the language it recognised (French text is read as Windows-1252,
not as a Baltic code page that happens to decode the same bytes).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from typing import BinaryIO

from pim.imports.errors import UnreadableFile

SAMPLE_BYTES = 64 * 1024
CHUNK_BYTES = 1024 * 1024

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)

FAMILIES = {
    "western": ("cp1252", "iso8859_15", "iso8859_1"),
    "central": ("cp1250", "iso8859_2", "iso8859_16"),
    "cyrillic": ("cp1251", "koi8_r", "koi8_u", "iso8859_5"),
    "greek": ("cp1253", "iso8859_7"),
    "turkish": ("cp1254", "iso8859_9"),
    "baltic": ("cp1257", "iso8859_13"),
}
LANGUAGES = {
    "western": ("English", "French", "German", "Spanish", "Italian", "Portuguese", "Dutch",
                "Danish", "Swedish", "Norwegian", "Finnish"),
    "central": ("Polish", "Czech", "Slovak", "Hungarian", "Romanian", "Croatian", "Slovene"),
    "cyrillic": ("Russian", "Ukrainian", "Bulgarian", "Serbian", "Macedonian", "Belarusian"),
    "greek": ("Greek",),
    "turkish": ("Turkish",),
    "baltic": ("Lithuanian", "Latvian", "Estonian"),
}
FAMILY_OF_LANGUAGE = {lang: family for family, langs in LANGUAGES.items() for lang in langs}
CANDIDATES = [encoding for family in FAMILIES.values() for encoding in family]
# control characters that do turn up in real text files
HARMLESS_CONTROLS = frozenset("\t\n\r\f\v\x1a")
# a word for the script check: split at spaces, digits and ASCII punctuation only
_WORD = re.compile(r"[^\s\d!-/:-@\[-`{-~]+")


def detect_encoding(stream: BinaryIO, name: str) -> str:
    """Return the codec that reads `stream` (left at its start) as text, or refuse it."""
    head = stream.read(SAMPLE_BYTES)
    stream.seek(0)
    if not head.strip():
        raise UnreadableFile("the file is empty", file=name)
    encoding = _by_bom(head) or _utf16_without_bom(head)
    if encoding:
        check_decodes(stream, encoding, name)
        return encoding
    if b"\x00" in head:
        raise _binary(name, f"a NUL byte at offset {head.index(0)}")
    bad = first_invalid(stream, "utf-8")
    if bad is None:
        refuse_binary_text(head.decode("utf-8", errors="ignore"), name)
        return "utf-8"
    offset, line, after_text = bad
    if after_text:
        raise UnreadableFile(
            f"the file mixes UTF-8 with another encoding (line {line}, byte {offset}); "
            "save it again as UTF-8", file=name)
    encoding = _guess(stream, head, offset, name)
    check_decodes(stream, encoding, name)
    return encoding


def check_decodes(stream: BinaryIO, encoding: str, name: str) -> None:
    """Refuse the file if any of its bytes are not text in `encoding`, naming the line."""
    bad = first_invalid(stream, encoding)
    if bad is not None:
        offset, line, _ = bad
        raise UnreadableFile(
            f"line {line} holds bytes that are not {encoding} text (byte {offset}); the file "
            "mixes encodings or is damaged", file=name)


def _by_bom(head: bytes) -> str | None:
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    sample = head[: len(head) - len(head) % 2]
    pairs = len(sample) // 2
    if pairs < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    for nuls, other, encoding in ((odd_nuls, even_nuls, "utf-16-le"),
                                  (even_nuls, odd_nuls, "utf-16-be")):
        if nuls > 0.6 * pairs and other < 0.05 * pairs:
            try:
                sample.decode(encoding)
            except UnicodeDecodeError:
                return None
            return encoding
    return None


def first_invalid(stream: BinaryIO, encoding: str) -> tuple[int, int, bool] | None:
    """Read the whole file once; return (byte, line, non-ASCII text before) of the first
    bytes that are not `encoding` text, or None when it all decodes."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset, lines, non_ascii = 0, 1, False
    try:
        while chunk := stream.read(CHUNK_BYTES):
            # the decoder holds back the bytes of a character cut by the chunk's end
            pending = len(decoder.getstate()[0])
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                position = offset - pending + exc.start
                before = chunk[:max(0, position - offset)].decode(encoding, errors="ignore")
                return position, lines + before.count("\n"), non_ascii or not before.isascii()
            offset += len(chunk)
            lines += text.count("\n")
            non_ascii = non_ascii or not text.isascii()
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return offset, lines, non_ascii
        return None
    finally:
        stream.seek(0)


def _guess(stream: BinaryIO, head: bytes, offset: int, name: str) -> str:
    from charset_normalizer import from_bytes

    sample = head
    if offset >= len(head):  # add a window where the first non-UTF-8 byte is
        stream.seek(max(0, offset - SAMPLE_BYTES // 4))
        sample += b"\n" + stream.read(SAMPLE_BYTES)
        stream.seek(0)
    ranked = []
    for rank, match in enumerate(from_bytes(sample, cp_isolation=CANDIDATES)):
        try:
            text = sample.decode(match.encoding)
        except UnicodeDecodeError:
            continue
        family = FAMILIES.get(FAMILY_OF_LANGUAGE.get(match.language, ""), ())
        # among code pages that decode the sample alike, take one made for its language
        alike = [codecs.lookup(e).name for e in (match.encoding, *match.could_be_from_charset)]
        fitting = [e for e in (codecs.lookup(f).name for f in family) if e in alike]
        # words mixing alphabets ("Zaїуіж") mean a wrong code page
        ranked.append(((_mixed_words(text), 0 if fitting else 1, rank), (fitting or alike)[0],
                       text))
    if ranked:
        _, encoding, text = min(ranked, key=lambda item: item[0])
        refuse_binary_text(text, name)
        return encoding
    raise UnreadableFile(
        "cannot tell the text encoding (it is neither UTF-8 nor a known Western, Central "
        "European, Cyrillic, Greek, Turkish or Baltic code page); save it as UTF-8",
        file=name)


def _mixed_words(text: str) -> int:
    """Count words written in more than one alphabet ("Zaїуіж"): a wrong code page."""
    mixed = 0
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        scripts = {_script(char) for char in word if char.isalpha()}
        mixed += len(scripts) > 1
    return mixed


def _script(char: str) -> str:
    if char.isascii():
        return "LATIN"
    return unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]


def refuse_binary_text(text: str, name: str) -> None:
    """Refuse decoded text that is mostly control characters: a binary file."""
    controls = sum(1 for char in text
                   if char not in HARMLESS_CONTROLS and unicodedata.category(char) == "Cc")
    if controls > max(4, len(text) // 100):
        raise _binary(name, f"{controls} control characters in its first {len(text)}")


def _binary(name: str, evidence: str) -> UnreadableFile:
    return UnreadableFile(
        f"this is not a text table but binary data ({evidence}); export it as CSV or XLSX",
        file=name)
