"""Publish a channel in a real browser: preview a product, publish, download the output,
fetch the feed URL, see a product on every channel."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from pim.catalog import services as s
from tests.browser.conftest import shot, sign_in
from tests.builders import value

pytestmark = pytest.mark.browser


def ready_for_google(live) -> None:
    with live.session() as session:
        for identifier in ("shoe-1", "boot-2"):
            s.update_product(session, identifier, {"values": {
                "description": value(f"<p>{identifier} for the trail</p>", "en_US",
                                     "ecommerce"),
                "price": value([{"amount": "79.00", "currency": "EUR"},
                                {"amount": "85.00", "currency": "USD"}]),
                "stock": value(5)}}, author="seed")
        s.update_channel(session, "ecommerce", {"exporter": "google", "settings": {
            "locale": "en_US", "mapping": {
                "image_link": {"template": "https://cdn.example.com/{identifier}.jpg"}}}},
            author="seed")


def test_preview_publish_and_download_a_channel(context, live):
    ready_for_google(live)
    page = context.new_page()
    sign_in(page, "admin")
    page.get_by_role("link", name="Channels").click()
    page.get_by_role("link", name="ecommerce").first.click()
    page.get_by_label("Product identifier").fill("boot-2")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#channel-preview")).to_contain_text("ready")
    expect(page.locator("#channel-preview")).to_contain_text("79.00 EUR")
    shot(page, "20-channel-preview")
    page.get_by_role("button", name="Publish ecommerce").click()
    status = page.locator("[data-publication-status]")
    expect(status).to_have_text("succeeded", timeout=60_000)
    shot(page, "21-publication-report")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download ecommerce.xml").click()
    feed = Path(download.value.path()).read_text(encoding="utf-8")
    assert "<rss" in feed and "boot-2" in feed
    page.get_by_role("link", name="ecommerce", exact=True).click()
    page.get_by_role("button", name="Show a new feed URL").click()
    url = page.locator("[data-feed-url]").first.inner_text().strip()
    shot(page, "22-channel-feed-url")
    fetched = page.request.get(url)
    assert fetched.ok and "<rss" in fetched.text() and "boot-2" in fetched.text()
    page.goto("/channels/listing/boot-2")
    expect(page.get_by_role("heading", name="boot-2 on every channel")).to_be_visible()
    shot(page, "23-listing-every-channel")
