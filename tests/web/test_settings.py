"""Settings pages for admins: structure, users and tokens; editors are kept out."""

import re

import pytest

from pim.auth.personal import list_personal_tokens
from pim.auth.users import get_user
from pim.catalog import services as s


@pytest.mark.parametrize("url", ["/settings/attributes", "/settings/families",
                                 "/settings/categories", "/settings/channels",
                                 "/settings/locales", "/settings/users", "/settings/tokens"])
def test_editors_cannot_open_settings(catalog, editor, url):
    assert editor.get(url).status_code == 403


def test_admin_creates_an_attribute_with_rules_and_options(catalog, admin):
    page = admin.get("/settings/attributes/new?type=pim_catalog_simpleselect")
    assert page.status_code == 200
    response = admin.post("/settings/attributes/new", data={
        "code": "season", "type": "pim_catalog_simpleselect", "group": "general",
        "label.en_US": "Season", "label.fr_FR": "Saison", "localizable": "",
        "prop.auto_option_sorting": "true"})
    assert response.status_code == 302
    attribute = s.get_attribute(catalog, "season")
    assert attribute.labels == {"en_US": "Season", "fr_FR": "Saison"}
    assert attribute.properties == {"auto_option_sorting": True}
    added = admin.post("/settings/attributes/season/options", data={
        "code": "summer", "label.en_US": "Summer", "sort_order": "1"})
    assert added.status_code == 302
    assert [o.code for o in s.list_options(catalog, "season")] == ["summer"]
    listing = admin.get("/settings/attributes/season/options").get_data(as_text=True)
    assert "Summer" in listing


def test_attribute_errors_are_listed_and_nothing_is_created(catalog, admin):
    response = admin.post("/settings/attributes/new", data={
        "code": "bad code", "type": "pim_catalog_metric", "prop.metric_family": "Weight",
        "prop.default_metric_unit": "PARSEC"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "not a valid code" in body and "PARSEC" in body
    assert "bad code" not in [a.code for a in s.list_attributes(catalog)]


def test_type_properties_fragment(catalog, admin):
    body = admin.get("/settings/attributes/properties?type=pim_catalog_metric"
                     ).get_data(as_text=True)
    assert 'name="prop.metric_family"' in body and 'name="prop.default_metric_unit"' in body


def test_admin_changes_family_requirements_and_completeness_follows(catalog, admin):
    page = admin.get("/settings/families/shoes").get_data(as_text=True)
    assert 'name="req.mobile" value="name"' in page
    attributes = re.findall(r'name="attribute" value="([^"]+)"[^>]*checked', page)
    response = admin.post("/settings/families/shoes", data={
        "attribute": attributes, "attribute_as_label": "name",
        "req.ecommerce": ["name"], "req.mobile": ["name", "price"]})
    assert response.status_code == 302
    catalog.expire_all()
    family = s.get_family(catalog, "shoes")
    assert family.required_codes("mobile") == ["name", "price", "sku"]
    product = s.get_product(catalog, "shoe-1")
    missing = {(r.channel_id, r.locale): r.missing_attributes for r in product.completeness}
    mobile = s.get_channel(catalog, "mobile").id
    assert missing[(mobile, "en_US")] == ["price"]


def test_admin_creates_a_family_variant(catalog, admin):
    response = admin.post("/settings/families/shoes/variants", data={
        "code": "shoes_by_color", "axes.1": ["color"], "attributes.1": ["picture"]})
    assert response.status_code == 302
    assert s.get_family_variant(catalog, "shoes_by_color").variant_attribute_sets[0]["axes"] \
        == ["color"]


def test_admin_manages_categories(catalog, admin):
    response = admin.post("/settings/categories", data={"code": "women", "parent": "shoes",
                                                        "label.en_US": "Women"})
    assert response.status_code == 302
    assert s.get_category(catalog, "women").parent.code == "shoes"
    refused = admin.post("/settings/categories/shoes/delete", follow_redirects=True)
    assert "cannot be deleted" in refused.get_data(as_text=True)


def test_admin_edits_a_channel(catalog, admin):
    response = admin.post("/settings/channels/mobile", data={
        "locale": ["en_US"], "more_locales": "el_GR", "currencies": "eur, usd",
        "category_tree": "master", "exporter": "google"})
    assert response.status_code == 302
    catalog.expire_all()
    channel = s.get_channel(catalog, "mobile")
    assert channel.locales == ["en_US", "el_GR"] and channel.currencies == ["EUR", "USD"]
    assert "el_GR" in admin.get("/settings/locales").get_data(as_text=True)


def test_admin_manages_users_and_tokens(catalog, admin, session):
    response = admin.post("/settings/users", data={"username": "zofia", "role": "editor",
                                                   "password": "długie hasło 123"})
    assert response.status_code == 302
    assert get_user(session, "zofia").role == "editor"
    admin.post("/settings/users/zofia/role", data={"role": "reviewer"})
    session.expire_all()
    assert get_user(session, "zofia").role == "reviewer"
    short = admin.post("/settings/users/zofia/password", data={"password": "short"})
    assert short.status_code == 422
    created = admin.post("/settings/tokens", data={"username": "zofia", "scope": "read",
                                                   "label": "feed reader"})
    assert created.status_code == 201
    plain = re.search(r'<pre class="code" id="new-token">([^<]+)</pre>',
                      created.get_data(as_text=True)).group(1)
    assert plain.startswith("prism_pat_")
    token = list_personal_tokens(session, "zofia")[0]
    assert admin.post(f"/settings/tokens/{token.id}/revoke").status_code == 302
    session.refresh(token)
    assert token.revoked is not None
    listing = admin.get("/settings/tokens").get_data(as_text=True)
    assert plain not in listing  # shown once only


def test_editor_cannot_manage_users(catalog, editor):
    assert editor.post("/settings/users", data={"username": "x", "role": "admin",
                                                "password": "whatever123"}).status_code == 403
