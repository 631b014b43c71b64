"""Assets: list with filters, get (metadata, versions, usage), upload (linked by the rules),
edit, replace the file, versions, renditions, delete."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, redirect, request, url_for

from assets.models import Asset, AssetVersion, StoredFile
from assets.renditions import parse_spec
from assets.services import (
    asset_file_versions,
    asset_version,
    count_assets,
    get_asset,
    list_assets,
    update_asset,
)
from pim import get_session
from pim.api import http
from pim.api.blueprint import api, endpoint, principal
from pim.api.content import stamp
from pim.api.errors import ApiError
from pim.api.paging import cursor_envelope, page_envelope, paging, read_query, slice_page
from pim.api.schemas.assets import (
    AssetOut,
    AssetPatch,
    AssetQuery,
    AssetUpload,
    AssetVersionOut,
    BulkAssetUpload,
    FileUpload,
    UploadOut,
)
from pim.api.schemas.common import PageQuery, list_of
from pim.api.schemas.history import JobOut
from pim.api.uploads import LAST_ROW, file_part, form_json, job_started, policy, refusals, storage
from pim.auth.roles import READ, WRITE_CONTENT
from pim.dam.jobs import start_zip_upload
from pim.dam.media_files import media_file_key
from pim.dam.uploads import Upload, replace_asset_file, upload_asset
from pim.dam.usage import asset_usage, remove_asset

TAG = "Assets"
UPLOAD_ERRORS = {413: "Larger than the upload cap", 415: "A file type Prism refuses",
                 422: "A bad file (truncated, lying name, bomb...) or bad fields"}
REDIRECT = {"description": "The rendition's media URL (rendered on first fetch, then kept)",
            "headers": {"Location": {"schema": {"type": "string"}}}}


def iso(moment: Any) -> str | None:
    """A time as ISO 8601, seconds precision."""
    return moment.isoformat(timespec="seconds") if moment else None


def file_data(stored: StoredFile) -> dict[str, Any]:
    """A stored file's description (its key, type, size, hash, pixels, metadata)."""
    return {"key": media_file_key(stored), "media_type": stored.media_type,
            "extension": stored.extension, "size": stored.size, "sha256": stored.sha256,
            "width": stored.width, "height": stored.height, "metadata": stored.meta or {}}


def _links(asset: Asset) -> dict[str, Any]:
    return {"self": {"href": url_for("api.get_asset_view", code=asset.code, _external=True)},
            "download": {"href": url_for("media.asset_file", code=asset.code, _external=True)},
            "renditions": {"href": url_for("api.get_asset_rendition", code=asset.code,
                                           spec="SPEC", _external=True)}}


def _version(version: AssetVersion, code: str) -> dict[str, Any]:
    return {"_links": {"download": {"href": url_for("media.asset_file", code=code,
                                                    number=version.number, _external=True)}},
            "number": version.number, "filename": version.filename, "author": version.author,
            "created": iso(version.created), "file": file_data(version.file)}


def render(asset: Asset, *, detail: bool = False) -> dict[str, Any]:
    """An asset as the API shows it (with versions and usage when `detail`)."""
    point = asset.focal_point
    data: dict[str, Any] = {
        "_links": _links(asset), "code": asset.code, "title": asset.title or {},
        "alt_text": asset.alt_text or {}, "tags": asset.tags,
        "focal_point": {"x": point[0], "y": point[1]} if point else None,
        "current_version": asset.current_version, "created": iso(asset.created),
        "updated": iso(asset.updated), "file": file_data(asset.file)}
    if detail:
        session = get_session()
        data["versions"] = [_version(v, asset.code) for v in asset.versions]
        data["used_by"] = [u.as_dict() for u in asset_usage(session, asset.code)]
    return AssetOut().dump(data)


def _uploaded(done: Upload, status: int) -> Response:
    body = {**render(done.asset), "links": done.links.as_dict()}
    response = http.ok(UploadOut().dump(body), status)
    response.headers["Location"] = url_for("api.get_asset_view", code=done.asset.code,
                                           _external=True)
    return response


@api.get("/assets")
@endpoint("List assets, by code, with filters", tag=TAG, action=READ, query=AssetQuery,
          responses={200: list_of(AssetOut, "Asset")})
def list_assets_view() -> Response:
    args = read_query(AssetQuery)
    page = paging(args)
    session = get_session()
    filters = {key: args.get(key) or None for key in ("text", "media_type", "tag")}
    count = lambda: count_assets(session, **filters)  # noqa: E731
    if page.by_cursor:
        found = list_assets(session, after=page.search_after or None, limit=page.limit + 1,
                            **filters)
        items, more = found[:page.limit], len(found) > page.limit
        return http.ok(cursor_envelope([render(a) for a in items],
                                       items[-1].code if more else None, count,
                                       page.with_count))
    found = list_assets(session, offset=min(page.offset, LAST_ROW), limit=page.limit + 1,
                        **filters)
    return http.ok(page_envelope([render(a) for a in found[:page.limit]], page,
                                 len(found) > page.limit, count))


@api.get("/assets/<code>")
@endpoint("Get an asset: file, metadata (EXIF, IPTC, XMP), versions, texts, tags, focal "
          "point, and the products using it", tag=TAG, action=READ,
          responses={200: AssetOut})
