"""Errors of exporters and publications."""

from __future__ import annotations

from pim.errors import PrismError


class MappingError(ValueError):
    """A channel mapping, filter or transform is wrong; the message says where and why."""


class PublicationRunning(PrismError):
    """Another publication of the same channel is queued or running."""

    code = "publication_running"

    def __init__(self, channel: str, publication_id: int) -> None:
        super().__init__(f"publication {publication_id} of channel {channel!r} is already "
                         "running; wait for it to end before starting another")
        self.channel = channel
        self.publication_id = publication_id


class PublicationFailed(PrismError):
    """A publication could not be delivered; the live output was left as it was."""

    code = "publication_failed"
