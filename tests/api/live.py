"""A real Prism server on 127.0.0.1 for client and property-based tests: its own migrated
SQLite database, a small catalog, an admin, an OAuth client and a personal token."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from werkzeug.serving import make_server

from pim import create_app
from pim.auth import oauth, personal, users
from pim.db import make_engine, upgrade_database
from tests.builders import product, small_catalog

PASSWORD = "live server password"


@dataclass
class LiveServer:
    base_url: str
    client_id: str
    secret: str
    token: str


def serve(folder: Path) -> Iterator[LiveServer]:
    """Start a server on a free port, yield how to reach it, then stop it."""
    url = f"sqlite:///{folder / 'live.sqlite3'}"
    engine = make_engine(url)
    upgrade_database(engine)
    app = create_app({"DATABASE_URL": url, "ENGINE": engine, "INSTANCE_PATH": str(folder),
                      "SECRET_KEY": "live", "JOBS_INLINE": True, "SEARCH_ENABLED": False,
                      "TOKEN_RATE_LIMIT": 10_000})
    with app.extensions["prism.sessions"]() as session:
        small_catalog(session)
        product(session, "shoe-1")
        users.create_user(session, "admin", PASSWORD, "admin")
        client, secret = oauth.create_client(session, "live tests")
        _, token = personal.create_personal_token(session, "admin", "write")
        client_id = client.client_id
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", client_id, secret, token)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        engine.dispose()
