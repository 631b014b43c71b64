"""The feed URL face: `/feeds/<channel>/<secret>/<file>` sends a channel's live output.

Answers carry a strong ETag (the output's SHA-256; its gzip form has its own), the time
the publication went live as Last-Modified, and honour If-None-Match / If-Modified-Since
with 304. A client that accepts gzip gets the stored gzip bytes as they are.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Flask, Response, current_app, request
from werkzeug.http import http_date
from werkzeug.wsgi import wrap_file

from exporters.archive import open_plain
from exporters.feeds import FeedFile, live_feed_file
from pim import get_session
from pim.errors import NotFound, StorageError

blueprint = Blueprint("feeds", __name__, url_prefix="/feeds")
CHUNK = 256 * 1024
TEXTUAL = ("text/", "application/xml", "application/json", "application/x-ndjson")


def init_feeds(app: Flask) -> None:
    """Serve feed URLs and let this process run publication jobs."""
    import exporters.jobs  # noqa: F401  (registers the publish job handler)

    app.register_blueprint(blueprint)


@blueprint.get("/<channel>/<secret>/<file_name>")
def feed(channel: str, secret: str, file_name: str) -> Response:
    """Send the live output `file_name` of `channel`."""
    found = live_feed_file(get_session(), channel, secret, file_name)
    gzipped = request.accept_encodings["gzip"] > 0
    tag = f"{found.checksum}-gzip" if gzipped else found.checksum
    headers = {"ETag": f'"{tag}"', "Last-Modified": http_date(found.modified),
               "Cache-Control": "no-cache", "Vary": "Accept-Encoding",
               "X-Content-Type-Options": "nosniff"}
    if _not_modified(tag, found.modified):
        return Response(status=304, headers=headers)
    return _send(found, gzipped, headers)


def _send(found: FeedFile, gzipped: bool, headers: dict[str, str]) -> Response:
    storage = current_app.extensions["prism.storage"]
    if gzipped:
        stream: Any = storage.open(found.archive_key)
        headers["Content-Encoding"] = "gzip"
    else:
        stream = open_plain(storage, found.archive_key)
    mimetype = found.media_type
    if mimetype.startswith(TEXTUAL):
        mimetype += "; charset=utf-8"
    headers["Content-Disposition"] = f'inline; filename="{found.file_name}"'
    body = wrap_file(request.environ, stream, buffer_size=CHUNK)
    return Response(body, headers=headers, content_type=mimetype, direct_passthrough=True)


def _not_modified(tag: str, modified: dt.datetime) -> bool:
    if request.if_none_match:
        return request.if_none_match.star_tag or tag in request.if_none_match
    since = request.if_modified_since
    return since is not None and modified.replace(microsecond=0) <= since


@blueprint.errorhandler(NotFound)
def _not_found(_error: NotFound) -> Response:
    # the same answer for an unknown channel, a wrong secret or a missing file
    return Response("No such feed.\n", status=404, mimetype="text/plain")


@blueprint.errorhandler(StorageError)
def _unavailable(error: StorageError) -> Response:
    return Response(f"The feed is unavailable: {error.message}\n", status=503,
                    mimetype="text/plain")
