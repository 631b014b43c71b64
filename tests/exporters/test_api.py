"""The publication resources of the REST API, with their role checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask import Flask
from sqlalchemy.orm import Session

from exporters.publishing import queue_publication
from pim.auth import passwords, personal, users
from pim.catalog import services as s
from tests.builders import value
from tests.exporters.conftest import IMAGE, set_channel

BASE = "/api/rest/v1"


@pytest.fixture()
def bearer(session: Session, monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, str]]:
    monkeypatch.setattr(passwords, "_hasher",
                        lambda: PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    found = {}
    for role in ("viewer", "editor", "admin"):
        users.create_user(session, role, "correct horse battery", role)
        _, plain = personal.create_personal_token(session, role, "write")
        found[role] = {"Authorization": f"Bearer {plain}"}
    return found


@pytest.fixture()
def google(catalog: Session, tmp_path: Path) -> Path:
    folder = tmp_path / "feeds"
    set_channel(catalog, "google", {"mapping": {"image_link": IMAGE},
                                    "destinations": [{"type": "folder", "path": str(folder)}]})
    return folder


def test_start_get_list_and_report_a_publication(app: Flask, catalog: Session, google: Path,
                                                 bearer: dict) -> None:
    client = app.test_client()
    started = client.post(f"{BASE}/publications", json={"channel": "ecommerce"},
                          headers=bearer["editor"])
    assert started.status_code == 202, started.json
    body = started.json
    assert (body["status"], body["mode"], body["counts"]["exported"]) == ("succeeded", "full", 4)
    assert started.headers["Location"] == body["_links"]["self"]["href"]
    assert client.get(f"{BASE}/publications/{body['id']}",
                      headers=bearer["viewer"]).json["checksum"] == body["checksum"]
    listed = client.get(f"{BASE}/publications?channel=ecommerce", headers=bearer["viewer"])
    assert [p["id"] for p in listed.json["_embedded"]["items"]] == [body["id"]]
    report = client.get(f"{BASE}/publications/{body['id']}/report?limit=2",
                        headers=bearer["viewer"]).json
    assert report["problems_by_rule"] == {"required": 3}
    assert [p["identifier"] for p in report["problems"]] == ["=broken", "=broken"]
    rest = client.get(f"{BASE}/publications/{body['id']}/report?after={report['next_after']}",
                      headers=bearer["viewer"]).json
    assert len(rest["problems"]) == 1 and rest["next_after"] is None


def test_roles_running_publications_and_bad_input(app: Flask, catalog: Session, google: Path,
                                                  bearer: dict) -> None:
    client = app.test_client()
    refused = client.post(f"{BASE}/publications", json={"channel": "ecommerce"},
                          headers=bearer["viewer"])
    assert refused.status_code == 403
    bad = client.post(f"{BASE}/publications", json={"channel": "ecommerce", "mode": "half"},
                      headers=bearer["editor"])
    assert bad.status_code == 422
    unknown = client.post(f"{BASE}/publications", json={"channel": "nope"},
                          headers=bearer["editor"])
    assert unknown.status_code == 404
    queue_publication(catalog, "ecommerce")
    busy = client.post(f"{BASE}/publications", json={"channel": "ecommerce"},
                       headers=bearer["editor"])
    assert busy.status_code == 409 and "already running" in busy.json["message"]
    assert client.get(f"{BASE}/publications/999", headers=bearer["viewer"]).status_code == 404


def test_rollback_through_the_api(app: Flask, catalog: Session, google: Path,
                                  bearer: dict) -> None:
    client = app.test_client()
    first = client.post(f"{BASE}/publications", json={"channel": "ecommerce"},
                        headers=bearer["editor"]).json
    before = (google / "ecommerce.xml").read_bytes()
    s.update_product(catalog, "shoe-1", {"values": {"stock": value(0)}}, author="t")
    delta = client.post(f"{BASE}/publications", json={"channel": "ecommerce", "mode": "delta"},
                        headers=bearer["editor"]).json
    assert (delta["mode"], delta["counts"]["exported"]) == ("delta", 1)
    wrong = client.post(f"{BASE}/publications/{delta['id']}/rollback",
                        headers=bearer["editor"])
    assert wrong.status_code == 422, wrong.json
    back = client.post(f"{BASE}/publications/{first['id']}/rollback", headers=bearer["editor"])
    assert back.status_code == 202 and back.json["base"] == first["id"]
    assert (google / "ecommerce.xml").read_bytes() == before


def test_preview_listings_consistency_and_feed_secret(app: Flask, catalog: Session,
                                                      google: Path, bearer: dict) -> None:
    set_channel(catalog, "meta", {"mapping": {"image_link": IMAGE}}, code="mobile")
    client = app.test_client()
    preview = client.get(f"{BASE}/channels/ecommerce/preview/shoe-1", headers=bearer["viewer"])
    assert preview.status_code == 200 and preview.json["ready"]
    assert preview.json["record"]["gtin"] == "4006381333931"
    side = client.get(f"{BASE}/products/shoe-1/listings", headers=bearer["viewer"]).json
    assert [c["channel"] for c in side["channels"]] == ["ecommerce", "mobile"]
    assert side["channels"][1]["channel_errors"][0]["field"] == "settings.mapping.brand"
    assert client.get(f"{BASE}/channels/ecommerce/preview/nope",
                      headers=bearer["viewer"]).status_code == 404
    report = client.get(f"{BASE}/channels/ecommerce/consistency", headers=bearer["viewer"])
    assert report.status_code == 200 and report.json["skipped_channels"]["mobile"]
    client.post(f"{BASE}/publications", json={"channel": "ecommerce"}, headers=bearer["editor"])
    assert client.post(f"{BASE}/channels/ecommerce/feed-secret",
                       headers=bearer["editor"]).status_code == 403
    secret = client.post(f"{BASE}/channels/ecommerce/feed-secret", headers=bearer["admin"]).json
    url = secret["feed_urls"]["ecommerce.xml"]
    with client.get(url.removeprefix(app.config["PUBLIC_URL"])) as feed:
        assert feed.status_code == 200 and feed.data == (google / "ecommerce.xml").read_bytes()
