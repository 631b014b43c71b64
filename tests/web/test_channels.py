"""Channel pages: preview, publish with a report, download, rollback, feed URL, mapping,
and a product's listing on every channel."""

import re

import pytest

from pim.catalog import services as s
from tests.builders import value
from tests.exporters.conftest import IMAGE, fill_catalog, set_channel
from tests.web.test_xss import PAYLOAD, assert_inert


@pytest.fixture()
def channels(session):
    fill_catalog(session)
    set_channel(session, "google", {"mapping": {"image_link": IMAGE}})
    return session


def publish(client, mode: str = "full") -> str:
    response = client.post("/channels/ecommerce/publish", data={"mode": mode})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "/publications/" in response.headers["Location"]
    return response.headers["Location"]


def test_channel_list_and_page(channels, editor):
    listing = editor.get("/channels").get_data(as_text=True)
    assert "Google" in listing and "nothing yet" in listing
    page = editor.get("/channels/ecommerce").get_data(as_text=True)
    assert "Publish ecommerce" in page and "Not published yet" in page


def test_preview_shows_the_record_and_what_blocks_it(channels, editor):
    ready = editor.get("/channels/ecommerce/preview?identifier=shoe-1").get_data(as_text=True)
    assert 'badge badge-ok">ready' in ready and "89.00 EUR" in ready
    blocked = editor.get("/channels/ecommerce/preview?identifier==broken").get_data(as_text=True)
    assert 'badge badge-bad">blocked' in blocked and "price is required" in blocked
    missing = editor.get("/channels/ecommerce/preview?identifier=nope").get_data(as_text=True)
    assert "does not exist" in missing


def test_publish_report_download_and_rollback(channels, editor):
    first = publish(editor)
    report = editor.get(first).get_data(as_text=True)
    assert "data-publication-status>succeeded" in report
    assert "=broken" in report and "required" in report
    publication_id = int(first.rsplit("/", 1)[1])
    download = editor.get(f"/publications/{publication_id}/download")
    body = download.get_data()
    download.close()
    assert download.status_code == 200 and b"<rss" in body and b"shoe-1" in body
    s.update_product(channels, "shoe-2", {"values": {"name": value("Road shoe II", "en_US")}},
                     author="t")
    delta = editor.get(publish(editor, "delta")).get_data(as_text=True)
    assert "data-publication-status>succeeded" in delta
    second = publish(editor)
    assert second != first
    back = editor.post(f"/publications/{publication_id}/rollback")
    assert back.status_code == 302
    rolled = editor.get(back.headers["Location"]).get_data(as_text=True)
    assert "rollback" in rolled and "data-publication-status>succeeded" in rolled
    page = editor.get("/channels/ecommerce").get_data(as_text=True)
    assert page.count("Roll back to this") >= 2


def test_feed_url_is_shown_once_and_serves_the_live_file(channels, editor, admin):
    publish(editor)
    assert editor.post("/channels/ecommerce/feed").status_code == 403
    page = admin.post("/channels/ecommerce/feed").get_data(as_text=True)
    url = re.search(r"<pre class=\"code\" data-feed-url>([^<]+)</pre>", page).group(1)
    path = "/" + url.split("/", 3)[3]
    feed = admin.get(path)
    body = feed.get_data()
    feed.close()
    assert feed.status_code == 200 and b"<rss" in body
    assert url not in admin.get("/channels/ecommerce").get_data(as_text=True)


def test_mapping_editor_saves_and_refuses_bad_entries(channels, admin, editor):
    assert editor.get("/channels/ecommerce/mapping").status_code == 403
    page = admin.get("/channels/ecommerce/mapping").get_data(as_text=True)
    assert 'name="map.title"' in page and 'name="map.image_link"' in page
    bad = admin.post("/channels/ecommerce/mapping", data={
        "map.image_link": '{"template": "https://cdn.example.com/img/{identifier}.jpg"}',
        "map.title": '{"attribute": "nope"}'})
    assert bad.status_code == 422
    assert 'id="map-title-error"' in bad.get_data(as_text=True)
    good = admin.post("/channels/ecommerce/mapping", data={
        "map.image_link": '{"template": "https://cdn.example.com/img/{identifier}.jpg"}',
        "map.title": "{name} by Prism"})
    assert good.status_code == 302
    channels.expire_all()
    assert s.get_channel(channels, "ecommerce").settings["mapping"]["title"] == \
        "{name} by Prism"
    preview = admin.get("/channels/ecommerce/preview?identifier=shoe-1").get_data(as_text=True)
    assert "Trail shoe by Prism" in preview


def test_listing_on_every_channel_side_by_side(channels, editor):
    set_channel(channels, "meta", {"mapping": {"image_link": IMAGE}}, code="mobile")
    page = editor.get("/channels/listing/shoe-1").get_data(as_text=True)
    assert page.count('<section class="card" aria-labelledby="channel-') == 2
    assert "ecommerce" in page and "mobile" in page
    editor_page = editor.get("/products/shoe-1").get_data(as_text=True)
    assert 'href="/channels/listing/shoe-1"' in editor_page


def test_channel_pages_keep_hostile_text_inert(channels, editor):
    s.update_product(channels, "shoe-1", {"values": {"name": value(PAYLOAD, "en_US")}},
                     author="t")
    for url in ("/channels/ecommerce/preview?identifier=shoe-1", "/channels/listing/shoe-1"):
        assert_inert(editor.get(url).get_data(as_text=True))
    assert_inert(editor.get(publish(editor)).get_data(as_text=True))


def test_viewer_cannot_publish(channels, viewer):
    assert viewer.post("/channels/ecommerce/publish", data={"mode": "full"}).status_code == 403
    page = viewer.get("/channels/ecommerce").get_data(as_text=True)
    assert "Publish ecommerce" not in page


def test_bulk_publish_from_the_grid_publishes_the_channel_changes(channels, editor):
    options = editor.get("/bulk/options?action=publish").get_data(as_text=True)
    assert '<option value="ecommerce">' in options
    grid = editor.get("/products").get_data(as_text=True)
    assert '<option value="publish">' in grid
    response = editor.post("/bulk", data={"action": "publish", "channel": "ecommerce",
                                          "ids": ["shoe-1"]})
    assert response.status_code == 302 and "/publications/" in response.headers["Location"]
    report = editor.get(response.headers["Location"]).get_data(as_text=True)
    assert "data-publication-status>succeeded" in report
