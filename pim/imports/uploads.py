"""Files sent to be imported: kept in the instance folder, zip archives unpacked safely.

An import runs later (in a job), so its file must outlive the request: it is copied under
`<instance>/imports/<id>/`. A zip (an Akeneo export with its media) is unpacked there,
refusing names that leave the folder and archives that unpack past the size cap.
"""

from __future__ import annotations

import secrets
import shutil
import zipfile
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from pim.errors import PrismError

CHUNK = 1024 * 1024
MAX_ENTRIES = 100_000


class UploadRefused(PrismError):
    """The file cannot be taken for an import; the message says why."""

    code = "upload_refused"


def upload_folder(instance: str | Path) -> Path:
    """Make a fresh folder for one upload under the instance folder."""
    folder = Path(instance) / "imports" / secrets.token_hex(8)
    folder.mkdir(parents=True)
    return folder


def safe_name(filename: str | None, default: str = "upload.csv") -> str:
    """Keep only the last part of an uploaded file's name, without odd characters."""
    name = PurePosixPath((filename or "").replace("\\", "/")).name.strip()
    name = "".join(c for c in name if c.isprintable() and c not in '<>:"|?*')
    return name[:200] if name not in ("", ".", "..") else default


def keep_upload(stream: BinaryIO, filename: str | None, folder: Path, max_bytes: int) -> Path:
    """Copy an uploaded file into `folder` (unpacking a zip); return what to import."""
    target = folder / safe_name(filename)
    written = 0
    with target.open("wb") as out:
        while chunk := stream.read(CHUNK):
            written += len(chunk)
            if written > max_bytes:
                raise UploadRefused(f"{target.name}: the file is larger than the limit of "
                                    f"{max_bytes:,} bytes")
            out.write(chunk)
    if not zipfile.is_zipfile(target) or target.suffix.lower() == ".xlsx":
        return target
    return unpack(target, folder / target.stem, max_bytes)


def unpack(archive: Path, into: Path, max_bytes: int) -> Path:
    """Unpack a zip archive into `into`; return the folder holding its tables."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            entries = [e for e in zipped.infolist() if not e.is_dir()]
            _check(archive.name, entries, max_bytes)
            for entry in entries:
                target = into.joinpath(*_parts(archive.name, entry.filename))
                target.parent.mkdir(parents=True, exist_ok=True)
                with zipped.open(entry) as source, target.open("wb") as out:
                    shutil.copyfileobj(source, out, CHUNK)
    except zipfile.BadZipFile as exc:
        raise UploadRefused(f"{archive.name}: the zip archive cannot be read ({exc})") from None
    archive.unlink()
    return _table_folder(into)


def _check(name: str, entries: list[zipfile.ZipInfo], max_bytes: int) -> None:
    if len(entries) > MAX_ENTRIES:
        raise UploadRefused(f"{name}: the archive holds more than {MAX_ENTRIES:,} files")
    if sum(e.file_size for e in entries) > max_bytes:
        raise UploadRefused(f"{name}: the archive unpacks to more than {max_bytes:,} bytes")
    for entry in entries:
        _parts(name, entry.filename)


def _parts(name: str, member: str) -> tuple[str, ...]:
    parts = PurePosixPath(member.replace("\\", "/")).parts
    if not parts or parts[0] == "/" or ".." in parts or ":" in parts[0]:
        raise UploadRefused(f"{name}: the archive names a file outside itself ({member!r})")
    return parts


def _table_folder(root: Path) -> Path:
    """The folder of the archive's tables: its root, or its only top folder."""
    tables = [p for p in root.iterdir() if p.is_file()]
    folders = [p for p in root.iterdir() if p.is_dir()]
    if not tables and len(folders) == 1:
        return folders[0]
    return root
