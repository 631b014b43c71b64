"""Sign in, sign out and change one's password."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from pim import get_session
from pim.auth import ratelimit
from pim.auth.roles import READ
from pim.auth.users import authenticate, set_password
from pim.errors import ValidationError
from pim.web.security import PUBLIC, requires, safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@requires(PUBLIC)
def login() -> str | Response | tuple[str, int]:
    """Show the sign-in form and sign the user in."""
    target = safe_next(request.values.get("next"), url_for("dashboard.index"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(target)
    if request.method == "GET":
        return render_template("auth/login.html", next=target)
    username = request.form.get("username", "").strip()
    db = get_session()
    limit = int(current_app.config["LOGIN_RATE_LIMIT"])
    if not ratelimit.hit(db, f"ui-login:{request.remote_addr}", limit):
        flash("Too many sign-in attempts from your address; wait a minute.", "error")
        return render_template("auth/login.html", next=target, username=username), 429
    user = authenticate(db, username, request.form.get("password", ""))
    if user is None:
        flash("Unknown username or wrong password.", "error")
        return render_template("auth/login.html", next=target, username=username), 401
    session.clear()  # a fresh session: nothing from before signing in carries over
    login_user(user)
    return redirect(target)


@bp.route("/logout", methods=["POST"])
@requires(PUBLIC)
def logout() -> Response:
    """Sign the user out."""
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@requires(READ)
def password() -> str | Response | tuple[str, int]:
    """Change the signed-in user's password; other sessions are signed out."""
    if request.method == "GET":
        return render_template("auth/password.html", errors={})
    form = request.form
    errors: dict[str, str] = {}
    db = get_session()
    if authenticate(db, current_user.username, form.get("current", "")) is None:
        errors["current"] = "This is not your current password."
    if form.get("new", "") != form.get("confirm", ""):
        errors["confirm"] = "The two new passwords differ."
    if not errors:
        try:
            user = set_password(db, current_user.username, form.get("new", ""))
        except ValidationError as exc:
            errors["new"] = "; ".join(e.message for e in exc.errors)
        else:
            login_user(user)  # the session id carries the new credentials version
            flash("Password changed. Your other sessions are signed out.", "success")
            return redirect(url_for("dashboard.index"))
    return render_template("auth/password.html", errors=errors), 400
