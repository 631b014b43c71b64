"""A listing preview: for one product, what every channel will receive and what blocks it.

Side by side for each channel with an exporter: whether its filters let the product
through (and why not), the record the channel would get, the problems that would skip it,
what is live there now (publication, product version) and whether the product changed
since.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exporters.context import ImageSource
from exporters.engine import Export, prepare_export, record_hash
from exporters.live import listings_of
from exporters.values import canonical
from pim.catalog.models import Channel
from pim.catalog.reading import ResolvedProduct, resolve_product
from pim.errors import NotFound, PrismError, ValidationError


@dataclass
class ChannelPreview:
    """What one channel would receive of one product."""

    channel: str
    kind: str | None
    included: bool = False
    excluded_because: str | None = None
    record: dict[str, Any] | None = None
    problems: list[dict[str, Any]] = field(default_factory=list)
    live: dict[str, Any] | None = None
    changed_since_live: bool | None = None
    channel_errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        """The product would go out as shown."""
        return self.included and not self.problems and not self.channel_errors

    def as_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["ready"] = self.ready
        return data


def exporting_channels(session: Session) -> list[Channel]:
    """Channels that have an exporter, by code."""
    return list(session.scalars(select(Channel).where(Channel.exporter.is_not(None))
                                .order_by(Channel.code)))


def preview_listing(session: Session, identifier: str, *, public_url: str,
                    images: ImageSource | None = None) -> list[ChannelPreview]:
    """Preview `identifier` on every channel that has an exporter."""
    product = resolve_product(session, identifier)
    live = listings_of(session, product.id)
    return [_preview(session, channel, product, live.get(channel.id), public_url, images)
            for channel in exporting_channels(session)]


def preview_on_channel(session: Session, channel_code: str, identifier: str, *,
                       public_url: str, images: ImageSource | None = None) -> ChannelPreview:
    """Preview `identifier` on one channel."""
    channel = session.scalar(select(Channel).where(Channel.code == channel_code))
    if channel is None:
        raise NotFound("channel", channel_code)
    product = resolve_product(session, identifier)
    live = listings_of(session, product.id).get(channel.id)
    return _preview(session, channel, product, live, public_url, images)


def _preview(session: Session, channel: Channel, product: ResolvedProduct, live: Any,
             public_url: str, images: ImageSource | None) -> ChannelPreview:
    preview = ChannelPreview(channel.code, channel.exporter)
    if live is not None:
        preview.live = {"publication": live.publication_id, "version": live.product_version,
                        "published": live.published.isoformat(timespec="seconds"),
                        "record_hash": live.record_hash}
    try:
        export = prepare_export(session, channel, public_url=public_url, images=images)
    except ValidationError as exc:
        preview.channel_errors = [{"field": e.field, "message": e.message} for e in exc.errors]
        return preview
    except PrismError as exc:
        preview.channel_errors = [{"field": "exporter", "message": exc.message}]
        return preview
    _fill(preview, export, product)
    return preview


def _fill(preview: ChannelPreview, export: Export, product: ResolvedProduct) -> None:
    preview.excluded_because = export.filter.excluded(product)
    preview.included = preview.excluded_because is None
    export.mapper.prepare([product])
    mapped = export.map(product)
    preview.record = canonical(mapped.record)
    preview.problems = [p.as_dict() for p in mapped.problems]
    current = record_hash(mapped.record) if not mapped.problems else None
    if preview.live is not None:
        preview.changed_since_live = current != preview.live["record_hash"] or not (
            preview.included)

