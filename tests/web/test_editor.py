"""The product editor: the form built from the family, saving, errors and conflicts."""

import re

from pim.catalog import services as s
from tests.builders import value


def form_of(page: str) -> dict:
    """The hidden inputs of the editor form."""
    return {name: val for name, val in re.findall(
        r'<input type="hidden" name="(version|base)" value="([^"]*)"', page)}


def test_editor_draws_each_type_with_its_widget(catalog, editor):
    page = editor.get("/products/shoe-1?locale=en_US&channel=ecommerce").get_data(as_text=True)
    assert 'name="v.name.en_US.~"' in page and 'value="Trail shoe"' in page
    assert 'name="v.description.en_US.ecommerce"' in page and "data-rte" in page
    assert 'name="v.price.~.~.EUR"' in page and 'name="v.price.~.~.USD"' in page
    assert 'name="v.weight.~.~.amount"' in page and 'name="v.weight.~.~.unit"' in page
    assert '<option value="KILOGRAM" selected>' in page
    assert 'type="date" id="f-release_date" name="v.release_date.~.~"' in page
    assert 'name="v.waterproof.~.~"' in page and '<option value="true"' in page
    assert 'name="v.color.~.~"' in page and '<option value="red"' in page
    assert 'type="checkbox" name="v.materials.~.~" value="leather"' in page
    assert 'data-sortable' in page  # the asset collection's list
    assert 'name="category" value="men" checked' in page
    assert "required on ecommerce" in page


def test_save_two_locales_side_by_side_and_see_completeness_change(catalog, editor):
    url = "/products/shoe-1?locale=en_US&compare=fr_FR&channel=ecommerce"
    page = editor.get(url).get_data(as_text=True)
    assert 'name="v.name.fr_FR.~"' in page
    assert 'data-ratio="ecommerce-fr_FR">25%' in page
    fields = ["name.en_US.~", "name.fr_FR.~", "description.en_US.ecommerce",
              "description.fr_FR.ecommerce", "price.~.~"]
    response = editor.post("/products/shoe-1", data={
        **form_of(page), "locale": "en_US", "compare": "fr_FR", "channel": "ecommerce",
        "field": fields, "v.name.en_US.~": "Trail shoe", "v.name.fr_FR.~": "Chaussure de trail",
        "v.description.en_US.ecommerce": "<p>Light</p>",
        "v.description.fr_FR.ecommerce": "<p>Légère</p>",
        "v.price.~.~.EUR": "89.00", "v.price.~.~.USD": "99.5"})
    assert response.status_code == 302
    product = s.dump_product(s.get_product(catalog, "shoe-1"))
    assert product["values"]["name"] == [
        {"locale": "en_US", "scope": None, "data": "Trail shoe"},
        {"locale": "fr_FR", "scope": None, "data": "Chaussure de trail"}]
    assert product["values"]["price"][0]["data"] == [
        {"amount": "89.00", "currency": "EUR"}, {"amount": "99.50", "currency": "USD"}]
    page = editor.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-ratio="ecommerce-fr_FR">100%' in page
    assert "Saved shoe-1" in page


def test_missing_values_link_to_their_inputs(catalog, editor):
    page = editor.get("/products/shoe-1?locale=en_US&channel=ecommerce").get_data(as_text=True)
    assert 'href="#f-description-en_US-ecommerce">description</a>' in page
    assert 'id="f-description-en_US-ecommerce"' in page
    # a missing value in another locale links to the editor in that locale
    assert re.search(r'href="/products/shoe-1\?locale=de_DE&amp;channel=ecommerce'
                     r'#f-name-de_DE">name</a>', page)


