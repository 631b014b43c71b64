"""Publications: full and delta runs, records and problems, the live listing, rollback."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exporters.feeds import rotate_feed_secret
from exporters.live import live_outputs
from exporters.models import ChannelListing, PublicationRecord
from exporters.publishing import (
    dump_publication,
    list_publications,
    publication_problems,
    start_publication,
    start_rollback,
)
from pim.catalog import services as s
from pim.errors import ValidationError
from tests.builders import value
from tests.exporters.conftest import IMAGE, set_channel


def google_to(session: Session, folder: Path, **extra: Any) -> None:
    set_channel(session, "google", {"mapping": {"image_link": IMAGE},
                                    "destinations": [{"type": "folder", "path": str(folder)}],
                                    **extra})


def count(session: Session, model: Any, publication_id: int) -> int:
    return session.scalar(select(func.count()).select_from(model).where(
        model.publication_id == publication_id))


def listing(session: Session, channel: str = "ecommerce") -> dict[str, tuple[int, int]]:
    channel_id = s.get_channel(session, channel).id
    rows = session.scalars(select(ChannelListing).where(ChannelListing.channel_id == channel_id))
    return {row.identifier: (row.publication_id, row.product_version) for row in rows}


def test_a_full_publication_records_everything_and_goes_live(
        app: Flask, catalog: Session, tmp_path: Path) -> None:
    google_to(catalog, tmp_path / "feeds")
    publication = start_publication(app, "ecommerce", created_by="editor")
    data = dump_publication(publication)
    assert data["status"] == "succeeded", data["error"]
    assert (data["mode"], data["kind"], data["counts"]["exported"],
            data["counts"]["skipped"]) == ("full", "google", 4, 1)
    written = (tmp_path / "feeds" / "ecommerce.xml").read_bytes()
    assert hashlib.sha256(written).hexdigest() == publication.checksum
    assert publication.size == len(written) and publication.job_id
    assert data["deliveries"] == [{"where": str(tmp_path / "feeds" / "ecommerce.xml"),
                                   "status": "delivered"}]
    assert [p.name for p in (tmp_path / "feeds").iterdir()] == ["ecommerce.xml"]
    assert count(catalog, PublicationRecord, publication.id) == 4
    problems = publication_problems(catalog, publication.id)
    assert {(p.identifier, p.field, p.rule) for p in problems} == {
        ("=broken", "description", "required"), ("=broken", "price", "required"),
        ("=broken", "availability", "required")}
    assert listing(catalog) == {name: (publication.id, 1) for name in (
        "trail-s", "trail-m", "shoe-1", "shoe-2")}
    archived = app.extensions["prism.storage"].open(publication.archive_key)
    with archived, gzip.GzipFile(fileobj=archived) as unpacked:
        assert unpacked.read() == written
    assert publication.isolation
    assert [p.id for p in list_publications(catalog, "ecommerce")] == [publication.id]


def test_a_delta_writes_only_changes_then_nothing(app: Flask, catalog: Session,
                                                  tmp_path: Path) -> None:
    google_to(catalog, tmp_path)
    full = start_publication(app, "ecommerce")
    s.update_product(catalog, "shoe-1", {"values": {"stock": value(0)}}, author="t")
    s.update_product_model(catalog, "trail", {"values": {"price": value([
        {"amount": "79.00", "currency": "EUR"}, {"amount": "89.00", "currency": "USD"}])}},
        author="t")
    delta = start_publication(app, "ecommerce", delta=True)
    assert (delta.status, delta.mode, delta.base_id) == ("succeeded", "delta", None)
    assert (delta.exported, delta.unchanged, delta.file_name) == (3, 1, "ecommerce-delta.xml")
    text = (tmp_path / "ecommerce-delta.xml").read_text()
    assert "<g:id>shoe-1</g:id>" in text and "out_of_stock" in text and "shoe-2" not in text
    assert (tmp_path / "ecommerce.xml").read_bytes() != b""
    assert listing(catalog)["shoe-1"] == (delta.id, 2)
    assert listing(catalog)["shoe-2"] == (full.id, 1)
    outputs = live_outputs(catalog, s.get_channel(catalog, "ecommerce").id)
    assert (outputs.full.id, outputs.delta.id) == (full.id, delta.id)
    quiet = start_publication(app, "ecommerce", delta=True)
    assert (quiet.status, quiet.exported, quiet.unchanged) == ("succeeded", 0, 4)
    assert quiet.details["nothing_changed"] and quiet.file_name is None
    assert live_outputs(catalog, s.get_channel(catalog, "ecommerce").id).delta.id == delta.id


def test_deltas_say_removals_where_the_format_can(app: Flask, catalog: Session,
                                                  tmp_path: Path) -> None:
    set_channel(catalog, "amazon", {
        "seller_id": "A1SELLER", "destinations": [{"type": "folder", "path": str(tmp_path)}],
        "mapping": {"main_image": IMAGE, "brand": {"value": "Acme"},
                    "country_of_origin": {"value": "PL"}}})
    start_publication(app, "ecommerce")
    s.delete_product(catalog, "shoe-2", author="t")
    s.update_product(catalog, "trail-s", {"enabled": False}, author="t")
    delta = start_publication(app, "ecommerce", delta=True)
    document = json.loads((tmp_path / "ecommerce-delta.json").read_text())
    assert document["messages"] == [
        {"messageId": 1, "sku": "trail-s", "operationType": "DELETE"},
        {"messageId": 2, "sku": "shoe-2", "operationType": "DELETE"}]
    assert (delta.removed, delta.exported) == (2, 0)
    assert set(listing(catalog)) == {"trail-m", "shoe-1"}


def test_rollback_puts_an_earlier_output_back(app: Flask, catalog: Session,
                                              tmp_path: Path) -> None:
    google_to(catalog, tmp_path)
    first = start_publication(app, "ecommerce")
    first_bytes = (tmp_path / "ecommerce.xml").read_bytes()
    s.update_product(catalog, "shoe-1", {"values": {"name": value("Renamed", "en_US")}},
                     author="t")
    second = start_publication(app, "ecommerce")
    assert (tmp_path / "ecommerce.xml").read_bytes() != first_bytes
    back = start_rollback(app, first.id, created_by="admin")
    assert (back.status, back.mode, back.base_id) == ("succeeded", "rollback", first.id)
    assert (tmp_path / "ecommerce.xml").read_bytes() == first_bytes
    assert (back.checksum, back.exported) == (first.checksum, first.exported)
    assert listing(catalog)["shoe-1"] == (back.id, 1)
    assert live_outputs(catalog, s.get_channel(catalog, "ecommerce").id).full.id == back.id
    secret = rotate_feed_secret(catalog, "ecommerce")
    with app.test_client().get(f"/feeds/ecommerce/{secret}/ecommerce.xml") as answer:
        assert answer.data == first_bytes
    assert second.id < back.id


def test_only_succeeded_full_publications_can_be_put_back(app: Flask, catalog: Session,
                                                          tmp_path: Path) -> None:
    google_to(catalog, tmp_path)
    start_publication(app, "ecommerce")
    s.update_product(catalog, "shoe-1", {"values": {"stock": value(9)}}, author="t")
    delta = start_publication(app, "ecommerce", delta=True)
    with pytest.raises(ValidationError, match="only a succeeded full publication"):
        start_rollback(app, delta.id)


def test_a_channel_with_a_bad_mapping_or_destination_is_refused_at_start(
        app: Flask, catalog: Session, tmp_path: Path) -> None:
    google_to(catalog, tmp_path, mapping={"title": {"attribute": "ghost"}})
    with pytest.raises(ValidationError, match="attribute 'ghost' does not exist"):
        start_publication(app, "ecommerce")
    set_channel(catalog, "google", {"mapping": {"image_link": IMAGE},
                                    "destinations": [{"type": "ftp"}, {"type": "folder"}]})
    with pytest.raises(ValidationError) as caught:
        start_publication(app, "ecommerce")
    assert [e.field for e in caught.value.errors] == ["settings.destinations[0]",
                                                      "settings.destinations[1]"]
    assert list_publications(catalog, "ecommerce") == []
    with pytest.raises(ValidationError, match="the channel has no exporter"):
        start_publication(app, "mobile")
