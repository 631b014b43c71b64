"""Feed URLs: `/feeds/<channel>/<secret>/<file>` serves a channel's live outputs.

Each channel has one secret, kept as its SHA-256 only; making a new one replaces the old,
so a leaked URL is revoked by rotating it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from exporters.live import live_outputs
from exporters.models import ChannelFeed, Publication
from pim.catalog.models import Channel
from pim.db import utcnow
from pim.errors import NotFound


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def rotate_feed_secret(session: Session, channel_code: str) -> str:
    """Give a channel a new feed secret and return it (it is shown once, kept hashed)."""
    channel = session.scalar(select(Channel).where(Channel.code == channel_code))
    if channel is None:
        raise NotFound("channel", channel_code)
    secret = secrets.token_urlsafe(24)
    feed = session.get(ChannelFeed, channel.id)
    if feed is None:
        feed = ChannelFeed(channel_id=channel.id, secret_sha256=_digest(secret))
        session.add(feed)
    feed.secret_sha256, feed.created = _digest(secret), utcnow()
    session.commit()
    return secret


def feed_url(public_url: str, channel_code: str, secret: str, file_name: str) -> str:
    """The absolute URL a channel fetches a live output from."""
    return (f"{public_url.rstrip('/')}/feeds/{quote(channel_code, safe='')}/"
            f"{quote(secret, safe='')}/{quote(file_name, safe='')}")


@dataclass(frozen=True)
class FeedFile:
    """A live output the feed URL may send."""

    publication_id: int
    archive_key: str
    file_name: str
    media_type: str
    checksum: str
    modified: object


def live_feed_file(session: Session, channel_code: str, secret: str, file_name: str
                   ) -> FeedFile:
    """Return the live output `file_name` of a channel, if `secret` opens its feed."""
    channel = session.scalar(select(Channel).where(Channel.code == channel_code))
    feed = session.get(ChannelFeed, channel.id) if channel is not None else None
    if feed is None or not hmac.compare_digest(feed.secret_sha256, _digest(secret)):
        raise NotFound("feed", channel_code)
    publication: Publication | None = live_outputs(session, channel.id).by_file().get(file_name)
    if publication is None or publication.archive_key is None:
        raise NotFound("feed file", file_name)
    return FeedFile(publication.id, publication.archive_key, file_name,
                    publication.media_type or "application/octet-stream",
                    publication.checksum or "", publication.finished)
