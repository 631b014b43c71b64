"""Asset work as jobs: bulk ingest of a zip or folder, linking by rule, pre-generating
renditions (a channel's presets over the assets its products show).

`start_*` check their input, then hand the job to the runner and return its row; the
handlers report progress, stop when cancelled, and return a JSON report.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from flask import Flask

from assets.links import list_link_rules
from assets.renditions import parse_spec, pregenerate
from assets.spool import spooled
from pim.dam.linking import link_assets
from pim.dam.presets import channel_presets
from pim.dam.uploads import check_zip, ingest_archive, ingest_path
from pim.dam.usage import channel_asset_codes
from pim.errors import FieldError, NotFound, ValidationError
from pim.jobs import Job, JobContext, job_handler, submit_job

INGEST = "assets.ingest_zip"
LINK = "assets.link"
PREGENERATE = "assets.pregenerate"
SHOWN = 200
STAGING = "staging/"


def start_ingest(app: Flask, path: str | Path, *, tags: Sequence[str] = (), link: bool = True,
                 created_by: str | None = None) -> Job:
    """Ingest a zip archive or a folder (a path the job's worker can read) as a job."""
    found = Path(path).expanduser().resolve()
    if not found.exists():
        raise ValidationError([FieldError("path", f"{path}: there is no file or folder there")])
    params = {"path": str(found), "tags": list(tags), "link": link}
    return submit_job(app, INGEST, params, created_by)


def start_zip_upload(app: Flask, stream: BinaryIO, filename: str, *, tags: Sequence[str] = (),
                     link: bool = True, created_by: str | None = None) -> Job:
    """Check an uploaded zip (refused whole if unsafe), keep it in the storage where any
    worker reads it, and ingest it as a job (which removes it when done)."""
    storage, policy = app.extensions["prism.storage"], app.extensions["prism.ingest_policy"]
    with spooled(stream, filename, policy.max_bytes) as upload:
        check_zip(upload.path, filename, policy)
        key = f"{STAGING}{uuid.uuid4().hex}.zip"
        with upload.path.open("rb") as source:
            storage.put(key, source, content_type="application/zip")
    params = {"staged": key, "name": filename, "tags": list(tags), "link": link}
    try:
        return submit_job(app, INGEST, params, created_by)
    except BaseException:
        storage.delete(key)
        raise


def start_linking(app: Flask, *, asset_codes: Sequence[str] | None = None,
                  rule_codes: Sequence[str] | None = None,
                  created_by: str | None = None) -> Job:
    """Apply link rules (the named ones, else the enabled ones) to assets as a job."""
    with app.extensions["prism.sessions"]() as session:
        known = {rule.code for rule in list_link_rules(session)}
    for code in rule_codes or ():
        if code not in known:
            raise NotFound("Link rule", code)
    params = {"asset_codes": list(asset_codes) if asset_codes is not None else None,
              "rules": list(rule_codes or [])}
    return submit_job(app, LINK, params, created_by)


def start_pregenerate(app: Flask, *, channel: str | None = None,
                      specs: Sequence[str] | None = None,
                      created_by: str | None = None) -> Job:
    """Pre-generate renditions as a job: a channel's presets over its assets, or `specs`
    over every image asset."""
    with app.extensions["prism.sessions"]() as session:
        wanted = list(specs or [])
        if channel is not None:
            wanted = wanted or sorted(set(channel_presets(session, channel).values()))
    errors = [FieldError("specs", e.message, value=text) for text in wanted
              for e in _spec_problems(text)]
    if not wanted:
        errors.append(FieldError("specs", f"channel {channel!r} names no image presets"
                                 if channel else "give at least one spec"))
    if errors:
        raise ValidationError(errors)
    return submit_job(app, PREGENERATE, {"channel": channel, "specs": wanted}, created_by)


def _spec_problems(text: str) -> list[FieldError]:
    try:
        parse_spec(text)
    except ValidationError as exc:
        return exc.errors
    return []


def _progress(ctx: JobContext) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        ctx.progress(done, total)
        ctx.raise_if_cancelled()

    return report


def _tools(ctx: JobContext) -> tuple[Any, Any]:
    return ctx.app.extensions["prism.storage"], ctx.app.extensions["prism.ingest_policy"]


def _author(ctx: JobContext) -> str:
    return ctx.created_by or "prism"


@job_handler(INGEST)
def ingest_job(ctx: JobContext, path: str | None = None, staged: str | None = None,
               name: str | None = None, tags: list[str] | None = None,
               link: bool = True) -> dict[str, Any]:
    """Ingest every file of a zip or folder (a path, or a zip staged in the storage) as an
    asset, then link the new ones by rule."""
    storage, policy = _tools(ctx)
    options = {"policy": policy, "author": _author(ctx), "source": f"link:{ctx.job_id}",
               "tags": tags or (), "link": link, "progress": _progress(ctx)}
    with ctx.session() as session:
        if staged is None:
            result = ingest_path(session, storage, Path(path or ""), **options)
        else:
            try:
                with storage.open(staged) as stream:
                    result = ingest_archive(session, storage, stream, name or staged, **options)
            finally:
                storage.delete(staged)
    if result.links.changeset_id:
        ctx.set_changeset(result.links.changeset_id)
    return result.as_dict()


@job_handler(LINK)
def link_job(ctx: JobContext, asset_codes: list[str] | None = None,
             rules: list[str] | None = None) -> dict[str, Any]:
    """Apply link rules to stored assets."""
    with ctx.session() as session:
        report = link_assets(session, asset_codes=asset_codes, rule_codes=rules,
                             author=_author(ctx), source=f"link:{ctx.job_id}")
    ctx.progress(len(report.outcomes), len(report.outcomes))
    if report.changeset_id:
        ctx.set_changeset(report.changeset_id)
    return report.as_dict()


@job_handler(PREGENERATE)
def pregenerate_job(ctx: JobContext, specs: list[str], channel: str | None = None
                    ) -> dict[str, Any]:
    """Render each spec of each asset (a channel's assets, else every image asset) once."""
    storage, _ = _tools(ctx)
    with ctx.session() as session:
        codes = channel_asset_codes(session, channel) if channel else None
        report = pregenerate(session, storage, codes, specs, progress=_progress(ctx))
    return {"channel": channel, "specs": specs,
            "assets": len(codes) if codes is not None else None,
            "generated": report.generated, "reused": report.reused,
            "skipped": report.skipped[:SHOWN],
            "failed": [{"asset": code, "spec": spec, "message": message}
                       for code, spec, message in report.failed[:SHOWN]]}
