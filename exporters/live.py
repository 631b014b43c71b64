"""What is live on each channel: the listed products and the outputs the feed URL serves."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, delete, insert, literal, select
from sqlalchemy.orm import Session

from exporters.models import (
    DELTA,
    FULL,
    ROLLBACK,
    SUCCEEDED,
    ChannelListing,
    Publication,
    PublicationRecord,
)
from pim.db import UTCDateTime

BATCH = 2000


class ListingBaseline:
    """The channel's live records, for delta exports (read inside the export's snapshot)."""

    def __init__(self, session: Session, channel_id: int) -> None:
        self.session = session
        self.channel_id = channel_id

    def hashes(self, product_ids: list[int]) -> dict[int, str]:
        """Live record hashes of these products."""
        rows = self.session.execute(
            select(ChannelListing.product_id, ChannelListing.record_hash).where(
                ChannelListing.channel_id == self.channel_id,
                ChannelListing.product_id.in_(product_ids)))
        return dict(rows.all())

    def gone(self, seen: set[int]) -> list[tuple[int, str]]:
        """Listed products the export did not meet (deleted, disabled, filtered out)."""
        found = []
        last = 0
        while True:
            rows = self.session.execute(
                select(ChannelListing.product_id, ChannelListing.identifier)
                .where(ChannelListing.channel_id == self.channel_id,
                       ChannelListing.product_id > last)
                .order_by(ChannelListing.product_id).limit(BATCH)).all()
            if not rows:
                return found
            last = rows[-1].product_id
            found.extend((r.product_id, r.identifier) for r in rows if r.product_id not in seen)


@dataclass(frozen=True)
class LiveOutputs:
    """The publications whose outputs are live: the full one, and a delta after it."""

    full: Publication | None
    delta: Publication | None

    def by_file(self) -> dict[str, Publication]:
        """Live publications by the file name the feed URL serves them under."""
        return {p.file_name: p for p in (self.full, self.delta) if p is not None and p.file_name}


def live_outputs(session: Session, channel_id: int) -> LiveOutputs:
    """Return the channel's live full (or rolled back) publication and the delta after it."""
    done = select(Publication).where(Publication.channel_id == channel_id,
                                     Publication.status == SUCCEEDED)
    full = session.scalar(done.where(Publication.mode.in_((FULL, ROLLBACK)))
                          .order_by(Publication.finished.desc(), Publication.id.desc()).limit(1))
    deltas = done.where(Publication.mode == DELTA, Publication.archive_key.is_not(None))
    if full is not None:
        deltas = deltas.where(Publication.id > full.id)
    delta = session.scalar(deltas.order_by(Publication.id.desc()).limit(1))
    return LiveOutputs(full, delta)


def replace_listings(session: Session, publication: Publication, source_id: int,
                     moment: dt.datetime) -> None:
    """Make the records of publication `source_id` the channel's whole live listing."""
    session.execute(delete(ChannelListing).where(
        ChannelListing.channel_id == publication.channel_id))
    _insert_from(session, publication, source_id, moment)


def apply_delta(session: Session, publication: Publication, moment: dt.datetime) -> None:
    """Update the listing with a delta's written records and drop its removed ones."""
    touched = select(PublicationRecord.product_id).where(
        PublicationRecord.publication_id == publication.id)
    session.execute(delete(ChannelListing).where(
        ChannelListing.channel_id == publication.channel_id,
        ChannelListing.product_id.in_(touched)))
    _insert_from(session, publication, publication.id, moment)


def _insert_from(session: Session, publication: Publication, source_id: int,
                 moment: dt.datetime) -> None:
    rows = select(
        literal(publication.channel_id), PublicationRecord.product_id,
        PublicationRecord.identifier, literal(publication.id),
        PublicationRecord.product_version, PublicationRecord.record_hash,
        literal(moment, type_=UTCDateTime()),
    ).where(and_(PublicationRecord.publication_id == source_id,
                 PublicationRecord.removed.is_(False)))
    session.execute(insert(ChannelListing).from_select(
        ["channel_id", "product_id", "identifier", "publication_id", "product_version",
         "record_hash", "published"], rows))


def listings_of(session: Session, product_id: int) -> dict[int, ChannelListing]:
    """The live listings of one product, by channel id."""
    rows = session.scalars(select(ChannelListing).where(
        ChannelListing.product_id == product_id))
    return {row.channel_id: row for row in rows}
