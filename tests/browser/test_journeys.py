"""An editor's main journeys in a real browser, with a screenshot of each page visited."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import TABLET, shot, sign_in

pytestmark = pytest.mark.browser


def test_sign_in_find_by_search_and_facet(context, live):
    page = context.new_page()
    sign_in(page, "editor")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    shot(page, "01-dashboard")
    page.get_by_role("link", name="Products", exact=True).click()
    expect(page.get_by_role("heading", name="3 products")).to_be_visible()
    page.get_by_label("Search").fill("mountain")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", name="1 product")).to_be_visible()
    expect(page.get_by_role("link", name="boot-2")).to_be_visible()
    page.get_by_label("Search").fill("")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", name="3 products")).to_be_visible()
    page.get_by_label("Accessories").check() if page.get_by_label("Accessories").count() \
        else page.get_by_label("accessories").check()
    expect(page.get_by_role("heading", name="1 product")).to_be_visible()
    expect(page.get_by_role("link", name="bag-3")).to_be_visible()
    assert "family=accessories" in page.url
    shot(page, "02-grid-search-and-facet")
    page.get_by_role("link", name="bag-3").click()
    expect(page.get_by_role("heading", name=re.compile("bag-3"))).to_be_visible()
    shot(page, "03-editor")


def test_edit_two_locales_side_by_side_and_see_completeness(context, live):
    page = context.new_page()
    sign_in(page, "editor")
    page.goto("/products/shoe-1?locale=en_US&channel=ecommerce")
    expect(page.locator('[data-ratio="ecommerce-fr_FR"]')).to_have_text("25%")
    page.get_by_label("Side by side with").select_option("fr_FR")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_label("Name, fr_FR")).to_be_visible()
    page.get_by_label("Name, fr_FR").fill("Chaussure de trail")
    description = page.get_by_label("Description, en_US, ecommerce")
    description.fill("Light and grippy")
    description.select_text()
    page.get_by_role("toolbar", name="Formatting for Description").first.get_by_role(
        "button", name="B bold").click()
    expect(page.locator("#f-description-en_US-ecommerce-preview strong")).to_have_text(
        "Light and grippy")
    page.get_by_label("Description, fr_FR, ecommerce").fill("<p>Légère</p>")
    page.get_by_label("Price in EUR").fill("89.90")
    page.get_by_label("Price in USD").fill("99")
    expect(page.locator("[data-unsaved-note]")).to_be_visible()
    shot(page, "04-editor-two-locales")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved shoe-1.")).to_be_visible()
    expect(page.locator('[data-ratio="ecommerce-fr_FR"]')).to_have_text("100%")
    expect(page.locator('[data-ratio="ecommerce-en_US"]')).to_have_text("100%")
    expect(page.get_by_label("Name, fr_FR")).to_have_value("Chaussure de trail")
    shot(page, "05-editor-saved-completeness")


def test_leaving_with_unsaved_changes_asks_first(context, live):
    page = context.new_page()
    sign_in(page, "editor")
    page.goto("/products/boot-2")
    page.get_by_label("Stock").fill("12")
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.get_by_role("link", name="Dashboard").click()
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    assert "/products/boot-2" in page.url


def test_edit_conflict_is_shown_and_resolved(chromium, live):
    first = chromium.new_context(viewport={"width": 1366, "height": 900}, base_url=live.url)
    second = chromium.new_context(viewport={"width": 1366, "height": 900}, base_url=live.url)
    try:
        anna, ben = first.new_page(), second.new_page()
        sign_in(anna, "editor")
        sign_in(ben, "admin")
        for page in (anna, ben):
            page.goto("/products/boot-2?locale=en_US&channel=ecommerce")
        anna.get_by_label("Name, en_US").fill("Alpine boot")
        anna.get_by_role("button", name="Save").click()
        expect(anna.get_by_text("Saved boot-2.")).to_be_visible()
        ben.get_by_label("Name, en_US").fill("Summit boot")
        ben.get_by_label("Site").fill("https://example.com/summit")
        ben.get_by_role("button", name="Save").click()
        expect(ben.get_by_role("heading", name="Someone saved boot-2 while you were editing")
               ).to_be_visible()
        row = ben.locator('tr[data-key="name-en_US"]')
        expect(row).to_contain_text("Alpine boot")
        expect(row).to_contain_text("Summit boot")
        shot(ben, "06-conflict")
        row.get_by_label("mine").check()
        ben.get_by_role("button", name="Save with these choices").click()
        expect(ben.get_by_text("Saved boot-2 with your choices.")).to_be_visible()
        expect(ben.get_by_label("Name, en_US")).to_have_value("Summit boot")
        expect(ben.get_by_label("Site")).to_have_value("https://example.com/summit")
        shot(ben, "07-conflict-resolved")
    finally:
        first.close()
        second.close()


def test_view_a_diff_and_restore(context, live):
    page = context.new_page()
    sign_in(page, "editor")
    page.goto("/products/bag-3?locale=en_US&channel=ecommerce")
    page.get_by_label("Name, en_US").fill("Leather travel bag")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved bag-3.")).to_be_visible()
    page.locator("#main").get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", name=re.compile("History of product"))).to_be_visible()
    shot(page, "08-history")
    page.get_by_role("button", name="Compare the two chosen versions").click()
    expect(page.locator("ins")).to_have_text("travel")
    shot(page, "09-diff")
    # The diff compares the two latest versions; restore the older one (the demo's).
    restore = page.get_by_role("button", name=re.compile(r"Restore version \d+"))
    older = re.search(r"\d+", restore.inner_text()).group()
    restore.click()
    expect(page.get_by_text(f"Restored bag-3 to version {older}")).to_be_visible()
    page.goto("/products/bag-3?locale=en_US")
    expect(page.get_by_label("Name, en_US")).to_have_value("Leather bag")


def test_viewer_reads_without_edit_controls_on_a_tablet(chromium, live):
    ctx = chromium.new_context(viewport=TABLET, base_url=live.url)
    try:
        page = ctx.new_page()
        sign_in(page, "viewer")
        page.goto("/products/shoe-1")
        expect(page.get_by_role("button", name="Save")).to_have_count(0)
        expect(page.get_by_role("textbox")).to_have_count(0)
        shot(page, "10-viewer-tablet-editor")
        page.goto("/products")
        expect(page.get_by_role("button", name="Apply to selection")).to_have_count(0)
        shot(page, "11-viewer-tablet-grid")
    finally:
        ctx.close()
