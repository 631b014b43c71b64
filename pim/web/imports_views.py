"""Imports: upload a file, preview it on its first rows, dry run, run with a live progress
bar, read the report, download the refused rows, revert the whole import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from pim import get_session
from pim.auth.roles import MANAGE_STRUCTURE, WRITE_CONTENT
from pim.errors import PrismError
from pim.imports.jobs import start_import
from pim.imports.profiles import list_profiles
from pim.imports.report import failed_files, failed_rows_csv, get_import, import_report
from pim.imports.report import list_imports as recent_imports
from pim.imports.runs import revert_import
from pim.imports.sources import ImportOptions
from pim.imports.structure_rights import needs_structure_rights, wrote_structure
from pim.jobs import get_job, stale_after
from pim.web.import_preview import preview_import, stage_upload, staged_file
from pim.web.security import can

bp = Blueprint("imports_ui", __name__, url_prefix="/imports")
bp.prism_action = WRITE_CONTENT  # type: ignore[attr-defined]
ISSUES_PAGE = 100
FORMATS = {"": "detect", "akeneo": "Akeneo CSV", "xlsx": "Akeneo XLSX", "shopify": "Shopify CSV"}
STRUCTURE_REFUSED = ("This import may change the catalog's structure (attributes, options, "
                     "families, categories, channels): only an administrator may run it. "
                     "Nothing was imported.")
REVERT_REFUSED = ("This import changed the catalog's structure: only an administrator may "
                  "revert it. Nothing was changed.")


def _formats() -> dict[str, str]:
    formats = dict(FORMATS)
    for profile in list_profiles(get_session()):
        formats[f"profile:{profile.name}"] = f"mapping profile {profile.name}"
    return formats


def options_from(form: MultiDict) -> ImportOptions:
    """Read the import options of the upload and preview forms."""
    return ImportOptions(
        format=form.get("format") or None,
        mode="atomic" if form.get("mode") == "atomic" else "partial",
        dry_run=form.get("dry_run") == "1",
        ignore_unknown_columns=form.get("ignore_unknown_columns") == "1",
        create_missing_options=form.get("create_missing_options") == "1",
        currency=(form.get("currency") or "").strip().upper() or None,
        locale=(form.get("locale") or "").strip() or None)


@bp.route("")
def index() -> str:
    """List recent imports and offer the upload form."""
    return render_template("imports/index.html", imports=recent_imports(get_session(), 50),
                           formats=_formats())


@bp.route("", methods=["POST"])
def upload() -> Response:
    """Keep the uploaded file and show its preview."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash("Choose a file to import.", "error")
        return redirect(url_for("imports_ui.index"))
    token = stage_upload(current_app.config["INSTANCE_PATH"], upload.stream, upload.filename)
    args = {k: v for k, v in request.form.items() if k != "csrf_token" and v}
    return redirect(url_for("imports_ui.preview", token=token, name=upload.filename, **args))


@bp.route("/staged/<token>")
def preview(token: str) -> str:
    """Show what the importer makes of the staged file, before anything is written."""
    path = staged_file(current_app.config["INSTANCE_PATH"], token)
    if path is None:
        abort(404)
    options = options_from(request.args)
    found = preview_import(get_session(), path, options)
    return render_template("imports/preview.html", token=token, preview=found,
                           options=options, name=request.args.get("name") or path.name,
                           formats=_formats())


@bp.route("/staged/<token>", methods=["POST"])
def start(token: str) -> Response:
    """Run the import of the staged file (a dry run, or for real) as a job."""
    path = staged_file(current_app.config["INSTANCE_PATH"], token)
    if path is None:
        abort(404)
    options = options_from(request.form)
    if not can(MANAGE_STRUCTURE) and needs_structure_rights(get_session(), path, options):
        flash(STRUCTURE_REFUSED, "error")
        return redirect(url_for("imports_ui.preview", token=token,
                                name=request.form.get("name") or path.name))
    get_session().commit()  # end this request's transaction before the job writes
    record = start_import(current_app._get_current_object(), path, options,
                         created_by=current_user.username,
                         source_name=request.form.get("name") or path.name)
    return redirect(url_for("imports_ui.show", import_id=record.id))


@bp.route("/<import_id>")
def show(import_id: str) -> str:
    """Show an import: its live progress while it runs, then its report."""
    db = get_session()
    offset = max(0, request.args.get("offset", type=int) or 0)
    report = import_report(db, import_id, offset=offset, limit=ISSUES_PAGE)
    record = get_import(db, import_id)
    job = get_job(db, record.job_id) if record.job_id else None
    return render_template(
        "imports/show.html", record=record, report=report, job=job,
        info=job.as_dict(stale_after(current_app)) if job else None,
        failed=failed_files(db, import_id), offset=offset, page=ISSUES_PAGE,
        rerun=_rerun_args(record.options))


def _rerun_args(options: dict[str, Any]) -> dict[str, str]:
    """The form fields that run the same import again, for real."""
    fields = {"format": options.get("format") or "", "mode": options.get("mode") or "partial",
              "currency": options.get("currency") or "", "locale": options.get("locale") or ""}
    for flag in ("ignore_unknown_columns", "create_missing_options"):
        if options.get(flag):
            fields[flag] = "1"
    return fields


@bp.route("/<import_id>/again", methods=["POST"])
def again(import_id: str) -> Response:
    """Run an import's file again with its options (after a dry run: for real)."""
    db = get_session()
    record = get_import(db, import_id)
    options = options_from(request.form)
    source, name = record.source, record.source_name
    if not can(MANAGE_STRUCTURE) and needs_structure_rights(db, Path(source), options):
        flash(STRUCTURE_REFUSED, "error")
        return redirect(url_for("imports_ui.show", import_id=import_id))
    db.commit()
    again = start_import(current_app._get_current_object(), source, options,
                         created_by=current_user.username, source_name=name)
    return redirect(url_for("imports_ui.show", import_id=again.id))


@bp.route("/<import_id>/failed.csv")
def failed_rows(import_id: str) -> Response:
    """Download the refused rows of one file, with an error column, to fix and re-import."""
    name, lines = failed_rows_csv(get_session(), import_id, request.args.get("file") or None)
    response = Response(stream_with_context(lines), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/<import_id>/revert", methods=["POST"])
def revert(import_id: str) -> Response:
    """Undo everything the import wrote, as one new changeset."""
    db = get_session()
    if not can(MANAGE_STRUCTURE) and wrote_structure(get_import(db, import_id)):
        flash(REVERT_REFUSED, "error")
        return redirect(url_for("imports_ui.show", import_id=import_id))
    try:
        report = revert_import(db, import_id, author=current_user.username)
    except PrismError as exc:
        db.rollback()
        flash(exc.message, "error")
    else:
        flash(f"Import reverted: {len(report['reverted'])} put back, "
              f"{len(report['removed'])} removed, {len(report['conflicts'])} left alone "
              "(changed again since).", "success")
    return redirect(url_for("imports_ui.show", import_id=import_id))
