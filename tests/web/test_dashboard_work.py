"""The dashboard of an empty catalog, and its lists of recent publications and imports
(these build their own catalogs, so they never share the module catalog)."""

from tests.exporters.conftest import IMAGE, fill_catalog, set_channel
from tests.imports.conftest import csv_bytes
from tests.web.test_imports import HEADER, ROWS, token_of, upload


def test_dashboard_of_an_empty_catalog(users, viewer):
    page = viewer.get("/").get_data(as_text=True)
    assert "0 products" in page
    assert "No completeness yet" in page


def test_dashboard_lists_recent_publications_and_imports(session, users, viewer, editor):
    fill_catalog(session)
    set_channel(session, "google", {"mapping": {"image_link": IMAGE}})
    editor.post("/channels/ecommerce/publish", data={"mode": "full"})
    token = token_of(upload(editor, csv_bytes(HEADER, ROWS)))
    editor.post(f"/imports/staged/{token}", data={"name": "supplier.csv", "dry_run": "1"})
    page = viewer.get("/").get_data(as_text=True)
    assert "ecommerce #" in page and "4 exported, 1 skipped" in page
    assert "supplier.csv" in page and "dry run" in page
