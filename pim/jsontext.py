"""JSON with orjson, guarded where orjson and the json module disagree: integers past 64 bits.

A number value may have 30 digits. orjson reads such an integer as a float and refuses to
write one; both directions here fall back to the json module for those documents, which
reads and writes the same JSON otherwise.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import orjson

# text holding a run of 19 digits goes through the json module (found by turning every
# digit into "0": faster than a regex)
DIGITS = bytes.maketrans(b"123456789", b"000000000")
LONG_RUN = b"0" * 19


def loads(text: str | bytes) -> Any:
    """Read JSON text; integers past 64 bits stay integers."""
    data = text.encode() if isinstance(text, str) else text
    return json.loads(data) if LONG_RUN in data.translate(DIGITS) else orjson.loads(data)


def dumps(data: Any, default: Callable[[Any], Any] | None = None,
          sort_keys: bool = False) -> bytes:
    """Write JSON as orjson does (dataclasses, dates, compact), integers past 64 bits too."""
    try:
        return orjson.dumps(data, default=default,
                            option=orjson.OPT_SORT_KEYS if sort_keys else None)
    except orjson.JSONEncodeError as exc:
        if "64-bit" not in str(exc):
            raise

    def plain(value: Any) -> Any:  # what orjson writes by itself
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return dataclasses.asdict(value)
        if isinstance(value, dt.date | dt.time):
            return value.isoformat()
        if default is None:
            raise TypeError(f"{type(value).__name__} is not JSON serializable")
        return default(value)

    # orjson sorts the keys of dicts, never the fields of a dataclass
    return json.dumps(_sorted_keys(data) if sort_keys else data, default=plain,
                      ensure_ascii=False, separators=(",", ":")).encode()


def _sorted_keys(data: Any) -> Any:
    if type(data) is dict:
        return {key: _sorted_keys(data[key]) for key in sorted(data)}
    if type(data) in (list, tuple):
        return [_sorted_keys(item) for item in data]
    return data
