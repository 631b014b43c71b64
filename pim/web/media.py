"""Serve asset files and renditions from the storage, with ETag, Last-Modified and 304s.

URLs (all GET/HEAD):
  /media/assets/<code>                      the current file of an asset
  /media/assets/<code>/v<n>                 the file of version n
  /media/assets/<code>/renditions/<spec>    a rendition (spec URL-encoded: | is %7C);
                                            ?version=n renders an earlier version
  /media/files/<key>                        the bytes behind an image or file value
                                            (its media file key; content-addressed)
A URL pinned to a version never changes, so it is cached for a year; the others for
five minutes, then revalidated with the ETag.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from werkzeug.wsgi import wrap_file

import assets
from assets.errors import NotAnImage, RenditionSpecError
from assets.renditions import rendition_for
from assets.services import asset_version
from pim import get_session
from pim.dam.media_files import get_media_file
from pim.errors import NotFound, PrismError, StorageError

blueprint = Blueprint("media", __name__, url_prefix="/media")
PINNED = "public, max-age=31536000, immutable"
CURRENT = "public, max-age=300"
CHUNK = 256 * 1024


def init_media(app: Flask) -> None:
    """Open the asset storage for the app and serve media under /media."""
    assets.init_app(app)
    app.register_blueprint(blueprint)


@blueprint.get("/assets/<code>")
@blueprint.get("/assets/<code>/v<int:number>")
def asset_file(code: str, number: int | None = None) -> Response:
    """Send the original file of an asset (its current version unless one is named)."""
    version = asset_version(get_session(), code, number)
    stored = version.file
    name = PurePosixPath(version.filename).stem + stored.extension
    return _send(stored.storage_key, stored.sha256, stored.created, stored.media_type,
                 stored.size, PINNED if number is not None else CURRENT, name)


@blueprint.get("/files/<path:key>")
def media_file(key: str) -> Response:
    """Send the file behind a media file key; the key names its bytes, so it never changes."""
    stored = get_media_file(get_session(), key)
    return _send(stored.storage_key, stored.sha256, stored.created, stored.media_type,
                 stored.size, PINNED, PurePosixPath(key).name)


@blueprint.get("/assets/<code>/renditions/<spec>")
def asset_rendition(code: str, spec: str) -> Response:
    """Send a rendition of an asset, generating and keeping it on first request."""
    number = request.args.get("version", type=int)
    storage = current_app.extensions["prism.storage"]
    rendition = rendition_for(get_session(), storage, code, spec, version=number)
    cache = PINNED if number is not None else CURRENT
    name = f"{code}-{rendition.width}x{rendition.height}{_extension(rendition.media_type)}"
    return _send(rendition.storage_key, rendition.sha256, rendition.created,
                 rendition.media_type, rendition.size, cache, name)


def _send(key: str, sha256: str, modified: dt.datetime, media_type: str, size: int,
          cache: str, filename: str) -> Response:
    headers = {"ETag": f'"{sha256}"', "Cache-Control": cache,
               "Last-Modified": _http_date(modified), "X-Content-Type-Options": "nosniff"}
    if _not_modified(sha256, modified):
        return Response(status=304, headers=headers)
    stream = current_app.extensions["prism.storage"].open(key)
    body = wrap_file(request.environ, stream, buffer_size=CHUNK)
    headers["Content-Length"] = str(size)
    headers["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    return Response(body, mimetype=media_type, headers=headers, direct_passthrough=True)


def _not_modified(sha256: str, modified: dt.datetime) -> bool:
    if request.if_none_match:
        return request.if_none_match.star_tag or sha256 in request.if_none_match
    since = request.if_modified_since
    return since is not None and modified.replace(microsecond=0) <= since


def _http_date(moment: dt.datetime) -> str:
    from werkzeug.http import http_date

    return http_date(moment)


def _extension(media_type: str) -> str:
    return {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}.get(media_type, "")


@blueprint.errorhandler(PrismError)
def _refused(error: PrismError) -> Any:
    status = 500
    if isinstance(error, NotFound):
        status = 404
    elif isinstance(error, RenditionSpecError | NotAnImage):
        status = 400
    elif isinstance(error, StorageError):
        status = 503
    return jsonify({"code": status, "message": error.message}), status
