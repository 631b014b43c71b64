"""Attach an uploaded image to a product, and bulk-edit a selection as a job."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in

pytestmark = pytest.mark.browser


def png(tmp_path, name: str, color: tuple[int, int, int]) -> str:
    path = tmp_path / name
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), color).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_attach_an_uploaded_image_and_reorder(context, live, tmp_path):
    page = context.new_page()
    sign_in(page, "editor")
    page.goto("/assets")
    page.get_by_label("choose files").set_input_files([png(tmp_path, "library-red.png",
                                                           (200, 20, 20))])
    expect(page.locator(".uploads li")).to_contain_text("done: library_red")
    expect(page.locator(".asset-tile", has_text="library_red")).to_be_visible()
    shot(page, "12-asset-library")
    page.locator(".asset-tile", has_text="library_red").click()
    expect(page.get_by_role("heading", name="Metadata (EXIF, IPTC, XMP)")).to_be_visible()
    box = page.locator("[data-focal] img").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.5)
    expect(page.get_by_label("x", exact=True)).to_have_value(re.compile(r"0\.2[45]\d\d"))
    page.get_by_role("button", name="Save focal point").click()
    expect(page.get_by_text("Focal point saved")).to_be_visible()
    shot(page, "13-asset-page")

    page.goto("/products/shoe-1")
    page.get_by_role("button", name="Add assets…").click()
    picker = page.get_by_role("group", name="Pick assets")
    picker.get_by_label("Upload new files and add them").set_input_files(
        [png(tmp_path, "shoe-side.png", (20, 20, 200))])
    expect(picker.locator(".uploads li")).to_contain_text("done: shoe_side")
    picker.get_by_role("button", name="Add library_red").click()
    items = page.locator("#f-images li")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("shoe_side")
    items.nth(1).get_by_role("button", name="Move library_red earlier").click()
    expect(items.first).to_contain_text("library_red")
    expect(page.locator("#f-images li img").first).to_be_visible()
    shot(page, "14-editor-asset-picker")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved shoe-1.")).to_be_visible()
    expect(page.locator("#f-images li").first).to_contain_text("library_red")
    expect(page.locator("#f-images li").nth(1)).to_contain_text("shoe_side")


def test_bulk_disable_runs_as_a_job_with_progress(context, live):
    page = context.new_page()
    sign_in(page, "editor")
    page.goto("/products")
    page.get_by_label("Select boot-2").check()
    page.get_by_label("Select bag-3").check()
    expect(page.locator("[data-selected-count]")).to_have_text("2")
    page.get_by_label("Action").select_option("disable")
    page.get_by_role("button", name="Apply to selection").click()
    expect(page.get_by_role("heading", name="Job: bulk edit")).to_be_visible()
    expect(page.locator(".job-progress")).to_have_attribute("data-status", "succeeded")
    expect(page.get_by_text("changeset")).to_be_visible()
    shot(page, "15-bulk-job")
    page.goto("/products?enabled=no")
    expect(page.get_by_role("heading", name="2 products")).to_be_visible()
