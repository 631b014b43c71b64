"""Gunicorn settings for serving Prism: `gunicorn -c python:pim.serving wsgi:app`.

The application is loaded once in the master process (`preload_app`), so workers start
ready to answer and share its memory. Each worker then:

- drops the database connections it inherited: a SQLite or PostgreSQL connection must not
  be used by two processes, so each worker opens its own;
- moves every object that exists once the application is loaded out of the reach of the
  garbage collector (`gc.freeze`). Those objects live as long as the worker, yet a full
  collection walks all of them: a pause of tens of milliseconds in a worker that answers in
  a few, which is what the slowest requests would wait for. Objects made by requests are
  collected as before.
"""

from __future__ import annotations

import gc
from typing import Any

worker_class = "sync"
preload_app = True


def post_fork(_server: Any, worker: Any) -> None:
    """Give the new worker its own connections and freeze the loaded objects."""
    app = worker.app.wsgi()
    engine = getattr(app, "extensions", {}).get("prism.engine")
    if engine is not None:
        # close=False: the parent's connections stay usable by the parent, unclosed here
        engine.dispose(close=False)
    gc.collect()
    gc.freeze()
