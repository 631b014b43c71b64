"""Who may open which page: sign-in, roles per view, CSRF on every form post.

Every view of the UI is guarded by `guard`: it needs a signed-in user, and the user's role
must allow the view's action. A view declares its action with `@requires(...)`; without
one, reading pages need READ and anything that writes needs WRITE_CONTENT, so a new form
is closed to viewers unless it says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.wrappers import Response

from pim.auth.models import User
from pim.auth.roles import READ, WRITE_CONTENT, role_allows

PUBLIC = "public"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_KEY = "prism.web.csrf"
View = TypeVar("View", bound=Callable[..., Any])


def requires(action: str) -> Callable[[View], View]:
    """Declare the action (a role permission, or PUBLIC) a view needs."""

    def mark(view: View) -> View:
        view.prism_action = action  # type: ignore[attr-defined]
        return view

    return mark


def view_action(view: Callable[..., Any], method: str, blueprint: Any = None) -> str:
    """Return the action a request with `method` on `view` (of `blueprint`) needs."""
    declared = getattr(view, "prism_action", None) or getattr(blueprint, "prism_action", None)
    if declared is not None:
        return declared
    return READ if method in SAFE_METHODS else WRITE_CONTENT


def can(action: str) -> bool:
    """Tell whether the signed-in user may perform `action`."""
    return bool(current_user.is_authenticated and role_allows(current_user.role, action))


def init_security(app: Flask, blueprints: set[str]) -> None:
    """Set up sign-in sessions and CSRF checks for the UI's blueprints."""
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)  # only the UI's forms carry tokens
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # valid for the whole sign-in session
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    csrf = CSRFProtect(app)
    app.extensions[CSRF_KEY] = csrf
    manager = LoginManager(app)
    manager.login_view = "auth.login"
    manager.login_message = "Please sign in to continue."
    manager.session_protection = "basic"
    manager.user_loader(load_user)

    @app.before_request
    def _guard() -> Response | None:
        if request.blueprint not in blueprints or request.endpoint is None:
            return None
        return guard()


def load_user(user_id: str) -> User | None:
    """Return the active user behind a session id `<id>:<credentials version>`."""
    from pim import get_session

    number, _, credentials = user_id.partition(":")
    if not number.isdigit() or not credentials.isdigit():
        return None
    user = get_session().get(User, int(number))
    if user is None or not user.active or user.credentials_version != int(credentials):
        return None
    return user


def guard() -> Response | None:
    """Refuse the request unless its CSRF token, sign-in and role allow it."""
    if request.method not in SAFE_METHODS and current_app.config.get("WTF_CSRF_ENABLED", True):
        current_app.extensions[CSRF_KEY].protect()
    if request.endpoint.endswith(".static"):
        return None
    view = current_app.view_functions[request.endpoint]
    action = view_action(view, request.method, current_app.blueprints.get(request.blueprint))
    if action == PUBLIC:
        return None
    if not current_user.is_authenticated:
        return _to_login()
    if not role_allows(current_user.role, action):
        abort(403)
    return None


def _to_login() -> Response:
    target = url_for("auth.login", next=request.full_path.rstrip("?"))
    if request.headers.get("HX-Request"):
        response = Response("Your session ended; sign in again.", status=401)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)


def safe_next(target: str | None, default: str) -> str:
    """Return `target` when it is a path on this site, else `default` (no open redirect)."""
    if not target or "\\" in target or any(ord(c) < 32 for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target
