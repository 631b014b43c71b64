"""The listing preview and the cross-channel consistency report."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from exporters.consistency import consistency_report
from exporters.preview import preview_listing, preview_on_channel
from exporters.publishing import start_publication
from pim.catalog import services as s
from tests.builders import value
from tests.exporters.conftest import IMAGE, PUBLIC, set_channel


def three_channels(session: Session) -> None:
    set_channel(session, "google", {"mapping": {"image_link": IMAGE}})
    set_channel(session, "meta", {"mapping": {"image_link": IMAGE, "brand": {"value": "Acme"}}},
                code="mobile")
    s.create_channel(session, {"code": "shop", "locales": ["en_US"], "currencies": ["USD"],
                               "category_tree": "master", "exporter": "jsonld",
                               "settings": {"mapping": {"image": IMAGE}}}, author="t")


def test_the_preview_shows_each_channel_side_by_side(app: Flask, catalog: Session) -> None:
    three_channels(catalog)
    s.update_channel(catalog, "mobile", {"settings": {
        "locale": "pl_PL", "mapping": {"image_link": IMAGE, "brand": {"value": "Acme"}}}},
        author="t")
    previews = {p.channel: p for p in preview_listing(catalog, "shoe-1", public_url=PUBLIC)}
    assert list(previews) == ["ecommerce", "mobile", "shop"]
    google, meta, shop = previews["ecommerce"], previews["mobile"], previews["shop"]
    assert google.ready and google.record["price"] == "89.00 EUR"
    assert google.live is None and google.changed_since_live is None
    assert meta.record["title"] == "Buty Zażółć"
    assert {p["field"] for p in meta.problems} == {"description"}  # no Polish description
    assert not meta.ready
    assert shop.record["price"] == "96.50 USD" and shop.ready
    s.update_product(catalog, "shoe-1", {"enabled": False}, author="t")
    assert preview_on_channel(catalog, "ecommerce", "shoe-1", public_url=PUBLIC
                              ).excluded_because == "the product is disabled"


def test_the_preview_says_what_is_live_and_whether_it_changed(app: Flask,
                                                              catalog: Session) -> None:
    set_channel(catalog, "google", {"mapping": {"image_link": IMAGE}})
    publication = start_publication(app, "ecommerce")
    live = preview_on_channel(catalog, "ecommerce", "trail-s", public_url=PUBLIC)
    assert live.live["publication"] == publication.id and live.live["version"] == 1
    assert live.changed_since_live is False
    s.update_product_model(catalog, "trail", {"values": {"name": value("Trail runner 2",
                                                                        "en_US")}}, author="t")
    changed = preview_on_channel(catalog, "ecommerce", "trail-s", public_url=PUBLIC)
    assert changed.changed_since_live is True and changed.live["version"] == 1


def test_a_misconfigured_channel_shows_its_errors_in_the_preview(catalog: Session) -> None:
    set_channel(catalog, "google", {"mapping": {"title": "ghost"}})
    preview = preview_on_channel(catalog, "ecommerce", "shoe-1", public_url=PUBLIC)
    assert not preview.ready and preview.record is None
    assert preview.channel_errors[0]["field"] == "settings.mapping.title"


def test_channels_agree_when_only_declared_transforms_differ(catalog: Session) -> None:
    three_channels(catalog)
    s.update_channel(catalog, "mobile", {"settings": {"mapping": {
        "image_link": IMAGE, "brand": {"value": "Acme"},
        "price": {"attribute": "price", "transforms": [{"round": 0}]},
        "title": {"attribute": "name", "transforms": ["upper", {"truncate": 5}]}}}},
        author="t")
    s.update_product(catalog, "shoe-2", {"values": {"price": value([
        {"amount": "59.90", "currency": "EUR"}, {"amount": "64.90", "currency": "USD"}])}},
        author="t")
    report = consistency_report(catalog, public_url=PUBLIC)
    assert report.channels == ["ecommerce", "mobile", "shop"]
    assert report.differences == [] and report.products == 5


def test_disagreements_are_listed_with_each_channels_value(catalog: Session) -> None:
    three_channels(catalog)
    s.update_channel(catalog, "mobile", {"settings": {"mapping": {
        "image_link": IMAGE, "brand": {"value": "Acme"}, "title": "{name} {color}"}}},
        author="t")
    s.update_channel(catalog, "shop", {"settings": {"mapping": {
        "image": IMAGE, "availability": {"value": "InStock"}}}}, author="t")
    report = consistency_report(catalog, "ecommerce", public_url=PUBLIC,
                                identifiers=["shoe-2"])
    found = {d.role: d.values for d in report.differences}
    assert set(found) == {"title", "availability", "price"}
    assert found["price"] == {"ecommerce": "59.90 EUR", "mobile": "59.90 EUR", "shop": None}
    assert found["availability"] == {"ecommerce": "out_of_stock", "mobile": "out_of_stock",
                                     "shop": "in_stock"}
    assert found["title"]["mobile"]["source"] == {"template": "{name} {color}"}
    assert found["title"]["ecommerce"]["source"] == {"attribute": "name"}
    assert report.by_role == {"title": 1, "availability": 1, "price": 1}
