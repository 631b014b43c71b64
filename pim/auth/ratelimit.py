"""A fixed-window request counter kept in the database, so every worker shares it."""

from __future__ import annotations

import time

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pim.auth.api_models import RateLimitHit

WINDOW_SECONDS = 60


def hit(session: Session, key: str, limit: int, *, now: float | None = None) -> bool:
    """Count one request for `key`; tell whether it stays within `limit` per minute."""
    window = int((time.time() if now is None else now) // WINDOW_SECONDS)
    key = key[:200]
    counted = session.execute(update(RateLimitHit).where(
        RateLimitHit.key == key, RateLimitHit.window == window
    ).values(hits=RateLimitHit.hits + 1))
    if counted.rowcount == 0:
        try:
            with session.begin_nested():
                session.add(RateLimitHit(key=key, window=window, hits=1))
        except IntegrityError:
            session.execute(update(RateLimitHit).where(
                RateLimitHit.key == key, RateLimitHit.window == window
            ).values(hits=RateLimitHit.hits + 1))
        session.execute(delete(RateLimitHit).where(RateLimitHit.window < window - 1))
    hits = session.scalar(select(RateLimitHit.hits).where(
        RateLimitHit.key == key, RateLimitHit.window == window))
    session.commit()
    return (hits or 0) <= limit
