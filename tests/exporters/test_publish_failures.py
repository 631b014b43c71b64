"""Failing publications leave the live output alone; one channel publishes one at a time."""

from __future__ import annotations

import errno
import socket
import threading
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from exporters.destinations import DESTINATIONS, DeliveryOptions, Folder
from exporters.errors import PublicationRunning
from exporters.live import live_outputs
from exporters.models import FAILED
from exporters.publishing import get_publication, queue_publication, start_publication
from pim.catalog import services as s
from pim.db import make_engine, make_session_factory
from pim.jobs.services import create_job
from tests.builders import value
from tests.exporters.conftest import IMAGE, fill_catalog, set_channel
from tests.exporters.test_publications import listing


class DiskFills(Folder):
    """A real folder whose disk fills up halfway through writing the output."""

    def write(self, source: Path, target: Any) -> None:
        data = source.read_bytes()
        target.write(data[: len(data) // 2])
        target.flush()
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture()
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(DESTINATIONS, "full_disk",
                        lambda entry, options: DiskFills(Path(entry["path"])))


def publish_to(app: Flask, session: Session, destinations: list[dict[str, Any]]) -> Any:
    set_channel(session, "google", {"mapping": {"image_link": IMAGE},
                                    "destinations": destinations})
    return start_publication(app, "ecommerce")


def test_a_disk_filling_up_midway_leaves_the_live_feed(app: Flask, catalog: Session,
                                                       tmp_path: Path, full_disk: None) -> None:
    folder = tmp_path / "feeds"
    live = publish_to(app, catalog, [{"type": "folder", "path": str(folder)}])
    before = (folder / "ecommerce.xml").read_bytes()
    s.update_product(catalog, "shoe-1", {"values": {"stock": value(0)}}, author="t")
    failed = publish_to(app, catalog, [{"type": "full_disk", "path": str(folder)}])
    assert failed.status == FAILED and "No space left on device" in failed.error
    assert (folder / "ecommerce.xml").read_bytes() == before
    assert [p.name for p in folder.iterdir()] == ["ecommerce.xml"]
    assert failed.running_channel_id is None and failed.archive_key is None
    assert live_outputs(catalog, s.get_channel(catalog, "ecommerce").id).full.id == live.id
    assert set(listing(catalog).values()) == {(live.id, 1)}
    again = publish_to(app, catalog, [{"type": "folder", "path": str(folder)}])
    assert again.status == "succeeded" and b"out_of_stock" in (folder / "ecommerce.xml"
                                                              ).read_bytes()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_s3_down_fails_the_publication_and_the_folder_keeps_its_file(
        app: Flask, catalog: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "prism")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "prism-secret")
    folder = tmp_path / "feeds"
    publish_to(app, catalog, [{"type": "folder", "path": str(folder)}])
    before = (folder / "ecommerce.xml").read_bytes()
    s.update_product(catalog, "shoe-2", {"values": {"stock": value(7)}}, author="t")
    failed = publish_to(app, catalog, [
        {"type": "folder", "path": str(folder)},
        {"type": "s3", "url": "s3://feeds/prism",
         "endpoint_url": f"http://127.0.0.1:{closed_port()}"}])
    assert failed.status == FAILED and "StorageError" in failed.error
    assert "s3://feeds/prism/ecommerce.xml" in failed.error
    assert (folder / "ecommerce.xml").read_bytes() == before
    assert [p.name for p in folder.iterdir()] == ["ecommerce.xml"]


def test_a_second_publication_of_a_channel_is_refused_while_one_is_under_way(
        catalog: Session) -> None:
    set_channel(catalog, "google", {"mapping": {"image_link": IMAGE}})
    first = queue_publication(catalog, "ecommerce", created_by="a")
    with pytest.raises(PublicationRunning) as caught:
        queue_publication(catalog, "ecommerce", created_by="b")
    assert caught.value.publication_id == first.id
    set_channel(catalog, "meta", {"mapping": {"image_link": IMAGE}}, code="mobile")
    assert queue_publication(catalog, "mobile").status == "queued"


def test_a_publication_whose_job_died_is_released(catalog: Session) -> None:
    set_channel(catalog, "google", {"mapping": {"image_link": IMAGE}})
    stuck = queue_publication(catalog, "ecommerce")
    job = create_job(catalog, "publish", {"publication_id": stuck.id}, "t")
    job.status = "failed"
    stuck.job_id = job.id
    catalog.commit()
    fresh = queue_publication(catalog, "ecommerce")
    assert fresh.id != stuck.id
    released = get_publication(catalog, stuck.id)
    assert released.status == FAILED and released.error.startswith("abandoned")


def test_racing_starts_of_one_channel_let_exactly_one_through(committed_url: str) -> None:
    engine = make_engine(committed_url)
    sessions = make_session_factory(engine)
    with sessions() as session:
        fill_catalog(session)
        set_channel(session, "google", {"mapping": {"image_link": IMAGE}})
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def start() -> None:
        with sessions() as session:
            barrier.wait()
            try:
                queue_publication(session, "ecommerce")
                outcomes.append("queued")
            except PublicationRunning:
                outcomes.append("refused")

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    assert sorted(outcomes) == ["queued", "refused", "refused", "refused"]


def test_destination_settings_are_checked() -> None:
    from exporters.destinations import channel_destinations
    from pim.errors import ValidationError

    with pytest.raises(ValidationError) as caught:
        channel_destinations({"destinations": [{"type": "folder", "path": "relative"},
                                               {"type": "s3", "url": "http://x"}]},
                             DeliveryOptions())
    assert [e.message for e in caught.value.errors] == [
        "a folder destination needs an absolute path",
        "an s3 destination needs a url like s3://bucket/prefix"]
