"""`prism export` and `prism publish` from the command line."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask
from lxml import etree
from sqlalchemy.orm import Session

from exporters.publishing import list_publications
from pim.catalog import services as s
from tests.builders import value
from tests.exporters.conftest import IMAGE, set_channel


def test_export_writes_a_file_and_reports_skipped_products(app: Flask, catalog: Session,
                                                           tmp_path: Path) -> None:
    set_channel(catalog, "google", {"mapping": {"image_link": IMAGE}})
    out = tmp_path / "out" / "google.xml"
    result = app.test_cli_runner().invoke(args=["export", "ecommerce", "--out", str(out)])
    assert result.exit_code == 0, result.output
    root = etree.fromstring(out.read_bytes(), etree.XMLParser(recover=False))
    assert len(root.findall("channel/item")) == 4
    assert "Wrote 4 records" in result.output and "skipped 1" in result.output
    assert "=broken: description (required)" in result.output
    assert list_publications(catalog, "ecommerce") == []
    assert [p.name for p in out.parent.iterdir()] == ["google.xml"]


def test_export_refuses_a_bad_mapping_saying_where(app: Flask, catalog: Session,
                                                    tmp_path: Path) -> None:
    set_channel(catalog, "google", {"mapping": {"title": "ghost"}})
    out = tmp_path / "google.xml"
    result = app.test_cli_runner().invoke(args=["export", "ecommerce", "--out", str(out)])
    assert result.exit_code == 1
    assert "settings.mapping.title: attribute 'ghost' does not exist" in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == [tmp_path / "instance"]


def test_publish_runs_the_job_then_a_delta_and_lists_the_history(
        app: Flask, catalog: Session, tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    set_channel(catalog, "google", {"mapping": {"image_link": IMAGE},
                                    "destinations": [{"type": "folder", "path": str(feeds)}]})
    runner = app.test_cli_runner()
    result = runner.invoke(args=["publish", "ecommerce"])
    assert result.exit_code == 0, result.output
    written = (feeds / "ecommerce.xml").read_bytes()
    assert f"sha256 {hashlib.sha256(written).hexdigest()}" in result.output
    assert "succeeded; 4 written, 1 skipped" in result.output
    s.update_product(catalog, "shoe-1", {"values": {"stock": value(0)}}, author="t")
    delta = runner.invoke(args=["publish", "ecommerce", "--delta"])
    assert "(delta): succeeded; 1 written" in delta.output
    history = runner.invoke(args=["publish", "ecommerce", "--history"])
    assert history.output.count("succeeded") == 2
    secret = runner.invoke(args=["publish", "ecommerce", "--new-feed-secret"])
    assert "/feeds/ecommerce/" in secret.output and "ecommerce-delta.xml" in secret.output
    first = list_publications(catalog, "ecommerce")[-1]
    back = runner.invoke(args=["publish", "ecommerce", "--rollback", str(first.id)])
    assert "(rollback): succeeded" in back.output
    assert (feeds / "ecommerce.xml").read_bytes() == written
