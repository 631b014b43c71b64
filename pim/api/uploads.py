"""Multipart uploads of the API: streamed to disk under the size cap, refusals as 4xx.

The request's body cap is raised to the upload cap (plus room for the multipart framing)
before the form is parsed, so a body announcing more is refused at once and a streamed
one as soon as it passes the cap; the ingest pipeline checks the file part itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Response, current_app, request, url_for
from werkzeug.datastructures import FileStorage

from assets.errors import AssetRejected, MediaTypeRefused, UploadTooLarge
from assets.policy import IngestPolicy
from assets.storage import Storage
from pim.api.errors import ApiError
from pim.api.http import ok
from pim.api.paging import self_link
from pim.api.schemas.history import JobOut
from pim.jobs import stale_after

MULTIPART = "multipart/form-data"
FRAMING = 64 * 1024
# no page starts further than this (databases refuse larger offsets)
LAST_ROW = 2**62


def job_started(job: Any) -> Response:
    """Answer 202 with the job resource and its Location."""
    data = job.as_dict(stale_after(current_app))
    data["_links"] = self_link("api.get_job", job_id=job.id)
    response = ok(JobOut().dump(data), 202)
    response.headers["Location"] = url_for("api.get_job", job_id=job.id, _external=True)
    return response


def storage() -> Storage:
    """The app's asset storage."""
    return current_app.extensions["prism.storage"]


def policy() -> IngestPolicy:
    """The app's ingest rules."""
    return current_app.extensions["prism.ingest_policy"]


def file_part(name: str = "file") -> FileStorage:
    """Return the uploaded file part `name` of a multipart body (415/413/422 otherwise)."""
    if request.mimetype != MULTIPART:
        raise ApiError(415, f"'{request.mimetype or 'none'}' in 'Content-type' header is not "
                            f"valid. Only '{MULTIPART}' is allowed.")
    request.max_content_length = policy().max_bytes + FRAMING
    upload = request.files.get(name)
    if upload is None:
        raise ApiError(422, "Validation failed.", [
            {"property": name, "message": f"attach the file as the multipart part {name!r}"}])
    return upload


def form_json(name: str) -> Any:
    """Return a multipart text part holding JSON (None when absent; 422 when unreadable)."""
    raw = request.form.get(name)
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise ApiError(422, "Validation failed.", [
            {"property": name, "message": "expected JSON"}]) from None


@contextmanager
def refusals() -> Iterator[None]:
    """Turn a refused upload into 413 (too large), 415 (type refused) or 422 (bad file)."""
    try:
        yield
    except UploadTooLarge as exc:
        raise ApiError(413, exc.message) from None
    except MediaTypeRefused as exc:
        raise ApiError(415, exc.message) from None
    except AssetRejected as exc:
        raise ApiError(422, exc.message, [{"property": "file", "message": exc.reason}]
                       ) from None
