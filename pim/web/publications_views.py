"""Publications: a run's report with its live progress, its output, and rollback."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.wsgi import wrap_file

from exporters.archive import open_plain
from exporters.publishing import (
    dump_publication,
    get_publication,
    problems_by_rule,
    publication_problems,
    start_rollback,
)
from pim import get_session
from pim.auth.roles import WRITE_CONTENT
from pim.errors import NotFound, PrismError
from pim.jobs import get_job, stale_after
from pim.web.security import requires

bp = Blueprint("publications_ui", __name__, url_prefix="/publications")
PROBLEMS = 200


@bp.route("/<int:publication_id>")
def show(publication_id: int) -> str:
    """Show a publication: progress while it runs, then counts, problems and deliveries."""
    db = get_session()
    publication = get_publication(db, publication_id)
    job = get_job(db, publication.job_id) if publication.job_id else None
    return render_template(
        "channels/publication.html", publication=publication,
        data=dump_publication(publication), job=job,
        info=job.as_dict(stale_after(current_app)) if job else None,
        rules=problems_by_rule(db, publication_id),
        problems=publication_problems(db, publication_id, limit=PROBLEMS))


@bp.route("/<int:publication_id>/download")
def download(publication_id: int) -> Response:
    """Send the publication's output file, as it was published."""
    publication = get_publication(get_session(), publication_id)
    if not publication.archive_key or not publication.file_name:
        raise NotFound("output of publication", publication_id)
    stream = open_plain(current_app.extensions["prism.storage"], publication.archive_key)
    body = wrap_file(request.environ, stream)
    response = Response(body, mimetype=publication.media_type or "application/octet-stream",
                        direct_passthrough=True)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{publication.id}-{publication.file_name}"')
    return response


@bp.route("/<int:publication_id>/rollback", methods=["POST"])
@requires(WRITE_CONTENT)
def rollback(publication_id: int) -> Response:
    """Put this publication's output back live, as a new publication."""
    db = get_session()
    channel = get_publication(db, publication_id).channel_code
    db.commit()
    try:
        again = start_rollback(current_app._get_current_object(), publication_id,
                               created_by=current_user.username)
    except PrismError as exc:
        flash(f"Not rolled back: {exc.message}", "error")
        return redirect(url_for("channels_ui.show", code=channel))
    return redirect(url_for("publications_ui.show", publication_id=again.id))
