"""Settings: families, the attributes each channel requires, and family variants."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from pim import get_session
from pim.auth.roles import MANAGE_STRUCTURE
from pim.catalog import services as s
from pim.errors import AlreadyExists, InUse, ValidationError
from pim.web.settings.forms import error_map, label_locales, read_labels

bp = Blueprint("settings_families", __name__, url_prefix="/settings/families")
bp.prism_action = MANAGE_STRUCTURE  # type: ignore[attr-defined]
LABEL_TYPES = ("pim_catalog_identifier", "pim_catalog_text")
IMAGE_TYPES = ("pim_catalog_image", "pim_catalog_asset_collection")
AXIS_TYPES = ("pim_catalog_simpleselect", "pim_catalog_boolean", "pim_catalog_metric")


def _page(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    db = get_session()
    context.setdefault("errors", {})
    return render_template(template, locales=label_locales(db),
                           attributes=s.list_attributes(db), channels=s.list_channels(db),
                           label_types=LABEL_TYPES, image_types=IMAGE_TYPES,
                           axis_types=AXIS_TYPES, **context), status


@bp.route("")
def index() -> tuple[str, int]:
    """List families."""
    return _page("settings/families.html", families=s.list_families(get_session()))


def _read() -> dict[str, Any]:
    db = get_session()
    form = request.form
    return {
        "labels": read_labels(form, label_locales(db)),
        "attributes": form.getlist("attribute"),
        "attribute_as_label": form.get("attribute_as_label") or None,
        "attribute_as_image": form.get("attribute_as_image") or None,
        "attribute_requirements": {channel.code: form.getlist(f"req.{channel.code}")
                                   for channel in s.list_channels(db)},
    }


@bp.route("/new", methods=["GET", "POST"])
def create() -> Response | tuple[str, int]:
    """Create a family."""
    db = get_session()
    if request.method == "GET":
        return _page("settings/family.html", family=None, values={"attributes": []})
    data = {"code": request.form.get("code", "").strip(), **_read()}
    try:
        family = s.create_family(db, data, author=current_user.username)
    except (ValidationError, AlreadyExists) as exc:
        db.rollback()
        errors = error_map(exc) if isinstance(exc, ValidationError) else {"code": str(exc)}
        return _page("settings/family.html", 422, family=None, values=data, errors=errors)
    flash(f"Created family {family.code}.", "success")
    return redirect(url_for("settings_families.edit", code=family.code))


@bp.route("/<code>", methods=["GET", "POST"])
def edit(code: str) -> Response | tuple[str, int]:
    """Change a family's attributes and per-channel requirements."""
    db = get_session()
    family = s.get_family(db, code)
    variants = s.list_family_variants(db, code)
    if request.method == "GET":
        return _page("settings/family.html", family=family, values=s.dump_family(family),
                     variants=variants)
    data = _read()
    try:
        s.update_family(db, code, data, author=current_user.username)
    except ValidationError as exc:
        db.rollback()
        return _page("settings/family.html", 422, family=s.get_family(db, code),
                     values={**s.dump_family(family), **data}, variants=variants,
                     errors=error_map(exc))
    flash(f"Saved family {code}; completeness follows the new requirements.", "success")
    return redirect(url_for("settings_families.edit", code=code))


@bp.route("/<code>/delete", methods=["POST"])
def delete(code: str) -> Response:
    """Move a family no product uses to the trash."""
    db = get_session()
    try:
        s.delete_family(db, code, author=current_user.username)
    except InUse as exc:
        db.rollback()
        flash(exc.message, "error")
        return redirect(url_for("settings_families.edit", code=code))
    flash(f"Family {code} moved to the trash.", "success")
    return redirect(url_for("settings_families.index"))


@bp.route("/<code>/variants", methods=["POST"])
def create_variant(code: str) -> Response | tuple[str, int]:
    """Create a family variant with one or two levels of axes."""
    db = get_session()
    form = request.form
    levels = []
    for level in (1, 2):
        axes = form.getlist(f"axes.{level}")
        if axes:
            levels.append({"level": level, "axes": axes,
                           "attributes": form.getlist(f"attributes.{level}")})
    data = {"code": form.get("code", "").strip(), "family": code,
            "labels": read_labels(form, label_locales(db)), "variant_attribute_sets": levels}
    try:
        s.create_family_variant(db, data, author=current_user.username)
    except (ValidationError, AlreadyExists) as exc:
        db.rollback()
        family = s.get_family(db, code)
        errors = error_map(exc) if isinstance(exc, ValidationError) else {"code": str(exc)}
        return _page("settings/family.html", 422, family=family, values=s.dump_family(family),
                     variants=s.list_family_variants(db, code), errors=errors)
    flash(f"Created family variant {data['code']}.", "success")
    return redirect(url_for("settings_families.edit", code=code))
