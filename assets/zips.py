"""Zip archives checked before anything is extracted: paths, links, sizes, ratios."""

from __future__ import annotations

import re
import stat
import zipfile

from assets.errors import AssetRejected
from assets.policy import IngestPolicy

DRIVE = re.compile(r"^[A-Za-z]:")
JUNK = ("__MACOSX/", ".DS_Store", "Thumbs.db")
RATIO_FLOOR = 1024 * 1024  # small entries may compress very well without being bombs


def check_archive(
    archive: zipfile.ZipFile, filename: str, policy: IngestPolicy
) -> list[zipfile.ZipInfo]:
    """Return the file entries of `archive`, or refuse it whole if any entry is unsafe."""
    entries = archive.infolist()
    if len(entries) > policy.zip_max_entries:
        raise AssetRejected(filename, f"the zip has {len(entries):,} entries, over the limit "
                                      f"of {policy.zip_max_entries:,}")
    total = 0
    for entry in entries:
        _check_entry(entry, filename, policy)
        total += entry.file_size
    if total > policy.zip_max_total_bytes:
        raise AssetRejected(filename, f"the zip would unpack to {total:,} bytes, over the limit "
                                      f"of {policy.zip_max_total_bytes:,} (a zip bomb?)")
    return [e for e in entries if not e.is_dir() and not _is_junk(e.filename)]


def _check_entry(entry: zipfile.ZipInfo, filename: str, policy: IngestPolicy) -> None:
    name = entry.filename
    parts = re.split(r"[/\\]", name)
    where = f"zip entry {name!r}"
    if name.startswith(("/", "\\")) or DRIVE.match(name):
        raise AssetRejected(filename, f"{where} has an absolute path")
    if ".." in parts or "\x00" in name:
        raise AssetRejected(filename, f"{where} points outside the archive ('..')")
    if stat.S_ISLNK(entry.external_attr >> 16):
        raise AssetRejected(filename, f"{where} is a symbolic link")
    if entry.flag_bits & 0x1:
        raise AssetRejected(filename, f"{where} is encrypted")
    if entry.file_size > policy.max_bytes and not entry.is_dir():
        raise AssetRejected(filename, f"{where} unpacks to {entry.file_size:,} bytes, over "
                                      f"the upload cap of {policy.max_bytes:,} bytes")
    ratio = entry.file_size / max(entry.compress_size, 1)
    if entry.file_size > RATIO_FLOOR and ratio > policy.zip_max_ratio:
        raise AssetRejected(filename, f"{where} expands {ratio:,.0f} times, over the limit of "
                                      f"{policy.zip_max_ratio} (a zip bomb?)")


def _is_junk(name: str) -> bool:
    return name.startswith(JUNK[0]) or name.rsplit("/", 1)[-1] in JUNK[1:]
