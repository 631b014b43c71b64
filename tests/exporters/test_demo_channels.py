"""The demo catalog publishes to each of its channels, from the CLI and from the API, to a
folder and to a real S3 bucket."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask import Flask
from sqlalchemy.orm import Session

from pim.auth import passwords, personal, users
from pim.catalog import services as s
from pim.demo.loader import load_demo
from tests.assets.seaweed import BUCKET, SeaweedS3

BASE = "/api/rest/v1"


def s3_object(seaweed: SeaweedS3, key: str) -> bytes:
    client = seaweed.client()
    try:
        stored = client.get_object(Bucket=BUCKET, Key=key)
        body = stored["Body"].read()
        stored["Body"].close()
    finally:
        client.close()
    return body


def test_the_demo_publishes_to_every_channel_from_the_cli_and_the_api(
        app: Flask, session: Session, tmp_path: Path, seaweed: SeaweedS3,
        monkeypatch: pytest.MonkeyPatch) -> None:
    load_demo(session, app.extensions["prism.storage"], app.extensions["prism.ingest_policy"])
    run = uuid.uuid4().hex[:8]
    channels = {}
    for channel in s.list_channels(session):
        assert channel.exporter, f"demo channel {channel.code} has no exporter"
        folder = tmp_path / "feeds" / channel.code
        prefix = f"demo-{run}/{channel.code}"
        settings = {**(channel.settings or {}), "destinations": [
            {"type": "folder", "path": str(folder)},
            {"type": "s3", "url": f"s3://{BUCKET}/{prefix}", "endpoint_url": seaweed.endpoint}]}
        s.update_channel(session, channel.code, {"settings": settings}, author="t")
        channels[channel.code] = (folder, prefix)
    assert len(channels) == 3

    runner = app.test_cli_runner()
    for code, (folder, prefix) in channels.items():
        result = runner.invoke(args=["publish", code])
        assert result.exit_code == 0, result.output
        assert "succeeded" in result.output, result.output
        [written] = [p for p in folder.iterdir()]
        body = written.read_bytes()
        assert body and s3_object(seaweed, f"{prefix}/{written.name}") == body
        assert f"sha256 {hashlib.sha256(body).hexdigest()}" in result.output

    monkeypatch.setattr(passwords, "_hasher",
                        lambda: PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    users.create_user(session, "publisher", "correct horse battery", "editor")
    _, token = personal.create_personal_token(session, "publisher", "write")
    client = app.test_client()
    for code, (folder, prefix) in channels.items():
        started = client.post(f"{BASE}/publications", json={"channel": code},
                              headers={"Authorization": f"Bearer {token}"})
        assert started.status_code == 202, started.json
        body = started.json
        assert body["status"] == "succeeded", body
        assert body["counts"]["exported"] > 0, (code, body["counts"])
        [written] = [p for p in folder.iterdir()]
        assert hashlib.sha256(written.read_bytes()).hexdigest() == body["checksum"]
        stored = s3_object(seaweed, f"{prefix}/{written.name}")
        assert hashlib.sha256(stored).hexdigest() == body["checksum"]
