"""Prism: a product content hub."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Flask, g
from sqlalchemy.orm import Session

from pim.config import load_settings
from pim.db import check_migrated, make_engine, make_session_factory


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the Prism application: settings, database, faces."""
    app = Flask(__name__, instance_relative_config=False)
    settings = load_settings(overrides=test_config)
    app.config.update(settings)
    Path(app.config["INSTANCE_PATH"]).mkdir(parents=True, exist_ok=True)
    app.instance_path = app.config["INSTANCE_PATH"]
    app.config["SECRET_KEY"] = app.config.get("SECRET_KEY") or _instance_secret(app)
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_CONTENT_LENGTH"]
    _init_database(app)
    _init_features(app)
    return app


def _instance_secret(app: Flask) -> str:
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _init_database(app: Flask) -> None:
    engine = app.config.get("ENGINE") or make_engine(app.config["DATABASE_URL"])
    factory = app.config.get("SESSION_FACTORY") or make_session_factory(engine)
    app.extensions["prism.engine"] = engine
    app.extensions["prism.sessions"] = factory
    if app.config["CHECK_MIGRATIONS"]:
        check_migrated(engine)

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


def _init_features(app: Flask) -> None:
    from pim import api, cli, jobs, search, web
    from pim.web.feeds import init_feeds
    from pim.web.media import init_media

    cli.register(app)
    init_media(app)
    init_feeds(app)
    api.init_api(app)
    jobs.init_app(app)
    search.init_app(app)
    web.init_app(app)


def get_session() -> Session:
    """Return the request's session, opened on first use and closed at teardown."""
    from flask import current_app

    if "db_session" not in g:
        g.db_session = current_app.extensions["prism.sessions"]()
    return g.db_session
