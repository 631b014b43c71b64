"""Import pages: upload, preview on the first rows, dry run, run, report, failed rows, revert."""

import io
import re

from pim.catalog import services as s
from pim.errors import NotFound
from tests.imports.conftest import csv_bytes
from tests.web.test_xss import PAYLOAD, assert_inert

HEADER = ["sku", "family", "categories", "name-en_US", "stock"]
ROWS = [["imp-1", "shoes", "men", "Imported shoe", "4"],
        ["imp-2", "shoes", "men", "Zażółć gęślą jaźń", "5"],
        ["imp-3", "nope", "men", "Bad family", "6"]]


def upload(client, data: bytes, name: str = "products.csv", **options):
    response = client.post("/imports", data={"file": (io.BytesIO(data), name), **options},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def token_of(location: str) -> str:
    return re.search(r"/imports/staged/([0-9a-f]{32})", location).group(1)


def test_preview_shows_format_columns_and_first_rows(catalog, editor):
    location = upload(editor, csv_bytes(HEADER, ROWS))
    page = editor.get(location).get_data(as_text=True)
    assert "Detected format: <strong>akeneo</strong>" in page
    assert "Zażółć gęślą jaźń" in page and "Imported shoe" in page
    assert page.count('badge badge-ok">mapped') == len(HEADER)
    assert 'delimiter ";"' in page
    assert s.list_families(catalog)  # nothing else happened
    try:
        s.get_product(catalog, "imp-1")
        raise AssertionError("the preview wrote a product")
    except NotFound:
        pass


def test_preview_marks_unknown_columns(catalog, editor):
    location = upload(editor, csv_bytes([*HEADER, "colour"], [[*ROWS[0], "red"]]))
    page = editor.get(location).get_data(as_text=True)
    assert "This import would be refused" in page
    assert "badge badge-bad" in page and "unknown" in page
    ignored = editor.get(location + "&ignore_unknown_columns=1").get_data(as_text=True)
    assert "This import would be refused" not in ignored


def test_dry_run_then_for_real_then_failed_rows_then_revert(catalog, editor):
    token = token_of(upload(editor, csv_bytes(HEADER, ROWS)))
    dry = editor.post(f"/imports/staged/{token}", data={"name": "products.csv",
                                                       "dry_run": "1", "mode": "partial"})
    assert dry.status_code == 302
    report = editor.get(dry.headers["Location"]).get_data(as_text=True)
    assert 'data-import-status>succeeded' in report and "dry run" in report
    assert "3 rows read" in report and "1 refused" in report
    assert "Import for real" in report
    try:
        s.get_product(catalog, "imp-1")
        raise AssertionError("the dry run wrote a product")
    except NotFound:
        pass
    import_id = dry.headers["Location"].rsplit("/", 1)[1]
    real = editor.post(f"/imports/{import_id}/again", data={"mode": "partial"})
    page = editor.get(real.headers["Location"]).get_data(as_text=True)
    assert "Revert the whole import" in page
    assert s.get_product(catalog, "imp-2").values["name"][0]["data"] == "Zażółć gęślą jaźń"
    real_id = real.headers["Location"].rsplit("/", 1)[1]
    link = re.search(r'href="(/imports/[^"]+/failed\.csv[^"]*)"', page).group(1)
    failed = editor.get(link.replace("&amp;", "&"))
    assert failed.mimetype == "text/csv"
    text = failed.get_data(as_text=True)
    assert "imp-3" in text and "imp-1" not in text and "Import errors" in text
    assert "nope" in text
    reverted = editor.post(f"/imports/{real_id}/revert", follow_redirects=True)
    assert "Import reverted: 0 put back, 2 removed" in reverted.get_data(as_text=True)
    catalog.expire_all()
    try:
        s.get_product(catalog, "imp-1")
        raise AssertionError("the revert left a product")
    except NotFound:
        pass


def test_unreadable_upload_is_reported(catalog, editor):
    location = upload(editor, b"PK\x03\x04 not really a workbook", name="broken.xlsx")
    page = editor.get(location).get_data(as_text=True)
    assert "flash-error" in page


def test_import_pages_keep_hostile_text_inert(catalog, editor):
    data = csv_bytes(HEADER, [["x1", "shoes", "men", PAYLOAD, "1"],
                              [PAYLOAD.replace(",", ""), "nope", "men", PAYLOAD, "1"]])
    token = token_of(upload(editor, data, name=PAYLOAD + ".csv"))
    page = editor.get(f"/imports/staged/{token}?name=x").get_data(as_text=True)
    assert_inert(page)
    run = editor.post(f"/imports/staged/{token}", data={"name": PAYLOAD + ".csv"})
    assert_inert(editor.get(run.headers["Location"]).get_data(as_text=True))
    assert_inert(editor.get("/imports").get_data(as_text=True))


def test_staged_token_cannot_walk_the_disk(catalog, editor):
    assert editor.get("/imports/staged/..%2F..%2Fsecret_key").status_code == 404
    assert editor.get("/imports/staged/" + "0" * 32).status_code == 404


def test_viewers_cannot_import(catalog, viewer):
    assert viewer.get("/imports").status_code == 403


SHOPIFY = (b"Handle,Title,Variant SKU,Variant Price,Status\r\n"
           b"cap,Cap,CAP-1,15,active\r\n")


def test_an_editor_cannot_run_an_import_that_changes_the_structure(catalog, editor, admin):
    """A Shopify file creates its attributes and family: the same rights as in the API."""
    token = token_of(upload(editor, SHOPIFY, "shop.csv", currency="EUR", locale="en_US"))
    refused = editor.post(f"/imports/staged/{token}", data={
        "name": "shop.csv", "mode": "partial", "currency": "EUR", "locale": "en_US"},
        follow_redirects=True)
    assert "only an administrator may run it" in refused.get_data(as_text=True)
    catalog.expire_all()
    try:
        s.get_product(catalog, "CAP-1")
        raise AssertionError("the refused import wrote a product")
    except NotFound:
        pass
    token = token_of(upload(admin, SHOPIFY, "shop.csv", currency="EUR", locale="en_US"))
    done = admin.post(f"/imports/staged/{token}", data={
        "name": "shop.csv", "mode": "partial", "currency": "EUR", "locale": "en_US"})
    import_id = done.headers["Location"].rsplit("/", 1)[1]
    page = admin.get(done.headers["Location"]).get_data(as_text=True)
    assert "data-import-status>succeeded" in page, page
    catalog.expire_all()
    assert s.get_product(catalog, "CAP-1")
    reverted = editor.post(f"/imports/{import_id}/revert", follow_redirects=True)
    assert "only an administrator may revert it" in reverted.get_data(as_text=True)
    catalog.expire_all()
    assert s.get_product(catalog, "CAP-1")
