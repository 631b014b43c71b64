"""Settings: attributes with their validation rules, attribute groups, select options."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from pim import get_session
from pim.auth.roles import MANAGE_STRUCTURE
from pim.catalog import services as s
from pim.catalog.measures import MEASURES
from pim.catalog.types import TYPES
from pim.errors import AlreadyExists, InUse, ValidationError
from pim.web.settings.forms import error_map, label_locales, read_labels, read_properties

bp = Blueprint("settings_attributes", __name__, url_prefix="/settings/attributes")
bp.prism_action = MANAGE_STRUCTURE  # type: ignore[attr-defined]
FLAGS = ("localizable", "scopable", "unique")
SELECTS = ("pim_catalog_simpleselect", "pim_catalog_multiselect")


def _units() -> list[str]:
    return sorted({unit for _, units in MEASURES.values() for unit in units})


def _page(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    db = get_session()
    context.setdefault("errors", {})
    return render_template(template, types=sorted(TYPES.values(), key=lambda t: t.label),
                           groups=s.list_groups(db), locales=label_locales(db),
                           measures=sorted(MEASURES), units=_units(), **context), status


@bp.route("")
def index() -> tuple[str, int]:
    """List attributes and attribute groups."""
    return _page("settings/attributes.html", attributes=s.list_attributes(get_session()))


@bp.route("/groups", methods=["POST"])
def save_group() -> Response | tuple[str, int]:
    """Create an attribute group or change its labels."""
    db = get_session()
    data = {"code": request.form.get("code", "").strip(),
            "labels": read_labels(request.form, label_locales(db))}
    try:
        s.save_group(db, data, author=current_user.username)
    except ValidationError as exc:
        db.rollback()
        return _page("settings/attributes.html", 422, attributes=s.list_attributes(db),
                     errors=error_map(exc))
    flash(f"Saved attribute group {data['code']}.", "success")
    return redirect(url_for("settings_attributes.index"))


@bp.route("/properties")
def properties() -> tuple[str, int]:
    """Return the property inputs of one attribute type."""
    kind = TYPES.get(request.args.get("type", ""))
    return _page("settings/_attribute_properties.html", kind=kind, values={})


@bp.route("/new", methods=["GET", "POST"])
def create() -> Response | tuple[str, int]:
    """Create an attribute."""
    db = get_session()
    if request.method == "GET":
        kind = TYPES.get(request.args.get("type", "pim_catalog_text"))
        return _page("settings/attribute.html", attribute=None, kind=kind, values={})
    kind = TYPES.get(request.form.get("type", ""))
    data = _read(db, kind, creating=True)
    try:
        attribute = s.create_attribute(db, data, author=current_user.username)
    except (ValidationError, AlreadyExists) as exc:
        db.rollback()
        return _page("settings/attribute.html", 422, attribute=None, kind=kind, values=data,
                     errors=_errors(exc))
    flash(f"Created attribute {attribute.code}.", "success")
    return redirect(url_for("settings_attributes.edit", code=attribute.code))


@bp.route("/<code>", methods=["GET", "POST"])
def edit(code: str) -> Response | tuple[str, int]:
    """Change an attribute's labels, group and rules."""
    db = get_session()
    attribute = s.get_attribute(db, code)
    kind = TYPES.get(attribute.type)
    if request.method == "GET":
        return _page("settings/attribute.html", attribute=attribute, kind=kind,
                     values=s.dump_attribute(attribute))
    data = _read(db, kind, creating=False)
    try:
        s.update_attribute(db, code, data, author=current_user.username)
    except ValidationError as exc:
        db.rollback()
        return _page("settings/attribute.html", 422, attribute=s.get_attribute(db, code),
                     kind=kind, values={**s.dump_attribute(attribute), **data},
                     errors=error_map(exc))
    flash(f"Saved attribute {code}.", "success")
    return redirect(url_for("settings_attributes.edit", code=code))


def _errors(exc: Exception) -> dict[str, str]:
    return error_map(exc) if isinstance(exc, ValidationError) else {"code": str(exc)}


def _read(db: Any, kind: Any, *, creating: bool) -> dict[str, Any]:
    form = request.form
    data: dict[str, Any] = {"labels": read_labels(form, label_locales(db)),
                            "group": form.get("group") or None,
                            "useable_as_grid_filter": form.get("useable_as_grid_filter") == "1"}
    sort_order = form.get("sort_order", "").strip()
    data["sort_order"] = int(sort_order) if sort_order.lstrip("-").isdigit() else 0
    if creating:
        data["code"] = form.get("code", "").strip()
        data["type"] = form.get("type", "")
        data.update({flag: form.get(flag) == "1" for flag in FLAGS})
    if kind is not None:
        data.update(read_properties(form, kind.properties))
    return data


@bp.route("/<code>/delete", methods=["POST"])
def delete(code: str) -> Response:
    """Move an attribute no family uses to the trash."""
    db = get_session()
    try:
        s.delete_attribute(db, code, author=current_user.username)
    except InUse as exc:
        db.rollback()
        flash(exc.message, "error")
        return redirect(url_for("settings_attributes.edit", code=code))
    flash(f"Attribute {code} moved to the trash.", "success")
    return redirect(url_for("settings_attributes.index"))


@bp.route("/<code>/options", methods=["GET", "POST"])
def options(code: str) -> Response | tuple[str, int]:
    """List a select attribute's options; add one or change its labels."""
    db = get_session()
    attribute = s.get_attribute(db, code)
    errors: dict[str, str] = {}
    if request.method == "POST":
        order = request.form.get("sort_order", "").strip()
        data = {"code": request.form.get("code", "").strip(),
                "labels": read_labels(request.form, label_locales(db)),
                "sort_order": int(order) if order.isdigit() else 0}
        try:
            s.save_option(db, code, data, author=current_user.username)
        except (ValidationError, AlreadyExists) as exc:
            db.rollback()
            errors = _errors(exc)
        else:
            flash(f"Saved option {data['code']}.", "success")
            return redirect(url_for("settings_attributes.options", code=code))
    return _page("settings/options.html", 422 if errors else 200, attribute=attribute,
                 options=s.list_options(db, code) if attribute.type in SELECTS else [],
                 errors=errors)


@bp.route("/<code>/options/<option>/delete", methods=["POST"])
def delete_option(code: str, option: str) -> Response:
    """Move an option no product uses to the trash."""
    db = get_session()
    try:
        s.delete_option(db, code, option, author=current_user.username)
    except InUse as exc:
        db.rollback()
        flash(exc.message, "error")
    else:
        flash(f"Option {option} moved to the trash.", "success")
    return redirect(url_for("settings_attributes.options", code=code))