def test_invalid_values_are_shown_beside_their_inputs_and_nothing_is_saved(catalog, editor):
    page = editor.get("/products/shoe-1").get_data(as_text=True)
    response = editor.post("/products/shoe-1", data={
        **form_of(page), "locale": "en_US", "channel": "ecommerce",
        "field": ["stock.~.~", "name.en_US.~"], "v.stock.~.~": "-3",
        "v.name.en_US.~": "Renamed"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "cannot be negative" in body
    assert 'id="f-stock-error"' in body and 'href="#f-stock"' in body
    assert 'value="Renamed"' in body  # what was typed is kept
    assert s.dump_product(s.get_product(catalog, "shoe-1"))["values"]["name"][0]["data"] == \
        "Trail shoe"


def test_empty_input_clears_a_value(catalog, editor):
    s.update_product(catalog, "shoe-1", {"values": {"stock": value(5)}}, author="t")
    page = editor.get("/products/shoe-1").get_data(as_text=True)
    assert 'name="v.stock.~.~" value="5"' in page
    editor.post("/products/shoe-1", data={**form_of(page), "field": ["stock.~.~"],
                                          "v.stock.~.~": ""})
    assert "stock" not in s.get_product(catalog, "shoe-1").values


def test_categories_and_enabled_flag_are_saved(catalog, editor):
    page = editor.get("/products/shoe-1").get_data(as_text=True)
    editor.post("/products/shoe-1", data={**form_of(page), "categories_shown": "1",
                                          "category": ["shoes", "master"], "enabled": "false"})
    product = s.get_product(catalog, "shoe-1")
    assert sorted(c.code for c in product.categories) == ["master", "shoes"]
    assert product.enabled is False


def test_an_editor_cannot_approve(catalog, editor, as_role):
    page = editor.get("/products/shoe-1").get_data(as_text=True)
    assert '<option value="approved"' not in page
    response = editor.post("/products/shoe-1", data={**form_of(page), "status": "approved"})
    assert response.status_code == 422
    reviewer = as_role("reviewer")
    page = reviewer.get("/products/shoe-1").get_data(as_text=True)
    assert reviewer.post("/products/shoe-1", data={**form_of(page), "status": "approved"}
                         ).status_code == 302
    assert s.get_product(catalog, "shoe-1").status == "approved"


def test_a_stale_save_shows_the_conflict_screen_and_saves_the_choice(catalog, editor):
    page = editor.get("/products/shoe-1?locale=en_US&channel=ecommerce").get_data(as_text=True)
    stale = form_of(page)
    s.update_product(catalog, "shoe-1", {"values": {
        "name": value("Their name", "en_US"), "stock": value(7)}}, author="someone")
    response = editor.post("/products/shoe-1", data={
        **stale, "locale": "en_US", "channel": "ecommerce",
        "field": ["name.en_US.~", "site.~.~"], "v.name.en_US.~": "My name",
        "v.site.~.~": "https://example.com/mine"})
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Someone saved shoe-1" in body
    assert "Their name" in body and "My name" in body
    assert 'name="take.name-en_US" value="theirs" checked' in body
    mine = re.search(r'name="mine" value="([^"]*)"', body).group(1)
    version = re.search(r'name="version" value="(\d+)"', body).group(1)
    import html
    done = editor.post("/conflicts/product/shoe-1", data={
        "mine": html.unescape(mine), "version": version, "locale": "en_US",
        "channel": "ecommerce", "take.name-en_US": "mine", "take.site": "mine"})
    assert done.status_code == 302
    values = s.dump_product(s.get_product(catalog, "shoe-1"))["values"]
    assert values["name"][0]["data"] == "My name"
    assert values["site"][0]["data"] == "https://example.com/mine"
    assert values["stock"][0]["data"] == 7  # their other change stays


def test_keeping_theirs_drops_my_clashing_value(catalog, editor):
    page = editor.get("/products/shoe-1").get_data(as_text=True)
    stale = form_of(page)
    s.update_product(catalog, "shoe-1", {"values": {"name": value("Theirs", "en_US")}},
                     author="someone")
    body = editor.post("/products/shoe-1", data={
        **stale, "field": ["name.en_US.~"], "v.name.en_US.~": "Mine"}).get_data(as_text=True)
    import html
    mine = html.unescape(re.search(r'name="mine" value="([^"]*)"', body).group(1))
    version = re.search(r'name="version" value="(\d+)"', body).group(1)
    editor.post("/conflicts/product/shoe-1", data={"mine": mine, "version": version,
                                                   "take.name-en_US": "theirs"})
    assert s.dump_product(s.get_product(catalog, "shoe-1"))["values"]["name"][0]["data"] == \
        "Theirs"


def test_variant_shows_inherited_values_and_its_tree(catalog, editor):
    s.create_product_model(catalog, {"code": "runner", "family_variant": "shoes_color_size",
                                     "values": {"name": value("Runner", "en_US")}}, author="t")
    s.create_product_model(catalog, {"code": "runner-red", "parent": "runner",
                                     "values": {"color": value("red")}}, author="t")
    s.create_product(catalog, {"identifier": "runner-red-m", "parent": "runner-red",
                               "values": {"size": value("m")}}, author="t")
    page = editor.get("/products/runner-red-m").get_data(as_text=True)
    assert "inherited from runner" in page and "Runner" in page
    assert 'name="v.name.en_US.~"' not in page  # lives on the root model
    assert 'name="v.size.~.~"' in page
    assert 'href="/models/runner-red' in page and "color: red" in page
    model_page = editor.get("/models/runner").get_data(as_text=True)
    assert 'name="v.name.en_US.~"' in model_page
    assert 'href="/products/runner-red-m' in model_page


def test_model_save_goes_through_the_model_service(catalog, editor):
    s.create_product_model(catalog, {"code": "runner", "family_variant": "shoes_size",
                                     "values": {"name": value("Runner", "en_US")}}, author="t")
    page = editor.get("/models/runner").get_data(as_text=True)
    response = editor.post("/models/runner", data={**form_of(page), "field": ["name.en_US.~"],
                                                   "v.name.en_US.~": "Runner II"})
    assert response.status_code == 302
    assert s.get_product_model(catalog, "runner").values["name"][0]["data"] == "Runner II"


def test_rich_text_preview_is_sanitized(catalog, editor):
    response = editor.post("/editor/preview", data={
        "v.description.en_US.ecommerce": '<p onclick="x()">Hi<script>alert(1)</script></p>'},
        headers={"HX-Trigger-Name": "v.description.en_US.ecommerce"})
    body = response.get_data(as_text=True)
    assert body == "<p>Hi</p>"


def test_unknown_product_is_a_404_page(catalog, editor):
    response = editor.get("/products/nope")
    assert response.status_code == 404
    assert "does not exist" in response.get_data(as_text=True)


def browser_form(page: str, form_id: str = "editor-form") -> list[tuple[str, str]]:
    """The fields a browser would submit for the form, as (name, value) pairs."""
    import lxml.html

    form = lxml.html.document_fromstring(page).get_element_by_id(form_id)
    return [(name, value) for name, value in form.form_values()]


def test_the_whole_form_as_a_browser_sends_it_saves_only_what_changed(catalog, editor):
    page = editor.get("/products/shoe-1?locale=en_US&compare=fr_FR&channel=ecommerce"
                      ).get_data(as_text=True)
    fields = [(k, v) for k, v in browser_form(page) if k != "v.name.fr_FR.~"]
    from werkzeug.datastructures import MultiDict

    unchanged = editor.post("/products/shoe-1", data=MultiDict(fields + [("v.name.fr_FR.~", "")]))
    assert unchanged.status_code == 302
    assert [v.number for v in s.versions_of(catalog, "product", "shoe-1")] == [1]
    changed = editor.post("/products/shoe-1",
                          data=MultiDict(fields + [("v.name.fr_FR.~", "Chaussure")]))
    assert changed.status_code == 302
    versions = s.versions_of(catalog, "product", "shoe-1")
    assert [v.number for v in versions] == [2, 1]
    assert set(versions[0].changes) == {"name-fr_FR"}
