"""Settings: channels (locales, currencies, category tree, exporter) and locales."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from pim import get_session
from pim.auth.roles import MANAGE_STRUCTURE
from pim.catalog import services as s
from pim.errors import AlreadyExists, InUse, ValidationError
from pim.web.settings.forms import comma_list, error_map, label_locales, read_labels

bp = Blueprint("settings_channels", __name__, url_prefix="/settings")
bp.prism_action = MANAGE_STRUCTURE  # type: ignore[attr-defined]


def _page(status: int = 200, **context: Any) -> tuple[str, int]:
    db = get_session()
    context.setdefault("errors", {})
    return render_template(
        "settings/channel.html", locales=label_locales(db),
        known_locales=[loc.code for loc in s.list_locales(db)],
        trees=[c for c in s.list_categories(db) if c.parent_id is None], **context), status


@bp.route("/channels")
def index() -> str:
    """List channels."""
    return render_template("settings/channels.html", channels=s.list_channels(get_session()),
                           errors={})


def _read() -> dict[str, Any]:
    form = request.form
    locales = list(dict.fromkeys(form.getlist("locale") + comma_list(form.get("more_locales",
                                                                             ""))))
    return {"labels": read_labels(form, label_locales(get_session())), "locales": locales,
            "currencies": [c.upper() for c in comma_list(form.get("currencies", ""))],
            "category_tree": form.get("category_tree") or None,
            "exporter": form.get("exporter", "").strip() or None}


@bp.route("/channels/new", methods=["GET", "POST"])
def create() -> Response | tuple[str, int]:
    """Create a channel."""
    if request.method == "GET":
        return _page(channel=None, values={"locales": [], "currencies": []})
    db = get_session()
    data = {"code": request.form.get("code", "").strip(), **_read()}
    try:
        channel = s.create_channel(db, data, author=current_user.username)
    except (ValidationError, AlreadyExists) as exc:
        db.rollback()
        errors = error_map(exc) if isinstance(exc, ValidationError) else {"code": str(exc)}
        return _page(422, channel=None, values=data, errors=errors)
    flash(f"Created channel {channel.code}.", "success")
    return redirect(url_for("settings_channels.edit", code=channel.code))


@bp.route("/channels/<code>", methods=["GET", "POST"])
def edit(code: str) -> Response | tuple[str, int]:
    """Change a channel; completeness is recomputed when its locales or currencies change."""
    db = get_session()
    channel = s.get_channel(db, code)
    if request.method == "GET":
        return _page(channel=channel, values=s.dump_channel(channel))
    data = _read()
    try:
        s.update_channel(db, code, data, author=current_user.username)
    except ValidationError as exc:
        db.rollback()
        return _page(422, channel=s.get_channel(db, code),
                     values={**s.dump_channel(channel), **data}, errors=error_map(exc))
    flash(f"Saved channel {code}.", "success")
    return redirect(url_for("settings_channels.edit", code=code))


@bp.route("/channels/<code>/delete", methods=["POST"])
def delete(code: str) -> Response:
    """Move a channel to the trash."""
    db = get_session()
    try:
        s.delete_channel(db, code, author=current_user.username)
    except InUse as exc:
        db.rollback()
        flash(exc.message, "error")
        return redirect(url_for("settings_channels.edit", code=code))
    flash(f"Channel {code} moved to the trash.", "success")
    return redirect(url_for("settings_channels.index"))


@bp.route("/locales")
def locales() -> str:
    """List locales and the channels that use them (a channel's locales enable them)."""
    db = get_session()
    channels = s.list_channels(db)
    used = {loc.code: [c.code for c in channels if loc.code in c.locales]
            for loc in s.list_locales(db)}
    return render_template("settings/locales.html", locales=s.list_locales(db), used=used,
                           currencies=s.list_currencies(db), errors={})
