"""Versioning: a version per change, none on a no-op, rebuild, diff, restore, revert."""

import pytest

from pim.catalog import services as s
from pim.errors import ConflictError, NotFound
from tests.builders import product, small_catalog, value


@pytest.fixture()
def shoe(session):
    small_catalog(session)
    return product(session)


def name_of(session, identifier="shoe-1", locale="en_US"):
    data = s.dump_product(s.get_product(session, identifier))
    return next(e["data"] for e in data["values"]["name"] if e["locale"] == locale)


def rename(session, name, locale="en_US", **kw):
    return s.update_product(session, "shoe-1", {"values": {"name": value(name, locale)}},
                            author=kw.pop("author", "ed"), **kw)


def test_every_change_writes_a_version_with_author_source_and_changes(session, shoe):
    rename(session, "Trail runner", author="marie", source="api", comment="SEO")
    versions = s.versions_of(session, "product", "shoe-1")
    assert [v.number for v in versions] == [2, 1]
    latest = versions[0]
    assert (latest.author, latest.source, latest.comment) == ("marie", "api", "SEO")
    assert latest.changes == {"name-en_US": {"old": "Trail shoe", "new": "Trail runner"}}


def test_a_save_that_changes_nothing_writes_no_version(session, shoe):
    version = shoe.version
    rename(session, "Trail shoe")
    s.update_product(session, "shoe-1", {"categories": ["men"], "enabled": True}, author="ed")
    assert len(s.versions_of(session, "product", "shoe-1")) == 1
    assert s.get_product(session, "shoe-1").version == version


def test_any_version_can_be_rebuilt_across_snapshots(session, shoe):
    session.info["prism.snapshot_every"] = 3
    for i in range(2, 9):
        rename(session, f"Name {i}")
    for number in range(1, 9):
        state = s.state_at(session, "product", "shoe-1", number)
        expected = "Trail shoe" if number == 1 else f"Name {number}"
        assert state["values"]["name"][0]["data"] == expected
    snapshots = [v.number for v in s.versions_of(session, "product", "shoe-1") if v.snapshot]
    assert sorted(snapshots) == [1, 3, 6]


def test_two_versions_can_be_diffed(session, shoe):
    rename(session, "Runner")
    s.update_product(session, "shoe-1", {"values": {"color": value("red")}, "enabled": False},
                     author="ed")
    diff = s.diff_versions(session, "product", "shoe-1", 1, 3)
    assert diff == {
        "name-en_US": {"old": "Trail shoe", "new": "Runner"},
        "color": {"old": None, "new": "red"},
        "enabled": {"old": True, "new": False},
    }


def test_restore_writes_a_new_version_and_keeps_history(session, shoe):
    rename(session, "Runner")
    s.update_product(session, "shoe-1", {"values": {"color": value("blue")}}, author="ed")
    s.restore_version(session, "product", "shoe-1", 1, author="boss")
    assert name_of(session) == "Trail shoe"
    assert "color" not in s.get_product(session, "shoe-1").values
    versions = s.versions_of(session, "product", "shoe-1")
    assert [v.number for v in versions] == [4, 3, 2, 1]
    assert versions[0].source == "restore:1"
    assert versions[0].author == "boss"


def test_restore_a_family_version(session, shoe):
    s.update_family(session, "accessories", {"labels": {"fr_FR": "Accessoires"}}, author="a")
    s.restore_version(session, "family", "accessories", 1, author="a")
    assert s.dump_family(s.get_family(session, "accessories"))["labels"] == {}
    assert len(s.versions_of(session, "family", "accessories")) == 3


def test_stale_write_is_refused_and_changes_nothing(session, shoe):
    seen = shoe.version
    rename(session, "First writer", expected_version=seen)
    with pytest.raises(ConflictError, match="changed by someone else"):
        rename(session, "Second writer", expected_version=seen)
    assert name_of(session) == "First writer"
    assert len(s.versions_of(session, "product", "shoe-1")) == 2


def test_changeset_revert_undoes_a_bulk_operation_as_one(session, shoe):
    product(session, "shoe-2")
    changeset = s.new_changeset(session, "importer", "import:42", "supplier file")
    for identifier in ("shoe-1", "shoe-2"):
        s.update_product(session, identifier, {"values": {"color": value("red")}},
                         author="importer", source="import:42", changeset_id=changeset)
    s.create_product(session, {"identifier": "shoe-3", "family": "shoes"}, author="importer",
                     source="import:42", changeset_id=changeset)
    report = s.revert_changeset(session, changeset, author="boss")
    assert sorted(report.reverted) == ["product:shoe-1", "product:shoe-2"]
    assert report.removed == ["product:shoe-3"]
    for identifier in ("shoe-1", "shoe-2"):
        assert "color" not in s.get_product(session, identifier).values
    with pytest.raises(NotFound):
        s.get_product(session, "shoe-3")
    assert s.get_changeset(session, changeset).reverted_by == report.revert_id


def test_revert_keeps_edits_made_after_the_changeset(session, shoe):
    changeset = s.new_changeset(session, "importer", "import:7")
    s.update_product(session, "shoe-1", {"values": {"color": value("red"),
                                                    "name": value("Imported", "en_US")}},
                     author="importer", changeset_id=changeset)
    rename(session, "Fixed by hand")
    report = s.revert_changeset(session, changeset, author="boss")
    assert report.conflicts == [{"resource": "product", "code": "shoe-1",
                                 "reason": "changed again since", "keys": ["name-en_US"]}]
    assert name_of(session) == "Fixed by hand"
    assert "color" not in s.get_product(session, "shoe-1").values
