"""Before an import runs: keep the uploaded file, and preview it on its first rows.

The preview says what the importer will see: the format it detected, each file's encoding,
delimiter and header, the first rows, and which columns it cannot place (which would
refuse the import unless they are ignored). Nothing is written.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy.orm import Session
from werkzeug.utils import secure_filename

from pim.errors import PrismError
from pim.imports.readers import open_table
from pim.imports.report import IssueLog
from pim.imports.sources import ImportOptions, ImportRefused, detect_format, plan_import

FIRST_ROWS = 5
TOKEN = re.compile(r"^[0-9a-f]{32}$")
SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")


@dataclass
class FilePreview:
    """One file as the importer reads it: encoding, delimiter, header, first rows."""

    name: str
    kind: str = ""
    encoding: str | None = None
    delimiter: str | None = None
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    unknown: dict[str, str] = field(default_factory=dict)
    problem: str | None = None


@dataclass
class Preview:
    """What an import of the staged file would do before it writes anything."""

    format: str
    files: list[FilePreview]
    notes: list[str] = field(default_factory=list)
    refused: str | None = None


def staging_folder(instance_path: str) -> Path:
    """Return the folder uploads wait in until their import runs."""
    return Path(instance_path) / "imports"


def stage_upload(instance_path: str, stream: BinaryIO, filename: str) -> str:
    """Keep an uploaded file for its import; return the token that names it."""
    token = uuid.uuid4().hex
    name = secure_filename(filename) or "upload.csv"
    if not name.lower().endswith(SUFFIXES):
        name += ".csv"
    folder = staging_folder(instance_path) / token
    folder.mkdir(parents=True)
    with (folder / name).open("wb") as target:
        while chunk := stream.read(1024 * 1024):
            target.write(chunk)
    return token


def staged_file(instance_path: str, token: str) -> Path | None:
    """Return the staged file of `token`, or None for a token that names nothing."""
    if not TOKEN.match(token or ""):
        return None
    folder = staging_folder(instance_path) / token
    files = sorted(folder.iterdir()) if folder.is_dir() else []
    return files[0] if files else None


def preview_import(session: Session, path: Path, options: ImportOptions) -> Preview:
    """Read the first rows of a staged file and plan its import, writing nothing."""
    first = _first_rows(path)
    try:
        found = options.format or detect_format(path)
    except PrismError as exc:
        return Preview("unknown", [first], refused=exc.message)
    preview = Preview(found, [first])
    log = IssueLog("preview")
    try:
        plan = plan_import(session, path, options, log)
    except ImportRefused as exc:
        preview.refused = exc.message
        first.unknown = dict(exc.unknown.get(first.name, {}) or next(
            iter(exc.unknown.values()), {}))
        return preview
    except PrismError as exc:
        preview.refused = exc.message
        return preview
    finally:
        log.close()
        session.rollback()
    preview.notes = list(plan.notes)
    kinds = {spec.name: spec.kind for spec in plan.specs}
    first.kind = kinds.get(first.name, ", ".join(sorted(set(kinds.values()))))
    return preview


def _first_rows(path: Path) -> FilePreview:
    found = FilePreview(path.name)
    try:
        with open_table(path, name=path.name) as table:
            found.header = list(table.header)
            found.encoding, found.delimiter = table.encoding, table.delimiter
            for number, (_row, values) in enumerate(table):
                if number >= FIRST_ROWS:
                    break
                found.rows.append([_cell(values.get(column)) for column in found.header])
    except PrismError as exc:
        found.problem = exc.message
    return found


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 200 else text[:200] + "…"
