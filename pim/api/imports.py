"""Prism's import resources: upload a file to import (run as a job), follow it, read its
report, download its failed rows as CSV, and revert it whole.
"""

from __future__ import annotations

import shutil
from typing import Any

from flask import Response, current_app, request
from marshmallow import Schema, fields, validate

from pim import get_session
from pim.api import http
from pim.api.blueprint import api, endpoint, principal
from pim.api.errors import ApiError
from pim.api.paging import read_query, self_link
from pim.api.schemas.common import Loose
from pim.auth.roles import MANAGE_STRUCTURE, READ, WRITE_CONTENT
from pim.errors import NotFound
from pim.imports.cells import CellProblem, parse_bool
from pim.imports.engine import MODES
from pim.imports.jobs import start_import
from pim.imports.report import (
    failed_files,
    failed_rows_csv,
    get_import,
    import_report,
    list_imports,
    record_as_dict,
)
from pim.imports.runs import revert_import
from pim.imports.sources import ImportOptions
from pim.imports.structure_rights import needs_structure_rights, wrote_structure
from pim.imports.uploads import UploadRefused, keep_upload, upload_folder

TAG = "Imports"
MULTIPART = "multipart/form-data"
BINARY = {"type": "string", "format": "binary"}
FRAMING = 64 * 1024
FLAGS = ("dry_run", "ignore_unknown_columns", "create_missing_options")
FORMATS = "akeneo, xlsx, shopify or profile:NAME; found from the file when left out"


class ImportUpload(Schema):
    """A file to import and how to import it."""

    file = fields.Raw(required=True, metadata={**BINARY, "description":
                                               "CSV, XLSX, or a zip of an Akeneo export"})
    media = fields.Raw(metadata={**BINARY, "description": "zip of the media files rows name"})
    format = fields.String(metadata={"description": FORMATS})
    mode = fields.String(validate=validate.OneOf(MODES))
    dry_run = fields.Boolean()
    ignore_unknown_columns = fields.Boolean()
    create_missing_options = fields.Boolean()
    currency = fields.String(metadata={"description": "Shopify: currency of the prices"})
    locale = fields.String(metadata={"description": "Shopify: locale of the texts"})


class ImportOut(Schema):
    """An import: what was asked, how it went, what it wrote."""

    _links = fields.Dict(data_key="_links", required=True)
    id = fields.String(required=True)
    job_id = fields.String(required=True, allow_none=True)
    source = fields.String(required=True)
    format = fields.String(required=True)
    options = fields.Dict(required=True)
    status = fields.String(required=True)
    changeset_id = fields.String(required=True, allow_none=True)
    counts = fields.Dict(required=True)
    files = fields.List(fields.Dict(), required=True)
    notes = fields.List(fields.Raw(), required=True)
    rows_read = fields.Integer(required=True)
    rows_failed = fields.Integer(required=True)
    rows_warned = fields.Integer(required=True)
    error = fields.String(required=True, allow_none=True)
    created_by = fields.String(required=True, allow_none=True)
    created = fields.String(required=True, allow_none=True)
    started = fields.String(required=True, allow_none=True)
    finished = fields.String(required=True, allow_none=True)
    reverted_by = fields.String(required=True, allow_none=True)


class ImportListOut(Schema):
    items = fields.List(fields.Nested(ImportOut), required=True)


class ImportReportQuery(Loose):
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class ImportReportOut(ImportOut):
    issue_totals = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    issues = fields.List(fields.Dict(), required=True)


class ImportFailedRowsQuery(Loose):
    file = fields.String(metadata={"description": "which file, when several had failures"})


class ImportRevertOut(Schema):
    changeset = fields.String(required=True)
    revert_changeset = fields.String(required=True)
    reverted = fields.List(fields.String(), required=True)
    removed = fields.List(fields.String(), required=True)
    conflicts = fields.List(fields.Dict(), required=True)


def _import(record: Any) -> dict[str, Any]:
    data = record_as_dict(record)
    links = self_link("api.get_import_view", import_id=record.id)
    links["report"] = {"href": links["self"]["href"] + "/report"}
    links["failed_rows"] = {"href": links["self"]["href"] + "/failed-rows"}
    if record.job_id and "api.get_job" in current_app.view_functions:
        links["job"] = self_link("api.get_job", job_id=record.job_id)["self"]
    return {"_links": links, **data}


def _options() -> ImportOptions:
    form = request.form
    problems = []
    flags = {}
    for name in FLAGS:
        try:
            flags[name] = bool(parse_bool(form.get(name, "")))
        except CellProblem as exc:
            problems.append({"property": name, "message": str(exc)})
    mode = form.get("mode", "partial")
    if mode not in MODES:
        problems.append({"property": "mode", "message": f"mode is one of {', '.join(MODES)}"})
    fmt = form.get("format") or None
    if fmt and fmt not in ("akeneo", "xlsx", "shopify") and not (
            fmt.startswith("profile:") and len(fmt) > len("profile:")):
        problems.append({"property": "format", "message": f"format is one of: {FORMATS}"})
    if problems:
        raise ApiError(422, "Validation failed.", problems)
    return ImportOptions(format=fmt, mode=mode, currency=form.get("currency") or None,
                         locale=form.get("locale") or None, **flags)


