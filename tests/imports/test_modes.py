"""Import modes, batches, re-imports, reverts and the failed-rows file."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select
from stdnum import ean

from pim.catalog import services as s
from pim.catalog.models import Changeset, Product, Version
from pim.errors import PrismError
from pim.imports.items import ERRORS_COLUMN
from pim.imports.report import failed_files, failed_rows_csv, import_report
from pim.imports.runs import create_import, execute_import, revert_import
from pim.imports.sources import ImportOptions
from tests.imports.test_akeneo_files import HEADER, row


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


@pytest.fixture()
def mixed(write_file):
    """Five rows, two of them bad (an unknown option, a negative stock)."""
    return write_file("products.csv", header=HEADER, rows=[
        row("P-1"), row("P-2", color="purple"), row("P-3"), row("P-4", stock="-1"), row("P-5")])


def test_partial_mode_lands_the_valid_rows_and_reports_the_others(catalog, run_import, mixed,
                                                                  session):
    record = run_import(mixed, mode="partial")
    assert record.status == "succeeded"
    assert sorted(p.identifier for p in session.scalars(select(Product))) == ["P-1", "P-3",
                                                                              "P-5"]
    assert record.rows_read == 5 and record.rows_failed == 2
    report = import_report(session, record.id)
    assert report["issue_totals"]["error"] == 2
    assert [(i["row"], i["key"]) for i in report["issues"] if i["severity"] == "error"] == [
        (3, "P-2"), (5, "P-4")]


def test_a_dry_run_checks_everything_and_writes_nothing(catalog, run_import, mixed, session):
    versions, changesets = count(session, Version), count(session, Changeset)
    record = run_import(mixed, dry_run=True)
    assert record.status == "succeeded"
    assert count(session, Product) == 0
    assert count(session, Version) == versions and count(session, Changeset) == changesets
    assert record.changeset_id is None
    assert record.counts["product"]["created"] == 3 and record.counts["product"]["failed"] == 2
    assert any("dry run: nothing was written (2 row(s) would be refused)" in n
               for n in record.notes)
    assert import_report(session, record.id)["issue_totals"]["error"] == 2


def test_atomic_mode_with_one_bad_row_writes_nothing(catalog, run_import, mixed, session):
    versions = count(session, Version)
    record = run_import(mixed, mode="atomic")
    assert record.status == "succeeded"
    assert count(session, Product) == 0 and count(session, Version) == versions
    assert record.changeset_id is None
    assert any("nothing was written because 2 row(s) were refused" in n for n in record.notes)


def test_atomic_mode_keeps_a_clean_file(catalog, run_import, write_file, session):
    path = write_file("products.csv", header=HEADER, rows=[row("A-1"), row("A-2")])
    record = run_import(path, mode="atomic", batch_size=1)
    assert record.counts["product"]["created"] == 2 and count(session, Product) == 2
    assert record.changeset_id


def test_an_import_killed_midway_keeps_whole_batches_and_running_again_completes_it(
        catalog, app, write_file, session):
    path = write_file("products.csv", header=HEADER, rows=[row(f"K-{n}") for n in range(1, 8)])
    sessions = app.extensions["prism.sessions"]

    def killed_after_two(engine):
        if engine.batches == 2:
            raise KeyboardInterrupt("killed")

    with sessions() as own:
        first = create_import(own, path, ImportOptions(batch_size=3)).id
    with pytest.raises(KeyboardInterrupt):
        execute_import(sessions, first, after_batch=killed_after_two)
    assert sorted(p.identifier for p in session.scalars(select(Product))) == [
        f"K-{n}" for n in range(1, 7)]
    with sessions() as own:
        assert import_report(own, first)["status"] == "failed"
        second = create_import(own, path, ImportOptions(batch_size=3)).id
    record = execute_import(sessions, second)
    assert record.counts["product"] == {"created": 1, "updated": 0, "unchanged": 6,
                                        "skipped": 0, "failed": 0}
    assert count(session, Product) == 7


def test_a_stopped_import_says_what_was_kept(catalog, app, write_file, session):
    path = write_file("products.csv", header=HEADER, rows=[row(f"K-{n}") for n in range(1, 8)])
    sessions = app.extensions["prism.sessions"]

    def broken(engine):
        if engine.batches == 1:
            raise RuntimeError("disk full")

    with sessions() as own:
        import_id = create_import(own, path, ImportOptions(batch_size=4)).id
    with pytest.raises(RuntimeError):
        execute_import(sessions, import_id, after_batch=broken)
    with sessions() as own:
        report = import_report(own, import_id)
    assert report["status"] == "failed"
    assert "disk full" in report["error"] and "1 batch(es) before it were kept" in report["error"]
    assert report["counts"]["product"]["created"] == 4


def test_importing_the_same_file_again_writes_no_version(catalog, run_import, write_file,
                                                        session):
    path = write_file("products.csv", header=HEADER, rows=[
        row("N-1"), row("N-2", **{"name-fr_FR": "", "weight": "", "weight-unit": ""})])
    run_import(path)
    versions = count(session, Version)
    again = run_import(path)
    assert again.counts["product"]["unchanged"] == 2
    assert count(session, Version) == versions
    changed = write_file("products.csv", header=HEADER, rows=[
        row("N-1", **{"name-en_US": "Renamed"}), row("N-2")])
    third = run_import(changed)
    assert third.counts["product"]["updated"] == 2
    assert count(session, Version) == versions + 2
    product = s.get_product(session, "N-1")
    assert product.values["name"][0]["data"] == "Renamed"
    assert s.versions_of(session, "product", "N-1")[0].changeset_id == third.changeset_id


def test_an_empty_cell_clears_the_value_on_update(catalog, run_import, write_file, session):
    run_import(write_file("products.csv", header=HEADER, rows=[row("C-1")]))
    cleared = run_import(write_file("products.csv", header=HEADER, rows=[
        row("C-1", **{"name-fr_FR": "", "weight": "", "weight-unit": "", "materials": ""})]))
    assert cleared.counts["product"]["updated"] == 1
    values = s.get_product(session, "C-1").values
    assert "weight" not in values and "materials" not in values
    assert [e["locale"] for e in values["name"]] == ["en_US"]


def test_reverting_an_import_undoes_it_whole(catalog, run_import, write_file, session):
    s.create_product(session, {"identifier": "OLD-1", "family": "shoes",
                               "values": {"stock": [{"locale": None, "scope": None,
                                                     "data": 1}]}}, author="editor")
    header = HEADER
    first = run_import(write_file("products.csv", header=header, rows=[
        row("OLD-1", stock="50"), row("NEW-1"), row("NEW-2")]))
    assert first.counts["product"]["created"] == 2 and first.counts["product"]["updated"] == 1
    report = revert_import(session, first.id, author="admin")
    assert sorted(report["removed"]) == ["product:NEW-1", "product:NEW-2"]
    assert report["reverted"] == ["product:OLD-1"]
    assert [p.identifier for p in session.scalars(select(Product))] == ["OLD-1"]
    assert s.get_product(session, "OLD-1").values["stock"][0]["data"] == 1
    assert len(s.list_trash(session)) == 2
    with pytest.raises(PrismError, match="already reverted"):
        revert_import(session, first.id, author="admin")
    dry = run_import(write_file("products.csv", header=header, rows=[row("D-1")]), dry_run=True)
    with pytest.raises(PrismError, match="wrote nothing"):
        revert_import(session, dry.id, author="admin")


def test_the_failed_rows_file_can_be_fixed_and_imported_as_it_is(catalog, run_import, mixed,
                                                                 tmp_path, session):
    record = run_import(mixed)
    assert failed_files(session, record.id) == ["products.csv"]
    name, lines = failed_rows_csv(session, record.id)
    text = "".join(lines)
    assert name == "products.failed.csv"
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == [*HEADER, ERRORS_COLUMN]
    assert [r[0] for r in rows[1:]] == ["P-2", "P-4"]
    assert "color: option 'purple' does not exist" in rows[1][-1]
    assert rows[2][-1].startswith("stock: ")
    fixed = tmp_path / name
    fixed.write_text(text.replace(";purple;", ";red;").replace(";-1;", ";3;"),
                     encoding="utf-8")
    again = run_import(fixed)
    assert again.status == "succeeded" and again.rows_failed == 0
    assert again.counts["product"]["created"] == 2
    assert count(session, Product) == 5


def test_reverting_an_import_of_structure_and_products(catalog, run_import, tmp_path, session):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "attributes.csv").write_text(
        "code;type;group;localizable;scopable;label-en_US\n"
        "strap;pim_catalog_text;general;0;0;Strap\n", encoding="utf-8")
    (folder / "families.csv").write_text(
        "code;attributes;attribute_as_label;requirements-ecommerce;label-en_US\n"
        "bags;sku,strap;sku;strap;Bags\n", encoding="utf-8")
    (folder / "products.csv").write_text(
        "sku;family;categories;strap\nBAG-1;bags;men;Leather\nBAG-2;bags;;\n",
        encoding="utf-8")
    record = run_import(folder)
    assert record.counts["family"]["created"] == 1 and record.counts["product"]["created"] == 2
    bag = s.get_product(session, "BAG-2")
    ecommerce = s.get_channel(session, "ecommerce").id
    assert [c.missing_attributes for c in bag.completeness
            if c.channel_id == ecommerce and c.locale == "en_US"] == [["strap"]]
    report = revert_import(session, record.id, author="admin")
    assert sorted(report["removed"]) == ["attribute:strap", "family:bags", "product:BAG-1",
                                         "product:BAG-2"]
    assert count(session, Product) == 0
    with pytest.raises(PrismError):
        s.get_family(session, "bags")


def test_an_import_that_cannot_be_reverted_whole_changes_nothing(run_import, tmp_path, session):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "attributes.csv").write_text(
        "code;type;unique;label-en_US\nsku;pim_catalog_identifier;1;SKU\n"
        "note;pim_catalog_text;0;Note\n", encoding="utf-8")
    record = run_import(folder)
    assert record.counts["attribute"]["created"] == 2
    with pytest.raises(PrismError, match="cannot be reverted as a whole, so nothing was changed"):
        revert_import(session, record.id, author="admin")
    assert sorted(a.code for a in s.list_attributes(session)) == ["note", "sku"]


def test_a_dry_run_with_more_issues_than_are_held_in_memory_reports_every_one_in_order(
        catalog, run_import, write_file, session, monkeypatch):
    import pim.imports.report as report

    monkeypatch.setattr(report, "HELD", 3)  # the earlier issues wait in the spool file
    # odd rows refused (a negative stock), every third one warned (an EAN's check digit)
    rows = [row(f"S-{n}", stock="-1" if n % 2 else "4", ean=_wrong_ean(n) if n % 3 == 0 else "")
            for n in range(1, 12)]
    record = run_import(write_file("products.csv", header=HEADER, rows=rows), dry_run=True)
    assert record.rows_failed == 6
    issues = import_report(session, record.id, limit=50)["issues"]
    assert [(i["row"], i["key"]) for i in issues if i["severity"] == "error"] == [
        (n + 1, f"S-{n}") for n in range(1, 12, 2)]
    assert [i["key"] for i in issues if i["severity"] == "warning"] == ["S-6"]
    _, lines = failed_rows_csv(session, record.id)
    failed = list(csv.reader(io.StringIO("".join(lines)), delimiter=";"))
    assert [(r[0], r[HEADER.index("stock")]) for r in failed[1:]] == [
        (f"S-{n}", "-1") for n in range(1, 12, 2)]


def _wrong_ean(n: int) -> str:
    """A 13-digit EAN whose check digit is wrong."""
    body = f"400638133{n:03d}"
    right = ean.calc_check_digit(body)
    return body + str((int(right) + 1) % 10)
