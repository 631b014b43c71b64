"""Read-only figures for the dashboard: completeness, what blocks channels, recent work.

Plain functions over a Session (no Flask), set-based so they stay quick on a large catalog.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import case, func, select, text
from sqlalchemy.orm import Session

from pim.catalog.models import Channel, Completeness, Product, Version


@dataclass(frozen=True)
class LocaleCompleteness:
    """How complete the catalog is on one channel in one locale."""

    channel: str
    locale: str
    products: int
    complete: int
    average: float

    @property
    def complete_percent(self) -> int:
        return round(100 * self.complete / self.products) if self.products else 100


@dataclass
class ChannelBlockers:
    """Products that cannot go to a channel yet and the attributes most often missing."""

    channel: str
    products: int
    blocked: int
    top_missing: list[tuple[str, int]] = field(default_factory=list)


def completeness_by_locale(session: Session) -> list[LocaleCompleteness]:
    """Return completeness per channel and locale over every product."""
    rows = session.execute(
        select(Channel.code, Completeness.locale, func.count(),
               func.sum(case((Completeness.ratio == 100, 1), else_=0)),
               func.avg(Completeness.ratio))
        .join(Channel, Channel.id == Completeness.channel_id)
        .group_by(Channel.code, Completeness.locale)
        .order_by(Channel.code, Completeness.locale)
    ).all()
    return [LocaleCompleteness(code, locale, count, int(complete or 0), float(avg or 0))
            for code, locale, count, complete, avg in rows]


def blockers_by_channel(session: Session, top: int = 5) -> list[ChannelBlockers]:
    """Return, per channel, how many products miss something and the top missing attributes."""
    totals = dict(session.execute(
        select(Channel.code, func.count(func.distinct(Completeness.product_id)))
        .join(Channel, Channel.id == Completeness.channel_id).group_by(Channel.code)).all())
    blocked = dict(session.execute(
        select(Channel.code, func.count(func.distinct(Completeness.product_id)))
        .join(Channel, Channel.id == Completeness.channel_id)
        .where(Completeness.missing > 0).group_by(Channel.code)).all())
    result = {code: ChannelBlockers(code, totals.get(code, 0), blocked.get(code, 0))
              for code in sorted(totals)}
    for code, attribute, count in _missing_counts(session):
        entry = result.get(code)
        if entry is not None and len(entry.top_missing) < top:
            entry.top_missing.append((attribute, count))
    return list(result.values())


def _missing_counts(session: Session) -> list[tuple[str, str, int]]:
    """(channel, attribute, products missing it), most missed first, per channel."""
    if session.get_bind().dialect.name == "postgresql":
        expand = "jsonb_array_elements_text(c.missing_attributes) AS m(value)"
    else:
        expand = "json_each(c.missing_attributes) AS m"
    sql = text(
        "SELECT ch.code, m.value, COUNT(DISTINCT c.product_id) AS n "
        f"FROM completeness c JOIN channels ch ON ch.id = c.channel_id, {expand} "
        "WHERE c.missing > 0 GROUP BY ch.code, m.value ORDER BY ch.code, n DESC, m.value"
    )
    return [(row[0], str(row[1]), int(row[2])) for row in session.execute(sql)]


def recent_versions(session: Session, limit: int = 12) -> list[Version]:
    """Return the latest versions written, of any kind of entity."""
    return list(session.scalars(select(Version).order_by(Version.id.desc()).limit(limit)))


def catalog_size(session: Session) -> int:
    """Return how many products the catalog holds."""
    return int(session.scalar(select(func.count()).select_from(Product)) or 0)
