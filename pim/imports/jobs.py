"""Imports as jobs: `start_import` records one and hands it to the job runner."""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from flask import Flask
from sqlalchemy import update
from sqlalchemy.orm import Session

from pim.imports.media import Store
from pim.imports.models import ImportRecord
from pim.imports.report import get_import, record_as_dict
from pim.imports.runs import create_import, execute_import
from pim.imports.sources import ImportOptions
from pim.jobs import JobContext, job_handler, submit_job
from pim.jobs.models import Job

KIND = "import"


def start_import(app: Flask, source: str | Path, options: ImportOptions, *,
                 created_by: str | None = None, source_name: str | None = None
                 ) -> ImportRecord:
    """Record an import and run it as a job; return the record (with its job id)."""
    sessions = app.extensions["prism.sessions"]
    with sessions() as session:
        record = create_import(session, source, options, created_by=created_by,
                               source_name=source_name)
        import_id = record.id

    def link(session: Session, job: Job) -> None:
        session.execute(update(ImportRecord).where(ImportRecord.id == import_id)
                        .values(job_id=job.id))

    submit_job(app, KIND, {"import_id": import_id}, created_by, link=link)
    with sessions() as session:
        return get_import(session, import_id)


@job_handler(KIND)
def run_import_job(ctx: JobContext, import_id: str) -> dict[str, Any]:
    """Run one recorded import, reporting rows as progress and stopping when cancelled."""
    with ctx.sessions() as session:
        record = get_import(session, import_id)
        if record.job_id is None:
            record.job_id = ctx.job_id
            session.commit()

    def progress(done: int, total: int | None) -> None:
        ctx.progress(done, total)
        ctx.raise_if_cancelled()

    record = execute_import(ctx.sessions, import_id, progress=progress,
                            store=media_store(ctx.app),
                            ahead_rows=ctx.app.config["IMPORT_AHEAD_ROWS"])
    if record.changeset_id:
        ctx.set_changeset(record.changeset_id)
    summary = record_as_dict(record)
    return {key: summary[key] for key in ("id", "status", "counts", "rows_read",
                                          "rows_failed", "rows_warned", "changeset_id",
                                          "notes", "error")}


def media_store(app: Flask) -> Store | None:
    """Return how this app stores imported media files (as assets' stored files)."""
    storage = app.extensions.get("prism.storage")
    policy = app.extensions.get("prism.ingest_policy")
    if storage is None or policy is None:
        return None

    def store(session: Session, stream: BinaryIO, filename: str) -> str:
        from assets.ingest import ingest_file
        from pim.dam.media_files import media_file_key

        stored = ingest_file(session, storage, stream, filename, policy=policy, commit=False)
        return media_file_key(stored)

    return store
