"""The conflict screen: someone saved first; show their changes beside yours and let the
editor choose, key by key, then save on top of the current version."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from pim import get_session
from pim.catalog import services as s
from pim.catalog.history import diff_flat
from pim.catalog.resources import kind as resource_kind
from pim.catalog.structure_cache import structure
from pim.catalog.values import ValuesValidator, value_key
from pim.errors import ConflictError, ValidationError
from pim.web import reads
from pim.web.editor_form import Posted, Where

bp = Blueprint("conflicts", __name__)
KINDS = {
    "product": (s.get_product, s.update_product, "editor.edit", "identifier"),
    "product_model": (s.get_product_model, s.update_product_model, "editor.edit_model", "code"),
}
PROPERTIES = ("categories", "enabled", "status")


@dataclass
class Clash:
    """One key changed since the editor opened the form: by them, by you, or by both."""

    key: str
    base: Any
    theirs: Any
    mine: Any
    they_changed: bool
    i_changed: bool

    @property
    def both(self) -> bool:
        return self.they_changed and self.i_changed and self.theirs != self.mine


def conflict_page(kind: str, code: str, posted: Posted, base: int | None, where: Where
                  ) -> tuple[str, int]:
    """Render the conflict screen for a save that came after someone else's."""
    db = get_session()
    mine = my_changes(db, kind, code, posted, base)
    return render_conflict(db, kind, code, mine, base, where)


def render_conflict(db: Session, kind: str, code: str, mine: dict[str, Any], base: int | None,
                    where: Where | dict[str, str]) -> tuple[str, int]:
    """Render their changes since `base` beside `mine`, with a choice for each clash."""
    getter = KINDS[kind][0]
    entity = getter(db, code)
    resource = resource_kind(kind)
    before = _flat_at(db, kind, code, base)
    now = resource.flatten(resource.dump(entity))
    theirs = diff_flat(before, now)
    keys = sorted(set(theirs) | set(mine))
    clashes = [Clash(key, before.get(key), now.get(key), mine.get(key, now.get(key)),
                     key in theirs, key in mine) for key in keys]
    args = where if isinstance(where, dict) else {
        "locale": where.locale, "channel": where.channel.code or "", "compare": where.compare or ""}
    body = render_template(
        "products/conflict.html", kind=kind, code=code, clashes=clashes,
        mine_json=json.dumps(mine, ensure_ascii=False, sort_keys=True),
        version=entity.version, base=reads.latest_version(db, kind, entity.id),
        editor_url=url_for(KINDS[kind][2], **{KINDS[kind][3]: code},
                           **{k: v for k, v in args.items() if v}),
        where_args=args)
    return body, 409


def _flat_at(db: Session, kind: str, code: str, number: int | None) -> dict[str, Any]:
    if not number:
        return {}
    return resource_kind(kind).flatten(s.state_at(db, kind, code, number))


def my_changes(db: Session, kind: str, code: str, posted: Posted, base: int | None
               ) -> dict[str, Any]:
    """Return what the editor changed relative to the version they started from."""
    before = _flat_at(db, kind, code, base)
    normalized, _errors = ValuesValidator(structure(db)).validate(posted.values)
    mine: dict[str, Any] = {}
    for code_, entries in posted.values.items():
        clean = {(e["locale"], e["scope"]): e["data"] for e in normalized.get(code_, [])}
        for entry in entries:
            slot = (entry["locale"], entry["scope"])
            data = clean.get(slot, entry["data"])
            key = value_key(code_, *slot)
            if data != before.get(key):
                mine[key] = data
    for name in PROPERTIES:
        if name in posted.properties:
            value = posted.properties[name]
            value = sorted(value) if name == "categories" else value
            if value != before.get(name):
                mine[name] = value
    return mine


@bp.route("/conflicts/<kind>/<path:code>", methods=["POST"])
def resolve(kind: str, code: str) -> str | Response | tuple[str, int]:
    """Save the editor's choices on top of the current version."""
    if kind not in KINDS:
        return redirect(url_for("grid.index"))
    db = get_session()
    mine = _load_mine(request.form.get("mine", "{}"))
    chosen = {key: value for key, value in mine.items()
              if request.form.get(f"take.{key}", "mine") == "mine"}
    where = {k: request.form.get(k, "") for k in ("locale", "channel", "compare")}
    version = request.form.get("version", "")
    getter, updater, endpoint, arg = KINDS[kind]
    try:
        if chosen:
            patch = resource_kind(kind).unflatten(db, chosen)
            patch.pop(arg, None)
            updater(db, code, patch, author=current_user.username, source="ui",
                    expected_version=int(version) if version.isdigit() else None)
    except ConflictError:
        db.rollback()
        base = request.form.get("base", "")
        return render_conflict(db, kind, code, mine, int(base) if base.isdigit() else None,
                               where)
    except ValidationError as exc:
        db.rollback()
        flash("Your version could not be saved: " + exc.message, "error")
        return redirect(url_for(endpoint, **{arg: code}, **{k: v for k, v in where.items()
                                                              if v}))
    flash(f"Saved {code} with your choices." if chosen else
          f"Kept the current version of {code}; your changes were dropped.", "success")
    return redirect(url_for(endpoint, **{arg: code}, **{k: v for k, v in where.items() if v}))


def _load_mine(raw: str) -> dict[str, Any]:
    try:
        mine = json.loads(raw)
    except ValueError:
        return {}
    return mine if isinstance(mine, dict) else {}