def get_asset_view(code: str) -> Response:
    return http.ok(render(get_asset(get_session(), code), detail=True))


@api.post("/assets")
@endpoint("Upload an asset (multipart); the enabled link rules attach it to products",
          tag=TAG, action=WRITE_CONTENT, body=AssetUpload, body_type="multipart/form-data",
          responses={201: UploadOut, **UPLOAD_ERRORS})
def upload_asset_view() -> Response:
    upload = file_part()
    fields = {"code": request.form.get("code") or None, "tags": _tags(),
              "title": form_json("title"), "alt_text": form_json("alt_text")}
    with refusals():
        done = upload_asset(get_session(), storage(), upload.stream, _filename(upload),
                            policy=policy(), **fields, **stamp())
    return _uploaded(done, 201)


@api.post("/assets/bulk")
@endpoint("Upload a zip archive: each good file becomes an asset, linked by the enabled "
          "rules (a job; an unsafe archive is refused whole at once)", tag=TAG,
          action=WRITE_CONTENT, body=BulkAssetUpload, body_type="multipart/form-data",
          responses={202: JobOut, **UPLOAD_ERRORS})
def upload_assets_zip() -> Response:
    upload = file_part()
    link = request.form.get("link", "true").lower()
    if link not in ("true", "false"):
        raise ApiError(422, "Validation failed.", [
            {"property": "link", "message": "expected true or false"}])
    with refusals():
        job = start_zip_upload(current_app._get_current_object(), upload.stream,
                               _filename(upload), tags=_tags(), link=link == "true",
                               created_by=principal().username)
    return job_started(job)


def _tags() -> list[str]:
    return [tag.strip() for raw in request.form.getlist("tags") for tag in raw.split(",")
            if tag.strip()]


def _filename(upload: Any) -> str:
    return upload.filename or "upload"


@api.patch("/assets/<code>")
@endpoint("Edit an asset's titles, alt texts, tags and focal point", tag=TAG,
          action=WRITE_CONTENT, body=AssetPatch, responses={204: None})
def patch_asset(code: str) -> Response:
    data = http.json_body(AssetPatch)
    update_asset(get_session(), code, data)
    return http.updated("api.get_asset_view", code=code)


@api.post("/assets/<code>/file")
@endpoint("Replace an asset's file: a new version; earlier files stay retrievable", tag=TAG,
          action=WRITE_CONTENT, body=FileUpload, body_type="multipart/form-data",
          responses={201: UploadOut, **UPLOAD_ERRORS})
def replace_asset_file_view(code: str) -> Response:
    get_asset(get_session(), code)
    upload = file_part()
    with refusals():
        done = replace_asset_file(get_session(), storage(), code, upload.stream,
                                  _filename(upload), policy=policy(), **stamp())
    return _uploaded(done, 201)


@api.get("/assets/<code>/versions")
@endpoint("List the files an asset has had, oldest first", tag=TAG, action=READ,
          query=PageQuery, responses={200: list_of(AssetVersionOut, "AssetVersion")})
def list_asset_versions(code: str) -> Response:
    page = paging(read_query(PageQuery))
    versions = asset_file_versions(get_session(), code)
    items, more = slice_page(versions, page)
    return http.ok(page_envelope([AssetVersionOut().dump(_version(v, code)) for v in items],
                                 page, more, lambda: len(versions)))


@api.get("/assets/<code>/versions/<int:number>")
@endpoint("Get one version of an asset's file", tag=TAG, action=READ,
          responses={200: AssetVersionOut})
def get_asset_version(code: str, number: int) -> Response:
    return http.ok(AssetVersionOut().dump(_version(asset_version(get_session(), code, number),
                                                   code)))


@api.get("/assets/<code>/renditions/<spec>")
@endpoint("Go to a rendition of an asset (spec like fill-800x800|format-jpeg; ?version=n "
          "for an earlier file)", tag=TAG, action=READ,
          responses={302: REDIRECT, 422: "Bad spec, bad version, or not an image"})
def get_asset_rendition(code: str, spec: str) -> Response:
    asset = get_asset(get_session(), code)
    canonical = parse_spec(spec).text
    number = request.args.get("version")
    if number is not None and not number.isdigit():
        raise ApiError(422, f"version must be a version number, got {number!r}")
    stored = asset_version(get_session(), code, int(number)).file if number else asset.file
    if not stored.is_image:
        raise ApiError(422, f"asset {code!r} is a {stored.media_type} file: only images have "
                            "renditions")
    values = {"version": int(number)} if number else {}
    return redirect(url_for("media.asset_rendition", code=code, spec=canonical,
                            _external=True, **values))


@api.delete("/assets/<code>")
@endpoint("Delete an asset (refused while products hold it, unless ?unlink=true takes it "
          "out of their values first)", tag=TAG, action=WRITE_CONTENT,
          responses={204: None, 422: "Products still hold the asset"})
def delete_asset_view(code: str) -> Response:
    unlink = request.args.get("unlink", "false").lower()
    if unlink not in ("true", "false"):
        raise ApiError(422, f"unlink is true or false, got {unlink!r}")
    remove_asset(get_session(), storage(), code, unlink=unlink == "true", **stamp())
    return http.no_content()
