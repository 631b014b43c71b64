"""The gunicorn settings: each forked worker opens its own connections and keeps the objects
loaded with the app out of the garbage collector's full passes."""

from __future__ import annotations

import gc
from types import SimpleNamespace

from sqlalchemy import text

from pim import serving
from pim.db import make_engine


def test_a_forked_worker_drops_inherited_connections_and_freezes_the_app(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'forked.sqlite3'}")
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    inherited = engine.pool
    assert inherited.checkedin() == 1
    app = SimpleNamespace(extensions={"prism.engine": engine})
    worker = SimpleNamespace(app=SimpleNamespace(wsgi=lambda: app))
    try:
        serving.post_fork(None, worker)
        assert engine.pool is not inherited and engine.pool.checkedin() == 0
        assert gc.get_freeze_count() > 0
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar() == 1
    finally:
        gc.unfreeze()
        inherited.dispose()
        engine.dispose()
    assert serving.preload_app and serving.worker_class == "sync"
