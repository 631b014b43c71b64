"""Run an export: stream products, map and check them, write the good ones, report the rest.

One bad product never breaks a feed: its problems are reported and it is skipped. A delta
export compares each record's hash with what is live on the channel and writes only the
records that changed, then the removals when the format can say them.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Any, BinaryIO, Protocol

from sqlalchemy.orm import Session

from exporters.context import ExportContext, ImageSource, build_context
from exporters.filters import ChannelFilter, channel_filter
from exporters.mapping import Mapped, Mapper
from exporters.output import CountingStream
from exporters.registry import Exporter, exporter_class
from exporters.rules import Problem
from exporters.values import plain_number
from pim.catalog.models import Channel
from pim.catalog.reading import ResolvedProduct, count_products, stream_products
from pim.collector import young_collections
from pim.jsontext import dumps

PREPARE_BATCH = 500
# products read per statement: fewer round trips than the reading default, a few MB more
READ_BATCH = 2000
COLLECT_EVERY = 20


class Baseline(Protocol):
    """What is live on the channel, for delta exports."""

    def hashes(self, product_ids: list[int]) -> dict[int, str]:
        """Return the live record hash of each of these products that is live."""

    def gone(self, seen: set[int]) -> list[tuple[int, str]]:
        """Return (id, identifier) of live products not among `seen`."""


class Observer:
    """Hears what happens to each product; a publication records it, a plain export not."""

    def exported(self, product: ResolvedProduct, record_hash: str) -> None:
        """A record was written."""

    def unchanged(self, product: ResolvedProduct, record_hash: str) -> None:
        """A record equals the live one and was left out of a delta."""

    def skipped(self, product: ResolvedProduct, problems: list[Problem]) -> None:
        """A record broke the channel's rules and was left out."""

    def removed(self, product_id: int, identifier: str, written: bool) -> None:
        """A live product no longer goes to the channel."""


@dataclass
class ExportStats:
    """Counts, checksum and size of one export."""

    channel: str
    kind: str
    file_name: str
    delta: bool
    considered: int = 0
    exported: int = 0
    unchanged: int = 0
    skipped: int = 0
    filtered: int = 0
    removed: int = 0
    removals_written: int = 0
    size: int = 0
    checksum: str = ""
    seconds: float = 0.0
    problems_by_rule: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def record_hash(record: dict[str, Any]) -> str:
    """A stable hash of a record's content."""
    data = dumps(record, default=_plain, sort_keys=True)
    return hashlib.sha256(data).hexdigest()


def _plain(value: Any) -> Any:
    # orjson writes dataclasses (prices, measures, images) itself and asks about decimals
    if isinstance(value, Decimal):
        return plain_number(value)
    raise TypeError(f"cannot hash a {type(value).__name__}")


@dataclass
class Export:
    """An exporter, its mapper and its filter, ready to run on one channel."""

    channel: str
    ctx: ExportContext
    exporter: Exporter
    mapper: Mapper
    filter: ChannelFilter

    def map(self, product: ResolvedProduct, *, keep_raw: bool = False) -> Mapped:
        """Map and check one product's record."""
        return self.mapper.map(product, keep_raw=keep_raw)

    def file_name(self, delta: bool) -> str:
        return self.exporter.file_name(delta)


def prepare_export(session: Session, channel: Channel, *, public_url: str,
                   images: ImageSource | None = None) -> Export:
    """Check the channel's mapping and filters and build its export (ValidationError if bad)."""
    cls = exporter_class(channel.exporter)
    ctx = build_context(session, channel, public_url=public_url, images=images, kind=cls.kind)
    exporter = cls(ctx)
    return Export(channel.code, ctx, exporter, exporter.mapper(), channel_filter(ctx))


def run_export(session: Session, export: Export, out: BinaryIO, *, delta: Baseline | None = None,
               observer: Observer | None = None,
               progress: Callable[[int, int], None] | None = None) -> ExportStats:
    """Write the channel's records to `out` from the session's current snapshot."""
    started = time.perf_counter()
    observer = observer or Observer()
    stats = ExportStats(export.channel, export.exporter.kind,
                        export.file_name(delta is not None), delta is not None)
    query = export.filter.query(grouped=export.exporter.grouped)
    total = count_products(session, query)
    stream = CountingStream(out)
    writer = export.exporter.open(stream, delta=delta is not None)
    seen: set[int] = set()
    hashed = delta is not None or _hears_records(observer)
    # a young collection walks every product of the batch being read: one per
    # COLLECT_EVERY chunks keeps cycles in check at a small share of the CPU
    with young_collections(COLLECT_EVERY) as batch_done:
        for batch in _chunks(stream_products(session, query, batch_size=READ_BATCH),
                             PREPARE_BATCH):
            live = delta.hashes([p.id for p in batch]) if delta is not None else {}
            export.mapper.prepare(batch)
            for product in batch:
                _one(export, product, writer, live, delta is not None, hashed, stats,
                     observer, seen)
            if progress is not None:
                progress(stats.considered, total)
            batch_done()
    _removals(export, writer, delta, seen, stats, observer)
    writer.close()
    stream.flush()
    stats.size, stats.checksum = stream.size, stream.checksum
    stats.seconds = round(time.perf_counter() - started, 3)
    return stats


def _hears_records(observer: Observer) -> bool:
    """Tell whether `observer` does something with record hashes (a plain one does not)."""
    kind = type(observer)
    return kind.exported is not Observer.exported or kind.unchanged is not Observer.unchanged


def _one(export: Export, product: ResolvedProduct, writer: Any, live: dict[int, str],
         delta: bool, hashed: bool, stats: ExportStats, observer: Observer, seen: set[int]
         ) -> None:
    stats.considered += 1
    if export.filter.excluded(product) is not None:
        stats.filtered += 1
        return
    seen.add(product.id)
    mapped = export.mapper.map(product)
    if mapped.problems:
        stats.skipped += 1
        for problem in mapped.problems:
            stats.problems_by_rule[problem.rule] = stats.problems_by_rule.get(problem.rule, 0) + 1
        observer.skipped(product, mapped.problems)
        return
    # a plain export throws the hash away: its cost is not paid then
    digest = record_hash(mapped.record) if hashed else ""
    if delta and live.get(product.id) == digest:
        stats.unchanged += 1
        observer.unchanged(product, digest)
        return
    writer.write(mapped.record, product, new=delta and product.id not in live)
    stats.exported += 1
    observer.exported(product, digest)


def _removals(export: Export, writer: Any, delta: Baseline | None, seen: set[int],
              stats: ExportStats, observer: Observer) -> None:
    if delta is None:
        return
    can_remove = export.exporter.can_remove
    for product_id, identifier in delta.gone(seen):
        stats.removed += 1
        if can_remove:
            writer.remove(identifier)
            stats.removals_written += 1
        observer.removed(product_id, identifier, can_remove)


def _chunks(items: Iterator[ResolvedProduct], size: int) -> Iterator[list[ResolvedProduct]]:
    while batch := list(islice(items, size)):
        yield batch
