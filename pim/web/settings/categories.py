"""Settings: category trees, their categories and labels."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from pim import get_session
from pim.auth.roles import MANAGE_STRUCTURE
from pim.catalog import services as s
from pim.errors import AlreadyExists, InUse, ValidationError
from pim.web import reads
from pim.web.settings.forms import error_map, label_locales, read_labels

bp = Blueprint("settings_categories", __name__, url_prefix="/settings/categories")
bp.prism_action = MANAGE_STRUCTURE  # type: ignore[attr-defined]


def _page(status: int = 200, **context: Any) -> tuple[str, int]:
    db = get_session()
    context.setdefault("errors", {})
    context.setdefault("category", None)
    context.setdefault("values", {})
    return render_template("settings/categories.html", locales=label_locales(db),
                           forest=reads.category_forest(db, set()),
                           categories=s.list_categories(db), **context), status


@bp.route("", methods=["GET", "POST"])
def index() -> Response | tuple[str, int]:
    """Show the trees; create a category (without parent, a new tree)."""
    if request.method == "GET":
        return _page()
    db = get_session()
    data = _read()
    data["code"] = request.form.get("code", "").strip()
    try:
        s.create_category(db, data, author=current_user.username)
    except (ValidationError, AlreadyExists) as exc:
        db.rollback()
        errors = error_map(exc) if isinstance(exc, ValidationError) else {"code": str(exc)}
        return _page(422, errors=errors, values=data)
    flash(f"Created category {data['code']}.", "success")
    return redirect(url_for("settings_categories.index"))


def _read() -> dict[str, Any]:
    form = request.form
    position = form.get("position", "").strip()
    return {"parent": form.get("parent") or None,
            "labels": read_labels(form, label_locales(get_session())),
            "position": int(position) if position.isdigit() else 0}


@bp.route("/<code>", methods=["GET", "POST"])
def edit(code: str) -> Response | tuple[str, int]:
    """Change a category's labels, position or parent."""
    db = get_session()
    category = s.get_category(db, code)
    if request.method == "GET":
        return _page(category=category, values=s.dump_category(category))
    data = _read()
    if category.parent_id is None:
        data.pop("parent")
    try:
        s.update_category(db, code, data, author=current_user.username)
    except ValidationError as exc:
        db.rollback()
        return _page(422, category=s.get_category(db, code), errors=error_map(exc),
                     values={**s.dump_category(category), **data})
    flash(f"Saved category {code}.", "success")
    return redirect(url_for("settings_categories.edit", code=code))


@bp.route("/<code>/delete", methods=["POST"])
def delete(code: str) -> Response:
    """Move an empty category to the trash."""
    db = get_session()
    try:
        s.delete_category(db, code, author=current_user.username)
    except InUse as exc:
        db.rollback()
        flash(exc.message, "error")
        return redirect(url_for("settings_categories.edit", code=code))
    flash(f"Category {code} moved to the trash.", "success")
    return redirect(url_for("settings_categories.index"))
