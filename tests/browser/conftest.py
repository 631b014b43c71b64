"""A live Prism on its own migrated SQLite database, and Debian's Chromium driving it."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from pim import create_app
from pim.auth.users import create_user
from pim.db import make_engine, upgrade_database
from tests.builders import product, small_catalog, value

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-quic"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PASSWORD = "browser-pass-123"
LAPTOP = {"width": 1366, "height": 900}
TABLET = {"width": 820, "height": 1180}


@dataclass
class Live:
    """The served app: its base URL and the app (for its sessions)."""

    url: str
    app: Flask

    def session(self):
        return self.app.extensions["prism.sessions"]()


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, headless, through Playwright."""
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install it with `apt-get install chromium` "
                    "to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=ARGS)
        yield browser
        browser.close()


def seed(app: Flask) -> None:
    """The small catalog, a few products and one user per role."""
    with app.extensions["prism.sessions"]() as session:
        small_catalog(session)
        product(session, "shoe-1", values={"name": value("Trail shoe", "en_US")})
        product(session, "boot-2", values={"name": value("Mountain boot", "en_US")})
        s_product = {"identifier": "bag-3", "family": "accessories", "categories": ["master"],
                     "values": {"name": value("Leather bag", "en_US")}}
        from pim.catalog import services as s

        s.create_product(session, s_product, author="seed")
        for role in ("viewer", "editor", "admin"):
            create_user(session, role, PASSWORD, role)


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty, migrated SQLite database that each test copies."""
    path = tmp_path_factory.mktemp("live-template") / "prism.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_database(engine)
    engine.dispose()
    return path


@pytest.fixture()
def live(migrated: Path, tmp_path: Path) -> Iterator[Live]:
    """Serve a freshly seeded Prism of the test's own on a free 127.0.0.1 port, in a thread.

    Each journey starts from the same catalog: what one test saves never shows in another.
    """
    from pim import search
    from pim.jobs import shutdown_jobs

    folder = tmp_path / "live"
    folder.mkdir()
    shutil.copyfile(migrated, folder / "prism.sqlite3")
    url = f"sqlite:///{folder / 'prism.sqlite3'}"
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(folder / "instance"),
                      "SECRET_KEY": "browser-tests", "SEARCH_ENABLED": True,
                      "JOBS_INLINE": False, "LOGIN_RATE_LIMIT": 1000})
    seed(app)
    search.wait_idle(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_URL"] = base
    thread = threading.Thread(target=server.serve_forever, name="live-prism", daemon=True)
    thread.start()
    try:
        yield Live(base, app)
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
        shutdown_jobs(app)
        search.shutdown(app)
        app.extensions["prism.engine"].dispose()


@pytest.fixture()
def context(chromium, live):
    """A fresh browser context (its own cookies) at laptop size."""
    ctx = chromium.new_context(viewport=LAPTOP, base_url=live.url)
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


def shot(page, name: str) -> None:
    """Keep a screenshot of the page under tests/artifacts/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page, username: str) -> None:
    """Sign in through the login form."""
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
