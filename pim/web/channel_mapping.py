"""A channel's mapping editor: for each field of its exporter, where the value comes from.

Each field takes an attribute code (`name`), a template (`{brand} {name}`), a JSON object
(`{"attribute": "description", "locale": "fr_FR", "transforms": ["strip_html"]}`), `null`
to leave the field out, or nothing to keep the exporter's default. The whole mapping is
checked against the catalog before it is saved.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from exporters.engine import prepare_export
from exporters.sources import SOURCES
from exporters.transforms import TRANSFORMS
from pim import get_session
from pim.auth.roles import MANAGE_STRUCTURE
from pim.catalog import services as s
from pim.errors import FieldError, ValidationError
from pim.web.channels_views import exporter_of

bp = Blueprint("channel_mapping", __name__, url_prefix="/channels")
bp.prism_action = MANAGE_STRUCTURE  # type: ignore[attr-defined]
PREFIX = "settings.mapping."


def shown(spec: Any) -> str:
    """Write a mapping entry the way the editor's inputs take it."""
    if spec is None:
        return "null"
    if isinstance(spec, str):
        return spec
    return json.dumps(spec, ensure_ascii=False)


def read_entry(text: str) -> tuple[bool, Any]:
    """Read one input: (whether the channel overrides the field, the entry)."""
    text = text.strip()
    if not text:
        return False, None
    try:
        value = json.loads(text)
    except ValueError:
        return True, text  # an attribute code or a template
    return True, value if isinstance(value, dict | list) or value is None else text


@bp.route("/<code>/mapping", methods=["GET", "POST"])
def mapping(code: str) -> Response | tuple[str, int]:
    """Show and save the channel's mapping."""
    db = get_session()
    channel = s.get_channel(db, code)
    exporter = exporter_of(channel.exporter)
    overrides = dict((channel.settings or {}).get("mapping") or {})
    errors: dict[str, str] = {}
    if request.method == "POST" and exporter is not None:
        wanted = {}
        for field in exporter.fields:
            given, entry = read_entry(request.form.get(f"map.{field.name}", ""))
            if given:
                wanted[field.name] = entry
        errors = _save(db, code, wanted)
        if not errors:
            flash(f"Saved the mapping of {code}.", "success")
            return redirect(url_for("channel_mapping.mapping", code=code))
        overrides = wanted
    return render_template(
        "channels/mapping.html", channel=channel, exporter=exporter, overrides=overrides,
        errors=errors, shown=shown, sources=sorted(SOURCES),
        transforms=sorted(TRANSFORMS)), 422 if errors else 200


def _save(db: Any, code: str, wanted: dict[str, Any]) -> dict[str, str]:
    """Save the mapping if the exporter accepts it; else return the errors by field."""
    try:
        channel = s.update_channel(db, code, {"settings": {"mapping": wanted}},
                                   author=current_user.username, commit=False)
        prepare_export(db, channel, public_url=current_app.config["PUBLIC_URL"])
    except ValidationError as exc:
        db.rollback()
        return _by_field(exc.errors)
    db.commit()
    return {}


def _by_field(errors: list[FieldError]) -> dict[str, str]:
    found: dict[str, str] = {}
    for error in errors:
        name = error.field.removeprefix(PREFIX) if error.field.startswith(PREFIX) else ""
        found[name] = f"{found[name]}; {error.message}" if name in found else error.message
    return found
