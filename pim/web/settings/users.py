"""Settings: users and their roles, passwords set by an admin, personal API tokens."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from pim import get_session
from pim.auth.models import ROLES
from pim.auth.personal import SCOPES, create_personal_token, list_personal_tokens
from pim.auth.personal import revoke_personal_token as revoke_token
from pim.auth.roles import MANAGE_USERS
from pim.auth.users import create_user, list_users, set_password, set_role
from pim.errors import AlreadyExists, NotFound, ValidationError
from pim.web.settings.forms import error_map

bp = Blueprint("settings_users", __name__, url_prefix="/settings")
bp.prism_action = MANAGE_USERS  # type: ignore[attr-defined]


def _users_page(status: int = 200, **context: Any) -> tuple[str, int]:
    context.setdefault("errors", {})
    context.setdefault("values", {})
    return render_template("settings/users.html", users=list_users(get_session()), roles=ROLES,
                           **context), status


@bp.route("/users", methods=["GET", "POST"])
def index() -> Response | tuple[str, int]:
    """List users; create one."""
    if request.method == "GET":
        return _users_page()
    db = get_session()
    form = request.form
    values = {"username": form.get("username", "").strip(), "role": form.get("role", ""),
              "email": form.get("email", "").strip() or None}
    try:
        create_user(db, values["username"], form.get("password", ""), values["role"],
                    email=values["email"])
    except ValidationError as exc:
        db.rollback()
        return _users_page(422, errors=error_map(exc), values=values)
    except AlreadyExists as exc:
        db.rollback()
        return _users_page(422, errors={"username": exc.message}, values=values)
    flash(f"Created user {values['username']}.", "success")
    return redirect(url_for("settings_users.index"))


@bp.route("/users/<username>/role", methods=["POST"])
def role(username: str) -> Response | tuple[str, int]:
    """Give a user another role."""
    db = get_session()
    try:
        set_role(db, username, request.form.get("role", ""))
    except ValidationError as exc:
        db.rollback()
        return _users_page(422, errors=error_map(exc))
    flash(f"{username} is now {request.form.get('role')}.", "success")
    return redirect(url_for("settings_users.index"))


@bp.route("/users/<username>/password", methods=["POST"])
def password(username: str) -> Response | tuple[str, int]:
    """Set a user's password; their sessions and tokens stop working."""
    db = get_session()
    try:
        set_password(db, username, request.form.get("password", ""))
    except ValidationError as exc:
        db.rollback()
        return _users_page(422, errors=error_map(exc))
    flash(f"New password set for {username}; their sessions are signed out.", "success")
    return redirect(url_for("settings_users.index"))


def _tokens_page(status: int = 200, **context: Any) -> tuple[str, int]:
    db = get_session()
    context.setdefault("errors", {})
    return render_template("settings/tokens.html", tokens=list_personal_tokens(db),
                           users=list_users(db), scopes=SCOPES, **context), status


@bp.route("/tokens", methods=["GET", "POST"])
def tokens() -> Response | tuple[str, int]:
    """List personal API tokens; create one (its secret is shown once)."""
    if request.method == "GET":
        return _tokens_page()
    db = get_session()
    form = request.form
    try:
        token, plain = create_personal_token(db, form.get("username", ""),
                                             form.get("scope", ""),
                                             label=form.get("label", "").strip() or None)
    except ValidationError as exc:
        db.rollback()
        return _tokens_page(422, errors=error_map(exc))
    except NotFound as exc:
        db.rollback()
        return _tokens_page(422, errors={"username": exc.message})
    return _tokens_page(201, created=token, plain=plain)


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
def revoke(token_id: int) -> Response:
    """Revoke a personal token at once."""
    revoke_token(get_session(), token_id)
    flash("Token revoked.", "success")
    return redirect(url_for("settings_users.tokens"))
