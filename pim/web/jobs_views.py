"""Jobs in the UI: a page per job with a live progress bar (htmx polls it) and cancel."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from pim import get_session
from pim.jobs import cancel_job, get_job, list_jobs, stale_after

bp = Blueprint("jobs_ui", __name__, url_prefix="/jobs")


@bp.route("/")
def index() -> str:
    """List recent jobs."""
    return render_template("jobs/index.html", jobs=list_jobs(get_session(), limit=100))


@bp.route("/<job_id>")
def show(job_id: str) -> str:
    """Show one job with its live progress and, once done, its result."""
    job = get_job(get_session(), job_id)
    return render_template("jobs/show.html", job=job, info=job.as_dict(stale_after(current_app)))


@bp.route("/<job_id>/progress")
def progress(job_id: str) -> Response:
    """Return the progress fragment; htmx polls it until the job ends."""
    job = get_job(get_session(), job_id)
    body = render_template("jobs/_progress.html", job=job,
                           info=job.as_dict(stale_after(current_app)))
    response = Response(body)
    if job.is_finished:
        response.headers["HX-Trigger"] = "prism:job-finished"
    return response


@bp.route("/<job_id>/cancel", methods=["POST"])
def cancel(job_id: str) -> Response:
    """Ask a job to stop."""
    cancel_job(get_session(), job_id)
    flash("Cancellation asked; the job stops at its next checkpoint.", "info")
    return redirect(url_for("jobs_ui.show", job_id=job_id))
