"""Bulk actions on the grid's selection: choose an action, then run it as a job."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from pim import get_session
from pim.catalog import services as s
from pim.errors import NotFound, ValidationError
from pim.jobs import submit_job
from pim.web.bulk_jobs import ACTIONS, KIND
from pim.web.editor_form import SELECTS, Row, Slot
from pim.web.grid import pick_channel
from pim.web.grid_query import GridQuery, run_grid
from pim.web.widgets import widget_for

bp = Blueprint("bulk", __name__, url_prefix="/bulk")
MAX_MATCHING = 50_000
VALUE = "bulk_value"


@bp.route("/options")
def options() -> str:
    """Return the inputs an action needs (an attribute and its value, a category)."""
    db = get_session()
    chosen = request.args.get("action", "")
    return render_template("products/_bulk_options.html", action=chosen,
                           attributes=_editable_attributes(db),
                           categories=s.list_categories(db),
                           channels=[c for c in s.list_channels(db) if c.exporter])


def _editable_attributes(db: Session) -> list[Any]:
    return [a for a in s.list_attributes(db)
            if a.type != "pim_catalog_identifier" and widget_for(a.type) is not None]


@bp.route("/widget")
def widget() -> str:
    """Return the value input of one attribute, with its locale and channel choices."""
    db = get_session()
    code = request.args.get("attribute", "")
    attribute = next((a for a in s.list_attributes(db, codes=[code])), None) if code else None
    if attribute is None:
        return ""
    row = Row(attribute, widget_for(attribute.type), True, False,
              [Slot(VALUE, VALUE, "bulk-value", None, None, None)])
    if attribute.type in SELECTS:
        row.options = [(o.code, o.labels.get("en_US") or o.code)
                       for o in s.list_options(db, attribute.code)]
    if attribute.type == "pim_catalog_metric":
        from pim.catalog.measures import units_of

        row.units = list(units_of(attribute.prop("metric_family", "")))
    return render_template("products/_bulk_widget.html", row=row,
                           locales=[loc.code for loc in s.list_locales(db, enabled=True)],
                           channels=s.list_channels(db),
                           currencies=sorted(c.code for c in s.list_currencies(db, enabled=True)))


@bp.route("", methods=["POST"])
def start() -> Response:
    """Start the chosen bulk action on the selected (or every matching) product."""
    db = get_session()
    form = request.form
    back = _back(form.get("back"))
    action = form.get("action", "")
    if action == "publish":
        return publish()
    identifiers = _selection(db, form)
    problem = _check(action, identifiers)
    payload = None if problem else _payload(db, action, form)
    if problem or payload is None:
        flash(problem or "Choose an attribute, or a category, for this action.", "error")
        return redirect(back)
    db.commit()  # end this request's transaction before the job writes in its own
    job = submit_job(current_app._get_current_object(), KIND,
                     {"identifiers": identifiers, "action": action, "payload": payload,
                      "author": current_user.username}, created_by=current_user.username)
    return redirect(url_for("jobs_ui.show", job_id=job.id))


@bp.route("/publish", methods=["POST"])
def publish() -> Response:
    """Publish the changes (a delta) of a channel the selection is edited for."""
    from exporters.errors import PublicationRunning
    from exporters.publishing import start_publication

    db = get_session()
    channel = request.form.get("channel", "")
    back = _back(request.form.get("back"))
    db.commit()
    try:
        publication = start_publication(current_app._get_current_object(), channel,
                                        delta=request.form.get("mode") != "full",
                                        created_by=current_user.username)
    except (PublicationRunning, ValidationError, NotFound) as exc:
        flash(f"Not published: {exc.message}", "error")
        return redirect(back)
    return redirect(url_for("publications_ui.show", publication_id=publication.id))


def _back(target: str | None) -> str:
    back = target or url_for("grid.index")
    return back if back.startswith("/") and not back.startswith("//") else url_for("grid.index")


def _check(action: str, identifiers: list[str]) -> str | None:
    if action not in ACTIONS:
        return "Choose an action."
    if not identifiers:
        return "Select at least one product."
    return None


def _selection(db: Session, form: MultiDict) -> list[str]:
    if form.get("all_matching") != "1":
        return list(dict.fromkeys(form.getlist("ids")))
    args = MultiDict([(key[2:], value) for key, value in form.items(multi=True)
                      if key.startswith("q.")])
    query = GridQuery.from_args(args)
    channel = pick_channel(db, query.channel)
    query.per_page, query.page, query.after = 1000, 1, 0
    found: list[str] = []
    while len(found) < MAX_MATCHING:
        result = run_grid(current_app, db, query, channel)
        found.extend(result.identifiers)
        if not result.has_more or not result.identifiers:
            break
        query.page += 1
        query.after = result.next_after or 0
    return list(dict.fromkeys(found))[:MAX_MATCHING]


def _payload(db: Session, action: str, form: MultiDict) -> dict[str, Any] | None:
    if action == "set_value":
        code = form.get("attribute", "")
        attribute = next(iter(s.list_attributes(db, codes=[code])), None) if code else None
        editor = widget_for(attribute.type) if attribute is not None else None
        if editor is None:
            return None
        return {"attribute": code, "data": editor.read(form, VALUE, attribute),
                "locale": form.get("bulk_locale") if attribute.localizable else None,
                "scope": form.get("bulk_scope") if attribute.scopable else None}
    if action == "add_category":
        category = form.get("category", "")
        return {"category": category} if category else None
    return {}
