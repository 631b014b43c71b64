"""Product search: a Whoosh index kept in step with the database after each commit.

Faces call `search_products(search_index(app), ...)`; the app keeps the index current
through session listeners (`init_app`), and the CLI rebuilds and checks it.
"""

from __future__ import annotations

import atexit

from flask import Flask, current_app

from pim.search.maintenance import (
    DriftReport,
    IndexReport,
    check_index,
    index_products,
    rebuild_index,
)
from pim.search.service import Hit, SearchResult, matching_ids, search_products
from pim.search.store import SearchIndex, SearchUnavailable
from pim.search.sync import Indexer, install_listeners

INDEX_KEY = "prism.search"
STOP_KEY = "prism.search.stop"


def init_app(app: Flask) -> None:
    """Open the app's index; with SEARCH_ENABLED, index every committed product change."""
    sessions = app.extensions["prism.sessions"]
    index = SearchIndex(app.config["SEARCH_INDEX_PATH"], sessions=sessions)
    app.extensions[INDEX_KEY] = index
    if not app.config.get("SEARCH_ENABLED"):
        return
    index.indexer = Indexer(index, sessions)
    remove_listeners = install_listeners(sessions, index.indexer)

    def stop() -> None:
        remove_listeners()
        index.indexer.stop()
        index.close()
        atexit.unregister(stop)

    app.extensions[STOP_KEY] = stop
    atexit.register(stop)


def search_index(app: Flask | None = None) -> SearchIndex:
    """Return the search index of `app` (the current app by default)."""
    app = app or current_app._get_current_object()
    return app.extensions[INDEX_KEY]


def wait_idle(app: Flask | None = None, timeout: float = 30.0) -> bool:
    """Wait until the committed changes so far are searchable; False on timeout."""
    indexer = search_index(app).indexer
    return True if indexer is None else indexer.wait_idle(timeout)


def shutdown(app: Flask) -> None:
    """Stop listening, write what is queued and close the index of `app`."""
    stop = app.extensions.pop(STOP_KEY, None)
    if stop is not None:
        stop()
    elif INDEX_KEY in app.extensions:
        app.extensions[INDEX_KEY].close()


__all__ = [
    "DriftReport", "Hit", "IndexReport", "Indexer", "SearchIndex", "SearchResult",
    "SearchUnavailable", "check_index", "index_products", "init_app", "matching_ids",
    "rebuild_index",
    "search_index", "search_products", "shutdown", "wait_idle",
]
