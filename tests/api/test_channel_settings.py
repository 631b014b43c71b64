"""A channel's exporter settings are checked when the API saves them, as the UI does."""

from __future__ import annotations

from pim.catalog import services as s

V = "/api/rest/v1"


def test_a_bad_mapping_is_refused_and_changes_nothing(client, catalog, headers):
    admin = headers["admin"]
    before = s.dump_channel(s.get_channel(catalog, "ecommerce"))
    bad = {"exporter": "google", "settings": {"locale": "en_US", "mapping": {
        "title": {"attribute": "no_such_attribute"}}}}
    response = client.patch(f"{V}/channels/ecommerce", json=bad, headers=admin)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert "no_such_attribute" in response.get_data(as_text=True)
    catalog.expire_all()
    assert s.dump_channel(s.get_channel(catalog, "ecommerce")) == before

    unknown = client.patch(f"{V}/channels/ecommerce", json={"exporter": "fax"}, headers=admin)
    assert unknown.status_code == 422 and "unknown exporter kind" in unknown.get_data(
        as_text=True)
    destinations = client.patch(f"{V}/channels/ecommerce", json={"settings": {
        "destinations": "s3://nowhere"}}, headers=admin)
    assert destinations.status_code == 422
    catalog.expire_all()
    assert s.dump_channel(s.get_channel(catalog, "ecommerce")) == before


def test_a_sound_mapping_is_saved(client, catalog, headers):
    good = {"exporter": "google", "settings": {"locale": "en_US", "mapping": {
        "title": {"template": "{name}"}}}}
    response = client.patch(f"{V}/channels/ecommerce", json=good, headers=headers["admin"])
    assert response.status_code == 204, response.get_data(as_text=True)
    catalog.expire_all()
    channel = s.get_channel(catalog, "ecommerce")
    assert channel.exporter == "google"
    assert channel.settings["mapping"]["title"] == {"template": "{name}"}
