"""History: the versions of an entity, a readable diff of any two, restore, and changesets
(an import or bulk edit) reviewed and reverted as one."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from pim import get_session
from pim.auth.roles import MANAGE_STRUCTURE
from pim.catalog import services as s
from pim.catalog.resources import kind as resource_kind
from pim.errors import PrismError
from pim.web import reads
from pim.web.diffs import change_lines
from pim.web.security import can

bp = Blueprint("history", __name__)
CONTENT_KINDS = ("product", "product_model")


def _attribute_types() -> dict[str, str]:
    return {a.code: a.type for a in s.list_attributes(get_session())}


def _check_may_write(kinds: set[str] | tuple[str, ...]) -> None:
    if set(kinds) - set(CONTENT_KINDS) and not can(MANAGE_STRUCTURE):
        abort(403)


@bp.route("/history/<kind>/<path:code>")
def entity(kind: str, code: str) -> str:
    """List the versions of one entity, newest first."""
    resource_kind(kind)
    versions = s.versions_of(get_session(), kind, code)
    return render_template("history/entity.html", kind=kind, code=code, versions=versions,
                           types=_attribute_types())


@bp.route("/history/<kind>/<path:code>/diff")
def diff(kind: str, code: str) -> str:
    """Show what differs between two versions of an entity."""
    db = get_session()
    first = request.args.get("from", type=int)
    second = request.args.get("to", type=int)
    if first is None or second is None:
        abort(400)
    first, second = sorted((first, second))
    changes = s.diff_versions(db, kind, code, first, second)
    return render_template("history/diff.html", kind=kind, code=code, first=first,
                           second=second, lines=change_lines(changes, _attribute_types()),
                           older=s.get_version(db, kind, code, first),
                           newer=s.get_version(db, kind, code, second))


@bp.route("/history/<kind>/<path:code>/restore/<int:number>", methods=["POST"])
def restore(kind: str, code: str, number: int) -> Response:
    """Put an entity back as it was at a version, as a new version."""
    _check_may_write((kind,))
    s.restore_version(get_session(), kind, code, number, author=current_user.username,
                      comment=request.form.get("comment") or None)
    flash(f"Restored {code} to version {number}; this is a new version.", "success")
    return redirect(url_for("history.entity", kind=kind, code=code))


@bp.route("/changesets")
def changesets() -> str:
    """List recent changesets: imports, bulk edits, reverts."""
    return render_template("history/changesets.html",
                           changesets=s.list_changesets(get_session(), limit=100))


@bp.route("/changesets/<changeset_id>")
def changeset(changeset_id: str) -> str:
    """Show one changeset and the versions it wrote."""
    db = get_session()
    return render_template("history/changeset.html", changeset=s.get_changeset(db, changeset_id),
                           versions=reads.changeset_versions(db, changeset_id),
                           types=_attribute_types())


@bp.route("/changesets/<changeset_id>/revert", methods=["POST"])
def revert(changeset_id: str) -> str | tuple[str, int]:
    """Undo a whole changeset as a new one; later edits are kept and reported."""
    db = get_session()
    _check_may_write(reads.changeset_kinds(db, changeset_id))
    try:
        report = s.revert_changeset(db, changeset_id, author=current_user.username)
    except PrismError as exc:
        db.rollback()
        flash(exc.message, "error")
        return changeset(changeset_id), 409
    return render_template("history/reverted.html", report=report,
                           changeset=s.get_changeset(db, changeset_id))
