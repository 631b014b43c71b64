"""Import records, the problems each row met, and saved column mapping profiles."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pim.db import Base, utcnow

QUEUED = "queued"
RUNNING = "running"
SUCCEEDED = "succeeded"
REFUSED = "refused"
FAILED = "failed"
CANCELLED = "cancelled"
STATUSES = (QUEUED, RUNNING, SUCCEEDED, REFUSED, FAILED, CANCELLED)

ERROR = "error"
WARNING = "warning"


def new_import_id() -> str:
    """Return a fresh import id."""
    return str(uuid.uuid4())


class ImportRecord(Base):
    """One import of a file or folder: what was asked, how it went, what it wrote."""

    __tablename__ = "imports"
    __table_args__ = (Index("ix_imports_created", "created"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_import_id)
    job_id: Mapped[str | None] = mapped_column(String(36), index=True)
    # where the file or folder is (a path this process and the job's worker can read)
    source: Mapped[str] = mapped_column(Text)
    source_name: Mapped[str] = mapped_column(String(255))
    format: Mapped[str] = mapped_column(String(120))
    # mode, dry_run, media, ignore_unknown_columns, create_missing_options, ...
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(20), default=QUEUED)
    # the changeset every version the import wrote carries (none for a dry run)
    changeset_id: Mapped[str | None] = mapped_column(String(36), index=True)
    # {kind: {"created": n, "updated": n, "unchanged": n, "failed": n, "skipped": n}}
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # one entry per file read: name, kind, encoding, delimiter, header, rows, note
    files: Mapped[list[Any]] = mapped_column(default=list)
    # messages about the whole import (unknown columns, skipped files, ...)
    notes: Mapped[list[Any]] = mapped_column(default=list)
    rows_read: Mapped[int] = mapped_column(default=0)
    rows_failed: Mapped[int] = mapped_column(default=0)
    rows_warned: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(255))
    created: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started: Mapped[dt.datetime | None] = mapped_column()
    finished: Mapped[dt.datetime | None] = mapped_column()
    # the changeset of the revert that undid this import
    reverted_by: Mapped[str | None] = mapped_column(String(36))

    @property
    def is_finished(self) -> bool:
        return self.status not in (QUEUED, RUNNING)


class ImportIssue(Base):
    """What was wrong (or worth a warning) in one row: per column, the message and value."""

    __tablename__ = "import_issues"
    __table_args__ = (Index("ix_import_issues_import_severity", "import_id", "severity", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[str] = mapped_column(ForeignKey("imports.id", ondelete="CASCADE"))
    file: Mapped[str] = mapped_column(String(255))
    row: Mapped[int] = mapped_column()
    severity: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str | None] = mapped_column(String(255))
    # [{"column": ..., "message": ..., "value": ...}]
    problems: Mapped[list[Any]] = mapped_column(default=list)
    # the row's cells as read, kept for refused rows so they can be fixed and sent again
    cells: Mapped[dict[str, Any] | None] = mapped_column()


class MappingProfile(Base):
    """A saved way to read a CSV: which column feeds which attribute, locale and channel."""

    __tablename__ = "import_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by: Mapped[str | None] = mapped_column(String(255))
    created: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated: Mapped[dt.datetime] = mapped_column(default=utcnow)
