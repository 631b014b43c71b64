"""Akeneo's /media-files: upload a file into a product's (or model's) image or file value,
list and describe media files, download one. A media file's code is its key, the value
the product holds (`originals/ab/cd/<sha256>.jpg`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Response, request, url_for
from werkzeug.wsgi import wrap_file

from assets.models import StoredFile
from pim import get_session
from pim.api import http
from pim.api.blueprint import api, endpoint
from pim.api.content import stamp
from pim.api.errors import ApiError
from pim.api.paging import page_envelope, paging, read_query
from pim.api.schemas.assets import MediaFileOut, MediaFileUpload
from pim.api.schemas.common import PageQuery, list_of
from pim.api.uploads import LAST_ROW, file_part, form_json, policy, refusals, storage
from pim.auth.roles import READ, WRITE_CONTENT
from pim.dam.media_files import (
    MediaTarget,
    attach_media_file,
    count_media_files,
    get_media_file,
    list_media_files,
    media_file_key,
    original_filename,
)

TAG = "Media files"
CHUNK = 256 * 1024
BINARY = {"description": "The file's bytes", "content": {"*/*": {"schema": {
    "type": "string", "format": "binary"}}}}
OWNERS = {"product": ("identifier",), "product_model": ("code",)}


def render(stored: StoredFile) -> dict[str, Any]:
    """A media file as Akeneo describes one."""
    code = media_file_key(stored)
    return MediaFileOut().dump({
        "_links": {"self": {"href": url_for("api.get_media_file_view", code=code, _external=True)},
                   "download": {"href": url_for("api.download_media_file", code=code,
                                                _external=True)}},
        "code": code, "original_filename": original_filename(get_session(), stored),
        "mime_type": stored.media_type, "size": stored.size,
        "extension": stored.extension.lstrip(".")})


@api.get("/media-files")
@endpoint("List media files", tag=TAG, action=READ, query=PageQuery,
          responses={200: list_of(MediaFileOut, "MediaFile")})
def list_media_files_view() -> Response:
    page = paging(read_query(PageQuery))
    session = get_session()
    found = list_media_files(session, offset=min(page.offset, LAST_ROW), limit=page.limit + 1)
    return http.ok(page_envelope([render(f) for f in found[:page.limit]], page,
                                 len(found) > page.limit, lambda: count_media_files(session)))


@api.get("/media-files/<path:code>")
@endpoint("Get a media file", tag=TAG, action=READ, responses={200: MediaFileOut})
def get_media_file_view(code: str) -> Response:
    return http.ok(render(get_media_file(get_session(), code)))


@api.get("/media-files/<path:code>/download")
@endpoint("Download a media file", tag=TAG, action=READ, responses={200: BINARY})
def download_media_file(code: str) -> Response:
    session = get_session()
    stored = get_media_file(session, code)
    name = original_filename(session, stored)
    body = wrap_file(request.environ, storage().open(stored.storage_key), buffer_size=CHUNK)
    headers = {"Content-Length": str(stored.size), "ETag": f'"{stored.sha256}"',
               "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
               "X-Content-Type-Options": "nosniff"}
    return Response(body, mimetype=stored.media_type, headers=headers, direct_passthrough=True)


@api.post("/media-files")
@endpoint("Upload a file into a product's or product model's image or file value",
          tag=TAG, action=WRITE_CONTENT, body=MediaFileUpload, body_type="multipart/form-data",
          responses={201: None, 413: "Larger than the upload cap",
                     415: "A file type Prism refuses", 422: "Bad file or bad target"})
def create_media_file() -> Response:
    upload = file_part()
    target = _target()
    with refusals():
        stored = attach_media_file(get_session(), storage(), upload.stream,
                                   upload.filename or "upload", target, policy=policy(),
                                   **stamp())
    return http.created("api.get_media_file_view", code=media_file_key(stored))


def _target() -> MediaTarget:
    given = [name for name in OWNERS if request.form.get(name) is not None]
    if len(given) != 1:
        raise ApiError(422, "Validation failed.", [{
            "property": "product", "message": "give exactly one of the multipart parts "
                                              "'product' and 'product_model' (JSON)"}])
    owner = given[0]
    data = form_json(owner)
    if not isinstance(data, dict):
        raise ApiError(422, "Validation failed.", [
            {"property": owner, "message": "expected a JSON object"}])
    (key,) = OWNERS[owner]
    problems = [{"property": f"{owner}.{name}", "message": "expected a text"}
                for name in (key, "attribute") if not isinstance(data.get(name), str)]
    problems += [{"property": f"{owner}.{name}", "message": "expected a text or null"}
                 for name in ("locale", "scope") if not isinstance(data.get(name), str | None)]
    if problems:
        raise ApiError(422, "Validation failed.", problems)
    return MediaTarget(owner, data[key], data["attribute"], data.get("locale"),
                       data.get("scope"))