@api.post("/imports")
@endpoint("Import a file (CSV, XLSX, or a zip of an Akeneo export) as a job", tag=TAG,
          action=WRITE_CONTENT, body=ImportUpload, body_type=MULTIPART,
          responses={202: ImportOut, 413: "Larger than the import cap",
                     415: "Not a multipart body", 422: "Bad options or an unreadable archive"})
def start_import_view() -> Response:
    if request.mimetype != MULTIPART:
        raise ApiError(415, f"'{request.mimetype or 'none'}' in 'Content-type' header is not "
                            f"valid. Only '{MULTIPART}' is allowed.")
    cap = int(current_app.config["IMPORT_MAX_BYTES"])
    request.max_content_length = cap + FRAMING
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ApiError(422, "Validation failed.", [
            {"property": "file", "message": "attach the file as the multipart part 'file'"}])
    options = _options()
    folder = upload_folder(current_app.config["INSTANCE_PATH"])
    try:
        path = _kept(upload, folder, cap)
        media = request.files.get("media")
        if media is not None and media.filename:
            options.media = str(_kept(media, folder / "media", cap))
        if needs_structure_rights(get_session(), path, options):
            principal().require(MANAGE_STRUCTURE)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    get_session().commit()  # the import runs in sessions of its own
    record = start_import(current_app._get_current_object(), path, options,
                          created_by=principal().username, source_name=upload.filename)
    response = http.ok(ImportOut().dump(_import(record)), 202)
    response.headers["Location"] = _import(record)["_links"]["self"]["href"]
    return response


def _kept(upload: Any, folder: Any, cap: int) -> Any:
    folder.mkdir(parents=True, exist_ok=True)
    try:
        return keep_upload(upload.stream, upload.filename, folder, cap)
    except UploadRefused as exc:
        status = 413 if "larger than" in exc.message or "more than" in exc.message else 422
        raise ApiError(status, exc.message) from None


@api.get("/imports")
@endpoint("List imports, newest first", tag=TAG, action=READ, query=ImportReportQuery,
          responses={200: ImportListOut})
def list_imports_view() -> Response:
    args = read_query(ImportReportQuery)
    records = list_imports(get_session(), args["offset"] + args["limit"])[args["offset"]:]
    return http.ok(ImportListOut().dump({"items": [_import(r) for r in records]}))


@api.get("/imports/<import_id>")
@endpoint("Get an import: status, counts, files, notes", tag=TAG, action=READ,
          responses={200: ImportOut, 404: "Unknown import"})
def get_import_view(import_id: str) -> Response:
    return http.ok(ImportOut().dump(_import(get_import(get_session(), import_id))))


@api.get("/imports/<import_id>/report")
@endpoint("An import's report: per row and column, what was wrong and the value", tag=TAG,
          action=READ, query=ImportReportQuery,
          responses={200: ImportReportOut, 404: "Unknown import"})
def import_report_view(import_id: str) -> Response:
    args = read_query(ImportReportQuery)
    session = get_session()
    report = import_report(session, import_id, offset=args["offset"], limit=args["limit"])
    report["_links"] = _import(get_import(session, import_id))["_links"]
    return http.ok(ImportReportOut().dump(report))


@api.get("/imports/<import_id>/failed-rows")
@endpoint("The refused rows as CSV with an error column, to fix and import again", tag=TAG,
          action=READ, query=ImportFailedRowsQuery,
          responses={200: {"description": "The CSV", "content": {"text/csv": {}}},
                     404: "Unknown import, or no refused row", 422: "Several files failed"})
def failed_rows_view(import_id: str) -> Response:
    args = read_query(ImportFailedRowsQuery)
    session = get_session()
    name = args.get("file")
    if name is None:
        files = failed_files(session, import_id)
        if len(files) > 1:
            raise ApiError(422, "Several files have refused rows; name one with ?file=",
                           [{"property": "file", "message": f"one of {', '.join(files)}"}])
    try:
        filename, lines = failed_rows_csv(session, import_id, name)
    except NotFound as exc:
        raise ApiError(404, exc.message) from None
    body = "".join(lines).encode("utf-8")
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=\"{filename}\""})


@api.post("/imports/<import_id>/revert")
@endpoint("Revert everything an import wrote, as one new changeset", tag=TAG,
          action=WRITE_CONTENT, responses={200: ImportRevertOut, 404: "Unknown import",
                                           422: "Nothing to revert, or already reverted"})
def revert_import_view(import_id: str) -> Response:
    session = get_session()
    if wrote_structure(get_import(session, import_id)):
        principal().require(MANAGE_STRUCTURE)
    return http.ok(ImportRevertOut().dump(revert_import(session, import_id,
                                                  author=principal().username)))
