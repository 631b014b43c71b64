"""Time-ordered UUIDs (version 7, RFC 9562) for new products.

A product's UUID is a unique key: each new one is written into its index. Random (version
4) UUIDs land all over that index, so a batch of a thousand new products touches hundreds
of its pages; version 7 UUIDs begin with the time in milliseconds, then a counter, and
follow one another, so a batch lands at the end of the index, next to the one before.
The remaining 62 bits are random. They are UUIDs like any other to a client.
"""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last = 0  # the last (milliseconds << 12 | counter) given out in this process


def uuid7s(count: int) -> list[str]:
    """Return `count` new version 7 UUIDs as text, each after the one before."""
    global _last
    with _lock:
        # the time in milliseconds, then a 12-bit counter (RFC 9562, 6.2 method 1); when
        # the counter runs past a millisecond's 4096, the time moves on with it
        start = max(time.time_ns() // 1_000_000 << 12, _last + 1)
        _last = start + count - 1
    noise = os.urandom(8 * count)
    return [str(uuid.UUID(int=(stamp >> 12) << 80 | 0x7 << 76 | (stamp & 0xFFF) << 64
                          | 0b10 << 62 | int.from_bytes(noise[8 * n:8 * n + 8]) >> 2))
            for n, stamp in enumerate(range(start, start + count))]


def uuid7() -> str:
    """Return one new version 7 UUID as text."""
    return uuid7s(1)[0]
