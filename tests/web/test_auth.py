"""Signing in and out, password change, roles, and CSRF protection of the UI's forms."""

import re

import pytest

from pim import create_app
from tests.web.conftest import PASSWORD, sign_in


def test_pages_need_a_signed_in_user(client, users):
    response = client.get("/products")
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


def test_htmx_request_without_session_is_told_to_sign_in(client, users):
    response = client.get("/products", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login")


def test_sign_in_with_the_right_password_opens_the_dashboard(client, users):
    response = client.post("/login", data={"username": "editor-user", "password": PASSWORD,
                                           "next": "/products"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/products"
    assert client.get("/").status_code == 200


def test_sign_in_refuses_a_wrong_password_and_says_so(client, users):
    response = client.post("/login", data={"username": "editor-user", "password": "nope-nope"})
    assert response.status_code == 401
    assert "Unknown username or wrong password" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x",
                                    "/\\evil.example", "javascript:alert(1)"])
def test_sign_in_never_redirects_off_site(client, users, target):
    response = client.post("/login", data={"username": "editor-user", "password": PASSWORD,
                                           "next": target})
    assert response.headers["Location"] == "/"


def test_sign_out_ends_the_session(editor):
    assert editor.post("/logout").status_code == 302
    assert editor.get("/").status_code == 302


def test_password_change_needs_the_current_password(editor):
    response = editor.post("/account/password", data={
        "current": "wrong-password", "new": "a new password", "confirm": "a new password"})
    assert response.status_code == 400
    assert "not your current password" in response.get_data(as_text=True)


def test_password_change_signs_out_other_sessions(app, users, editor):
    other = app.test_client()
    sign_in(other, users["editor"])
    response = editor.post("/account/password", data={
        "current": PASSWORD, "new": "a brand new password", "confirm": "a brand new password"})
    assert response.status_code == 302
    assert editor.get("/").status_code == 200  # this session carries on
    assert other.get("/").status_code == 302  # the other one is signed out
    fresh = app.test_client()
    login = fresh.post("/login", data={"username": "editor-user",
                                       "password": "a brand new password"})
    assert login.status_code == 302


def test_too_short_new_password_is_refused(editor):
    response = editor.post("/account/password", data={
        "current": PASSWORD, "new": "short", "confirm": "short"})
    assert response.status_code == 400
    assert "at least 8 characters" in response.get_data(as_text=True)


def test_viewer_sees_no_edit_controls(catalog, viewer):
    page = viewer.get("/products/shoe-1").get_data(as_text=True)
    assert 'name="field"' not in page
    assert ">Save<" not in page
    assert "Trail shoe" in page


def test_viewer_is_refused_every_form_post(app, catalog, viewer):
    """Every POST route of the UI refuses a viewer, except signing out."""
    open_to_all = {"auth.login", "auth.logout", "auth.password"}
    posts = [rule for rule in app.url_map.iter_rules()
             if "POST" in rule.methods and rule.endpoint.split(".")[0] in _ui_blueprints(app)
             and rule.endpoint not in open_to_all]
    assert posts, "the UI has forms"
    for rule in posts:
        url = _fill(rule)
        response = viewer.post(url, data={"field": "name.en_US.~", "v.name.en_US.~": "x"})
        assert response.status_code == 403, f"{rule.endpoint} let a viewer in"


def _ui_blueprints(app):
    from pim.web import page_blueprints

    return {bp.name for bp in page_blueprints()}


def _fill(rule):
    values = {"identifier": "shoe-1", "code": "shoe-1", "kind": "product", "number": 1,
              "changeset_id": "nothing", "job_id": "nothing", "token_id": 1,
              "publication_id": 1, "import_id": "nothing", "token": "0" * 32}
    for name in rule.arguments:
        values.setdefault(name, "x")
    return rule.build(values, append_unknown=False)[1]


@pytest.fixture()
def csrf_app(app_config):
    return create_app({**app_config, "WTF_CSRF_ENABLED": True})


def test_a_form_post_without_csrf_token_is_refused(csrf_app, catalog, users):
    client = csrf_app.test_client()
    sign_in(client, users["editor"])
    response = client.post("/products/shoe-1", data={
        "field": "name.en_US.~", "v.name.en_US.~": "Changed"})
    assert response.status_code == 400
    assert "expired or did not come from Prism" in response.get_data(as_text=True)
    page = client.get("/products/shoe-1").get_data(as_text=True)
    assert "Changed" not in page


def test_a_form_post_with_the_csrf_token_goes_through(csrf_app, catalog, users):
    client = csrf_app.test_client()
    sign_in(client, users["editor"])
    page = client.get("/products/shoe-1").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    response = client.post("/products/shoe-1", data={
        "csrf_token": token, "version": version,
        "field": "name.en_US.~", "v.name.en_US.~": "Changed"})
    assert response.status_code == 302
    htmx = client.post("/editor/preview", data={"v.d": "<b>x</b>"},
                       headers={"X-CSRFToken": token, "HX-Trigger-Name": "v.d"})
    assert htmx.status_code == 200


def test_login_form_itself_needs_the_csrf_token(csrf_app, users):
    client = csrf_app.test_client()
    response = client.post("/login", data={"username": "editor-user", "password": PASSWORD})
    assert response.status_code == 400
