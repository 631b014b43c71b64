"""The UI's shared parts: its templates, static files and the home page address."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from werkzeug.wrappers import Response

bp = Blueprint("ui", __name__, static_folder="static", static_url_path="/ui/static",
               template_folder="templates")


@bp.route("/ui")
def home() -> Response:
    """Send the visitor to the dashboard."""
    return redirect(url_for("dashboard.index"))
