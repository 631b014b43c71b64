"""Keep Python's cyclic garbage collector to young objects while an export or import streams.

An export allocates millions of short-lived containers (decoded values, records) that
reference counting frees as soon as a batch is written. The collector does not know that:
every batch alive at a collection is promoted to the oldest generation, and the full
collections this triggers scan the whole heap again and again, a third of the CPU of a
100,000-product feed, without finding anything to free.

While an export runs, automatic collections stop and the exporter collects the young
generations itself every few batches, so cycles made meanwhile are still freed; the oldest
generation waits for the automatic collections that resume when the last export ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_running = 0
_was_enabled = False


@contextmanager
def young_collections(every: int = 10) -> Iterator[Callable[[], None]]:
    """Stop automatic collections for the block; yield what to call after each batch.

    Every `every` batches that call collects the two young generations: cheap, since they
    hold what the last batches left alive and nothing older.
    """
    global _running, _was_enabled
    with _lock:
        if _running == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _running += 1
    batches = 0

    def batch_done() -> None:
        nonlocal batches
        batches += 1
        if batches % every == 0:
            gc.collect(1)

    try:
        yield batch_done
    finally:
        with _lock:
            _running -= 1
            if _running == 0 and _was_enabled:
                gc.enable()
