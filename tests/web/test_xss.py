"""Hostile text everywhere it can be typed renders as text, never as markup."""

import re

import lxml.html

from pim.catalog import services as s
from tests.builders import value

SCRIPT = '<script>alert("x")</script>'
IMAGE = '"><img src=x onerror=alert(1)>'
PAYLOAD = SCRIPT + IMAGE
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"


def assert_inert(body: str) -> None:
    """No payload reached the page as markup: parsed as a browser would, no script runs
    alert and no element carries an on* handler or a javascript: link (rich text keeps
    the sanitizer's safe subset, such as a plain <img src="x">)."""
    assert "<script>alert" not in body
    assert "<img src=x " not in body
    tree = lxml.html.document_fromstring(body)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        assert not (element.tag == "script" and "alert" in (element.text or "")), body
        for name in ("href", "src", "action"):
            assert not (element.get(name) or "").strip().lower().startswith("javascript:")
        handlers = [name for name in element.attrib if name.lower().startswith("on")]
        assert not handlers, f"<{element.tag}> carries {handlers}"


def hostile_catalog(session) -> str:
    labels = {"en_US": PAYLOAD, "fr_FR": PAYLOAD}
    s.update_attribute(session, "name", {"labels": labels}, author=PAYLOAD)
    s.update_family(session, "shoes", {"labels": labels}, author="t")
    s.update_category(session, "men", {"labels": labels}, author="t")
    s.update_channel(session, "ecommerce", {"labels": labels}, author="t")
    s.save_option(session, "color", {"code": "red", "labels": labels}, author="t")
    identifier = "x" + SCRIPT
    s.create_product(session, {"identifier": identifier, "family": "shoes",
                               "categories": ["men"], "values": {
                                   "name": value(PAYLOAD, "en_US"),
                                   "description": value(f"<p>ok</p>{PAYLOAD}", "en_US",
                                                        "ecommerce"),
                                   "color": value("red"),
                                   "site": value("https://example.com/?q=%3Cscript%3E")}},
                     author=PAYLOAD, comment=PAYLOAD)
    s.update_product(session, identifier, {"values": {"name": value(PAYLOAD + " 2", "en_US")}},
                     author=PAYLOAD, comment=PAYLOAD)
    changeset = s.new_changeset(session, PAYLOAD, "import:" + PAYLOAD, PAYLOAD)
    s.update_product(session, identifier, {"values": {"name": value(PAYLOAD + " 3", "en_US")}},
                     author=PAYLOAD, changeset_id=changeset)
    return changeset


def test_payloads_in_every_text_render_as_text(catalog, admin):
    changeset = hostile_catalog(catalog)
    identifier = "x" + SCRIPT
    from urllib.parse import quote

    path = quote(identifier, safe="")
    pages = ["/", "/products", "/products?q=" + quote(PAYLOAD, safe=""),
             f"/products/{path}?locale=en_US&compare=fr_FR&channel=ecommerce",
             f"/history/product/{path}", f"/history/product/{path}/diff?from=1&to=3",
             "/changesets", f"/changesets/{changeset}", "/settings/attributes",
             "/settings/attributes/name", "/settings/attributes/color/options",
             "/settings/families", "/settings/families/shoes", "/settings/categories",
             "/settings/categories/men", "/settings/channels", "/settings/channels/ecommerce",
             "/jobs/"]
    for page in pages:
        response = admin.get(page)
        assert response.status_code == 200, page
        body = response.get_data(as_text=True)
        assert_inert(body)
    editor_page = admin.get(f"/products/{path}?locale=en_US&channel=ecommerce"
                            ).get_data(as_text=True)
    assert ESCAPED in editor_page  # the text is there, shown as text
    assert "<p>ok</p>" in editor_page  # sanitized rich text keeps its safe markup


def test_payload_typed_into_the_editor_and_echoed_back_is_inert(catalog, editor):
    page = editor.get("/products/shoe-1").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    response = editor.post("/products/shoe-1", data={
        "version": version, "field": ["stock.~.~", "name.en_US.~"], "v.stock.~.~": PAYLOAD,
        "v.name.en_US.~": PAYLOAD})
    assert response.status_code == 422
    assert_inert(response.get_data(as_text=True))


def test_conflict_screen_keeps_payloads_inert(catalog, editor):
    page = editor.get("/products/shoe-1").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    base = re.search(r'name="base" value="(\d+)"', page).group(1)
    s.update_product(catalog, "shoe-1", {"values": {"name": value(PAYLOAD, "en_US")}},
                     author=PAYLOAD)
    response = editor.post("/products/shoe-1", data={
        "version": version, "base": base, "field": ["name.en_US.~"],
        "v.name.en_US.~": IMAGE + SCRIPT})
    assert response.status_code == 409
    assert_inert(response.get_data(as_text=True))


def test_job_errors_and_bulk_messages_are_inert(catalog, editor):
    response = editor.post("/bulk", data={"action": "set_value", "ids": [PAYLOAD],
                                          "attribute": "stock", "bulk_value": "1"})
    job_page = editor.get(response.headers["Location"]).get_data(as_text=True)
    assert_inert(job_page)
    assert "does not exist" in job_page
