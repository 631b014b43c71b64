"""Run an import recorded in the `imports` table: plan it, write it, record how it went.

`create_import` writes the record; `execute_import` does the work (a job handler calls
it); `revert_import` undoes a whole import through its changeset.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from pim.catalog import services as s
from pim.db import utcnow
from pim.errors import PrismError
from pim.imports.ahead import AHEAD_ROWS, RowsAhead, can_check_ahead
from pim.imports.engine import MODES, Engine
from pim.imports.errors import UnreadableFile
from pim.imports.media import MediaResolver, MediaRoot, Store
from pim.imports.models import (
    CANCELLED,
    FAILED,
    QUEUED,
    REFUSED,
    RUNNING,
    SUCCEEDED,
    ImportRecord,
)
from pim.imports.report import IssueLog, get_import
from pim.imports.sources import ImportOptions, ImportRefused, Plan, plan_import
from pim.imports.writing import WriteContext

log = logging.getLogger(__name__)
Progress = Callable[[int, int | None], None]


def create_import(session: Session, source: str | Path, options: ImportOptions, *,
                  created_by: str | None = None, source_name: str | None = None
                  ) -> ImportRecord:
    """Record an import to run (checking its options), and commit."""
    if options.mode not in MODES:
        raise ImportRefused(f"unknown mode {options.mode!r}; use partial or atomic")
    path = Path(source)
    record = ImportRecord(source=str(path), source_name=source_name or path.name,
                          format=options.format or "auto", options=options.as_dict(),
                          status=QUEUED, created_by=created_by, counts={}, files=[], notes=[])
    session.add(record)
    session.commit()
    return record


def execute_import(sessions: sessionmaker[Session], import_id: str, *,
                   progress: Progress | None = None,
                   after_batch: Callable[[Engine], None] | None = None,
                   store: Store | None = None, ahead_rows: int = AHEAD_ROWS) -> ImportRecord:
    """Run a recorded import to its end and return its final record.

    Product files of at least `ahead_rows` rows are read and checked by a second process
    ahead of the writes (0: never).
    """
    _update(sessions, import_id, status=RUNNING, started=utcnow())
    with sessions() as records:
        record = get_import(records, import_id)
        options = ImportOptions.from_dict(record.options)
        author, source = record.created_by or "import", Path(record.source)
    issues = IssueLog(import_id)
    try:
        with sessions() as session:
            return _execute(sessions, session, import_id, options, author, source, issues,
                            progress or (lambda done, total: None), after_batch, store,
                            ahead_rows)
    finally:
        issues.close()


def _execute(sessions: sessionmaker[Session], session: Session, import_id: str,
             options: ImportOptions, author: str, source: Path, issues: IssueLog,
             progress: Progress, after_batch: Callable[[Engine], None] | None,
             store: Store | None, ahead_rows: int) -> ImportRecord:
    try:
        plan = plan_import(session, source, options, issues)
    except (ImportRefused, UnreadableFile) as exc:
        session.rollback()
        issues.flush(sessions)
        return _update(sessions, import_id, status=REFUSED, error=exc.message,
                       finished=utcnow(), format=options.format or "auto")
    session.rollback()
    total = _estimate(plan)
    _update(sessions, import_id, files=[spec.describe() for spec in plan.specs],
            notes=plan.notes, format=plan.format)
    ctx = WriteContext(author=author, source=f"import:{import_id}",
                       create_missing_options=options.create_missing_options)
    media = _media(options, source, session, store)
    ctx.media = media
    if not options.dry_run:
        ctx.changeset_id = s.new_changeset(session, author, f"import:{import_id}",
                                           f"Import of {source.name}")
        if options.mode == "partial":
            session.commit()
            _update(sessions, import_id, changeset_id=ctx.changeset_id)

    def batch_done(engine: Engine) -> None:
        if engine.commits_batches:
            issues.flush(sessions)
            _update(sessions, import_id, **_tallied(engine, issues))
        progress(engine.tally.rows, max(total, engine.tally.rows) if total else None)
        if after_batch is not None:
            after_batch(engine)

    engine = Engine(session, ctx, issues, mode=options.mode, dry_run=options.dry_run,
                    batch_size=options.batch_size, after_batch=batch_done)
    _check_ahead(session, plan, source, options, issues, ahead_rows, engine.commits_batches)
    try:
        kept = engine.run(plan.tasks)
    except UnreadableFile as exc:
        return _stopped(sessions, import_id, engine, issues, exc)
    except BaseException as exc:
        _stopped(sessions, import_id, engine, issues, exc)
        raise
    finally:
        if media is not None:
            media.root.close()
    issues.flush(sessions)
    progress(engine.tally.rows, engine.tally.rows)
    notes = plan.notes + _outcome_notes(options, engine, kept)
    return _update(sessions, import_id, status=SUCCEEDED, finished=utcnow(), notes=notes,
                   changeset_id=ctx.changeset_id if kept or options.mode == "partial"
                   else None, **_tallied(engine, issues))


def _stopped(sessions: sessionmaker[Session], import_id: str, engine: Engine,
             issues: IssueLog, exc: BaseException) -> ImportRecord | None:
    """Record an import that stopped midway: unreadable, cancelled, failed or interrupted."""
    from pim.jobs import JobCancelled

    kept = engine.commits_batches and engine.batches > 0
    message = exc.message if isinstance(exc, PrismError) else f"{type(exc).__name__}: {exc}"
    if isinstance(exc, JobCancelled):
        status = CANCELLED
    else:
        status = REFUSED if isinstance(exc, UnreadableFile) and not kept else FAILED
    if kept:
        issues.flush(sessions)
        message += (f" (the import stopped there; the {engine.batches} batch(es) before it "
                    "were kept, and importing the same file again completes it)")
    else:
        message += " (nothing was written)"
    try:
        return _update(sessions, import_id, status=status, error=message, finished=utcnow(),
                       **(_tallied(engine, issues) if kept else {}))
    except Exception:
        log.exception("could not record the end of import %s", import_id)
        return None


def _tallied(engine: Engine, issues: IssueLog) -> dict[str, Any]:
    counts = {kind: dict(outcomes) for kind, outcomes in engine.tally.counts.items()}
    if engine.ctx.side_effects:
        counts["side_effects"] = dict(engine.ctx.side_effects)
    return {"counts": counts, "rows_read": engine.tally.rows + issues.unreadable,
            "rows_failed": engine.tally.failed_rows + issues.unreadable,
            "rows_warned": engine.tally.warned_rows}


def _outcome_notes(options: ImportOptions, engine: Engine, kept: bool) -> list[str]:
    failed = engine.tally.failed_rows
    if options.dry_run:
        return [f"dry run: nothing was written ({failed} row(s) would be refused)"]
    if options.mode == "atomic" and not kept:
        return [f"atomic import: nothing was written because {failed} row(s) were refused"]
    return []


def _check_ahead(session: Session, plan: Plan, source: Path, options: ImportOptions,
                 issues: IssueLog, ahead_rows: int, commits: bool) -> None:
    """Hand large product files to a second process that reads and checks them ahead."""
    if options.create_missing_options:  # their rows change the structure as they land
        return
    rows = {spec.name: spec.estimated_rows for spec in plan.specs}
    for number, task in enumerate(plan.tasks):
        # a file after others sees their writes only once committed
        if (number == 0 or commits) and can_check_ahead(session, task, rows.get(task.name),
                                                        ahead_rows):
            task.ahead = RowsAhead(session, source, options.as_dict(), number, task, issues,
                                   options.batch_size)
            plan.notes.append(f"{task.name} read and checked by a second process, ahead of "
                              "the writes")


def _estimate(plan: Plan) -> int:
    return sum(spec.estimated_rows or 0 for spec in plan.specs)


def _media(options: ImportOptions, source: Path, session: Session, store: Store | None
           ) -> MediaResolver | None:
    root = Path(options.media) if options.media else (source if source.is_dir() else None)
    if root is None:
        return None
    return MediaResolver(MediaRoot(root), session, store, options.dry_run)


def _update(sessions: sessionmaker[Session], import_id: str, **values: Any) -> ImportRecord:
    with sessions() as session:
        record = get_import(session, import_id)
        for name, value in values.items():
            setattr(record, name, value)
        session.commit()
        return record


def revert_import(session: Session, import_id: str, *, author: str) -> dict[str, Any]:
    """Undo everything an import wrote, as one new changeset; return what was done."""
    record = get_import(session, import_id)
    if record.changeset_id is None:
        raise PrismError(f"import {import_id} wrote nothing that can be reverted "
                         f"(status {record.status}"
                         f"{', dry run' if record.options.get('dry_run') else ''})")
    if record.reverted_by:
        raise PrismError(f"import {import_id} was already reverted by changeset "
                         f"{record.reverted_by}")
    try:
        report = s.revert_changeset(session, record.changeset_id, author=author)
    except PrismError as exc:
        session.rollback()
        raise PrismError(f"import {import_id} cannot be reverted as a whole, so nothing was "
                         f"changed: {exc.message}") from exc
    record = get_import(session, import_id)
    record.reverted_by = report.revert_id
    session.commit()
    return report.as_dict()
