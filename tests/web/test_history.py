"""History pages: versions, a readable diff of two, restore, changesets and their revert."""

from pim.catalog import services as s
from tests.builders import value


def test_versions_list_author_source_and_time(catalog, editor):
    s.update_product(catalog, "shoe-1", {"values": {"name": value("Road shoe", "en_US")}},
                     author="anna", source="api")
    page = editor.get("/history/product/shoe-1").get_data(as_text=True)
    assert "anna" in page and "api" in page and "editor" in page
    assert page.count('name="from"') == 2
    assert "UTC" in page


def test_diff_of_two_versions_marks_words(catalog, editor):
    s.update_product(catalog, "shoe-1", {"values": {"name": value("Trail running shoe",
                                                                   "en_US")}}, author="anna")
    page = editor.get("/history/product/shoe-1/diff?from=1&to=2").get_data(as_text=True)
    assert "<ins>running</ins>" in page
    assert "en_US" in page


def test_diff_accepts_versions_in_either_order(catalog, editor):
    s.update_product(catalog, "shoe-1", {"values": {"stock": value(4)}}, author="anna")
    page = editor.get("/history/product/shoe-1/diff?from=2&to=1").get_data(as_text=True)
    assert "version 1 → 2" in page
    assert "<ins>4</ins>" in page


def test_restore_writes_a_new_version(catalog, editor):
    s.update_product(catalog, "shoe-1", {"values": {"name": value("Broken", "en_US")}},
                     author="anna")
    response = editor.post("/history/product/shoe-1/restore/1")
    assert response.status_code == 302
    product = s.dump_product(s.get_product(catalog, "shoe-1"))
    assert product["values"]["name"][0]["data"] == "Trail shoe"
    assert [v.number for v in s.versions_of(catalog, "product", "shoe-1")] == [3, 2, 1]


def test_editor_may_not_restore_structure(catalog, editor, admin):
    s.update_attribute(catalog, "name", {"labels": {"en_US": "Title"}}, author="t")
    assert editor.post("/history/attribute/name/restore/1").status_code == 403
    assert admin.post("/history/attribute/name/restore/1").status_code == 302


def test_changeset_revert_undoes_a_bulk_edit(catalog, editor):
    changeset = s.new_changeset(catalog, "importer", "import:1", "Supplier file")
    for n in range(3):
        s.create_product(catalog, {"identifier": f"new-{n}", "family": "shoes"},
                         author="importer", changeset_id=changeset)
    s.update_product(catalog, "shoe-1", {"values": {"stock": value(9)}}, author="importer",
                     changeset_id=changeset)
    listing = editor.get("/changesets").get_data(as_text=True)
    assert "Supplier file" in listing
    page = editor.get(f"/changesets/{changeset}").get_data(as_text=True)
    assert "new-2" in page and "Revert the whole changeset" in page
    response = editor.post(f"/changesets/{changeset}/revert")
    assert response.status_code == 200
    assert "3 removed" in response.get_data(as_text=True)
    assert "stock" not in s.get_product(catalog, "shoe-1").values
    again = editor.post(f"/changesets/{changeset}/revert")
    assert again.status_code == 409
    assert "already reverted" in again.get_data(as_text=True)
