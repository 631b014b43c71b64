"""Import a CSV in a real browser: preview, dry run, then for real with the live progress bar,
the refused rows downloaded."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in

pytestmark = pytest.mark.browser
ROWS = 300


def supplier_file(tmp_path) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["sku", "family", "categories", "name-en_US", "stock"])
    for n in range(ROWS):
        writer.writerow([f"sup-{n:05d}", "shoes", "men", f"Supplier shoe {n} — żółw", str(n)])
    writer.writerow(["sup-bad", "no_such_family", "men", "Broken row", "1"])
    path = tmp_path / "supplier.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return str(path)


def finished(status) -> None:
    """Wait for the import to end, then insist that it succeeded."""
    expect(status).not_to_have_text(re.compile("queued|running"), timeout=40_000)
    expect(status).to_have_text("succeeded", timeout=1_000)


def test_import_with_a_dry_run_then_for_real(context, live, tmp_path):
    page = context.new_page()
    sign_in(page, "editor")
    page.get_by_role("link", name="Imports").click()
    page.get_by_label("File (CSV or XLSX)").set_input_files(supplier_file(tmp_path))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", name="Preview of supplier.csv")).to_be_visible()
    expect(page.get_by_text("Supplier shoe 0 — żółw")).to_be_visible()
    shot(page, "16-import-preview")
    page.get_by_role("button", name="Dry run: check everything, write nothing").click()
    status = page.locator("[data-import-status]")
    finished(status)
    expect(page.get_by_text(f"{ROWS + 1} rows read")).to_be_visible()
    expect(page.get_by_text("1 refused")).to_be_visible()
    shot(page, "17-import-dry-run")
    page.get_by_role("button", name="Import for real").click()
    progress = page.get_by_role("progressbar", name="Progress of the import job")
    expect(progress).to_be_visible()
    shot(page, "18-import-running")
    finished(status)
    expect(progress).to_have_attribute("aria-valuenow", str(ROWS + 1))
    expect(page.get_by_role("button", name="Revert the whole import")).to_be_visible()
    shot(page, "19-import-done")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the refused rows of supplier.csv").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "sup-bad" in text and "sup-00001" not in text
    page.goto("/products?q=sup-00042")
    expect(page.get_by_role("link", name="sup-00042")).to_be_visible()
