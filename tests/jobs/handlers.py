"""Job handlers the tests run, in this process and in real RQ workers.

An RQ worker started by the tests imports this module through PRISM_JOB_MODULES.
"""

from __future__ import annotations

import time
from pathlib import Path

from pim.jobs import JobContext, job_handler

MODULE = "tests.jobs.handlers"


@job_handler("test.count")
def count(ctx: JobContext, n: int, pause: float = 0.0, label: str = "") -> dict:
    """Count to n, reporting progress at every step."""
    for done in range(1, n + 1):
        if pause:
            time.sleep(pause)
        ctx.progress(done, n)
    ctx.logger.info("counted to %s", n)
    return {"counted": n, "label": label}


@job_handler("test.fail")
def fail(ctx: JobContext, row: int) -> dict:
    """Get halfway, then break on a bad row."""
    ctx.progress(row - 1, row * 2)
    raise ValueError(f"row {row} has a price of 'douze €' (Zażółć gęślą jaźń)")


@job_handler("test.until_cancelled")
def until_cancelled(ctx: JobContext, limit: float = 60.0, marker: str = "") -> dict:
    """Work in small steps until cancelled (or `limit` seconds pass)."""
    if marker:
        Path(marker).write_text(ctx.job_id)
    deadline = time.monotonic() + limit
    step = 0
    while time.monotonic() < deadline:
        step += 1
        ctx.progress(step, None)
        ctx.raise_if_cancelled()
        time.sleep(0.05)
    return {"steps": step}
