"""The dashboard: completeness per channel and locale, what blocks channels, recent work."""

from __future__ import annotations

from flask import Blueprint, render_template

from exporters.publishing import list_publications
from pim import get_session
from pim.imports.report import list_imports
from pim.jobs import list_jobs
from pim.web import overview

bp = Blueprint("dashboard", __name__)
RECENT = 8


@bp.route("/")
def index() -> str:
    """Show the dashboard."""
    db = get_session()
    return render_template(
        "dashboard.html",
        bars=overview.completeness_by_locale(db),
        blockers=overview.blockers_by_channel(db),
        versions=overview.recent_versions(db),
        publications=list_publications(db, limit=RECENT),
        imports=list_imports(db, limit=RECENT),
        jobs=list_jobs(db, limit=RECENT),
        products=overview.catalog_size(db),
    )
