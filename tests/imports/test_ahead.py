"""A product file read and checked by a second process: the same import as in one process.

The second process is real (spawned), on a database both processes see (SQLite file and
PostgreSQL), so everything here is committed, with names of each test's own.
"""

from __future__ import annotations

import multiprocessing
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import select
from stdnum import ean as check_digits

from pim.catalog import services as s
from pim.catalog.models import Product
from pim.errors import PrismError
from pim.imports import ahead
from pim.imports.ahead import HEAD, RowsAhead, _cells
from pim.imports.bulk import PREPARED
from pim.imports.items import SourceRow
from pim.imports.prechecks import Prechecks
from pim.imports.report import IssueLog, failed_rows_csv, get_import
from pim.imports.runs import create_import, execute_import
from pim.imports.sources import ImportOptions, plan_import
from pim.imports.writing import WriteContext
from tests.builders import small_catalog
from tests.imports.conftest import csv_bytes
from tests.imports.test_akeneo_files import HEADER, row
from tests.imports.test_bulk import VARIANT_HEADER, normalized, problems, rows, state
from tests.jobs.conftest import shared_app_factory, shared_database_url  # noqa: F401


@pytest.fixture()
def sessions(shared_app_factory):  # noqa: F811
    """Sessions on a shared database holding the small catalog (made once per database)."""
    app = shared_app_factory()
    factory = app.extensions["prism.sessions"]
    with factory() as session:
        if s.list_families(session) == []:
            small_catalog(session)
            session.commit()
    return factory


def shoe_model(sessions, code: str) -> None:
    with sessions() as session:
        s.create_product_model(session, {
            "code": code, "family_variant": "shoes_size", "categories": ["men"],
            "values": {"name": [{"locale": "en_US", "scope": None, "data": "Shoe"}]}},
            author="editor")
        session.commit()


def run(sessions, path: Path, ahead_rows: int, **options) -> object:
    with sessions() as session:
        import_id = create_import(session, path, ImportOptions(**options)).id
    return execute_import(sessions, import_id, ahead_rows=ahead_rows)


def file_of(tmp_path: Path, prefix: str, ean: str, variant_ean: str, leading: int = 0
            ) -> Path:
    """Good rows, wrong ones, variants, a ragged row, a row naming a product twice."""
    lines = [row(f"{prefix}-GOOD-{n}") + ["", ""] for n in range(leading)]
    lines += rows(prefix, ean, variant_ean)
    lines.insert(leading + 3, lines[leading][:5])  # ragged: too few cells
    lines.append(list(lines[leading + 1]))  # the same identifier again
    path = tmp_path / f"{prefix}.csv"
    path.write_bytes(csv_bytes(VARIANT_HEADER, lines))
    return path


def gtin(number: int, digits: int = 13) -> str:
    """A GTIN of its own for each run (the unique EAN column takes each once)."""
    body = str(number).zfill(digits - 1)
    return body + check_digits.calc_check_digit(body)


# good rows before those that say something: more than the importing process reads itself
# in batches of two while the second process starts
LEADING = HEAD * 2 + 2


@pytest.mark.parametrize("mode", ["partial", "atomic", "dry_run"])
def test_an_import_checked_ahead_writes_and_reports_what_one_process_does(sessions,
                                                                         tmp_path, mode):
    runs = {}
    options = {"mode": "atomic", "dry_run": True} if mode == "dry_run" else {"mode": mode}
    for number, ahead_rows in ((1, 0), (2, 1)):
        prefix = f"{mode.upper()[:3]}{number}"
        code = 10 * ["partial", "atomic", "dry_run"].index(mode) + number
        ean, variant_ean = gtin(400_000_000_000 + code), gtin(7_000_000 + code, 8)
        shoe_model(sessions, f"{prefix}-SHOE")
        with sessions() as session:  # a product the file updates
            s.create_product(session, {"identifier": f"{prefix}-3", "family": "shoes"},
                             author="editor")
            session.commit()
        # the first rows (at most HEAD batches) are read and checked by the importing
        # process while the second starts: these go there; the rows that say something
        # come from the second
        path = file_of(tmp_path, prefix, ean, variant_ean, leading=LEADING)
        record = run(sessions, path, ahead_rows, batch_size=2, **options)
        tokens = {ean: "<ean>", variant_ean: "<variant-ean>", f"{prefix}-": "<p>-",
                  f"{prefix}.csv": "<file>"}
        with sessions() as session:
            mine = {k: v for k, v in state(session).items() if k.startswith(f"{prefix}-")}
            runs[number] = (record.status, len(mine), record.counts, record.rows_read,
                            record.rows_failed, record.rows_warned,
                            [n for n in record.notes if "second process" not in n],
                            normalized(mine, tokens),
                            normalized(problems(session, record.id), tokens),
                            normalized("".join(failed_rows_csv(session, record.id)[1]),
                                       tokens))
    assert runs[1][2]["product"]["created"] == LEADING + 7
    assert runs[1][2]["product"]["updated"] == 1
    # written, or (atomic, with refused rows; a dry run) not: the product there before
    assert runs[1][1] == (LEADING + 8 if mode == "partial" else 1)
    assert runs[1] == runs[2]
    assert multiprocessing.active_children() == []


def test_a_row_sent_on_keeps_its_cells_exactly():
    header = ["sku", "name-el_GR", "name-ru_RU", "note"]
    cells = {"sku": "Σ-1", "name-el_GR": "Παπούτσι 👟", "name-ru_RU": "Кроссовки «Лёгкие»",
             "note": 'a;b\r\n"c"\t\x01 \u2028'}
    sent = SourceRow.under("f.csv", 7, header, _cells(cells, header))
    assert sent == SourceRow("f.csv", 7, cells)
    assert list(sent.cells) == header
    with pytest.raises(ValueError, match="not under the file's header"):
        _cells({"sku": "Σ-1"}, header)


def test_the_second_process_prepares_what_this_one_would(sessions, tmp_path):
    shoe_model(sessions, "SAME-SHOE")
    path = file_of(tmp_path, "SAME", "4006381333931", "73513537")
    with sessions() as session, closing(IssueLog("here")) as log, \
            closing(IssueLog("there")) as elsewhere:
        here = plan_import(session, path, ImportOptions(), log)
        task = here.tasks[0]
        checks = Prechecks(session, WriteContext(author="t", source="t"))
        expected = []
        for item in task.converter.items(task.rows):
            checks.load_models({item.data.get("parent")} - {None})
            checked = None if item.problems else checks.prepare(item)
            expected.append((item.key, item.first_row, item.data, item.problems,
                             item.warnings, checked))
        there = plan_import(session, path, ImportOptions(), elsewhere)
        got = []
        sent = 0
        for item in RowsAhead(session, path, ImportOptions().as_dict(), 0, there.tasks[0],
                              elsewhere, 4, share=False, head=0):
            prepared = item.extra.pop(PREPARED, None)
            sent += prepared is not None
            data = there.tasks[0].converter.restore(item).data
            if prepared is None and not item.problems:  # refused here, checked again there
                prepared = checks.prepare(item)
            got.append((item.key, item.first_row, data, item.problems, item.warnings,
                        prepared))
    assert got == expected
    assert sent >= 8  # every new product that passes its own checks, prepared there


def test_a_file_unreadable_midway_stops_the_same_way(sessions, tmp_path, monkeypatch):
    monkeypatch.setattr(ahead, "HEAD", 2)  # the second process reads where it breaks
    found = {}
    for prefix, ahead_rows in (("BIN", 0), ("BIN2", 1)):
        path = tmp_path / f"{prefix}.csv"
        data = csv_bytes(HEADER, [row(f"{prefix}-{n:03}") for n in range(700)])
        # past what is read to tell the encoding: found while reading rows
        head, _, tail = data.partition(f"{prefix}-650".encode())
        path.write_bytes(head + f"{prefix}-650".encode() + b"\x00" + tail)
        record = run(sessions, path, ahead_rows, batch_size=100)
        found[prefix] = (record.status, record.error.replace(prefix, "<p>"),
                         record.counts["product"]["created"], record.rows_read)
        with sessions() as session:
            assert session.scalars(select(Product.identifier).where(
                Product.identifier.like(f"{prefix}-%")).order_by(Product.identifier)
            ).all() == [f"{prefix}-{n:03}" for n in range(600)]
    assert found["BIN"] == found["BIN2"]
    assert found["BIN"][0] == "failed" and found["BIN"][2] == 600
    assert "row 652: the file holds binary data (a NUL character)" in found["BIN"][1]
    assert multiprocessing.active_children() == []


def recorded(sessions, tmp_path: Path, prefix: str, count: int) -> tuple[Path, str]:
    """A file of `count` good products, recorded as an import of batches of 4 rows."""
    path = tmp_path / f"{prefix.lower()}.csv"
    path.write_bytes(csv_bytes(HEADER, [row(f"{prefix}-{n:02}") for n in range(count)]))
    with sessions() as session:
        return path, create_import(session, path, ImportOptions(batch_size=4)).id


def test_an_import_stopped_midway_stops_the_second_process(sessions, tmp_path):
    _, import_id = recorded(sessions, tmp_path, "STOP", 40)

    def killed(engine):
        if engine.batches == 2:
            assert len(multiprocessing.active_children()) == 1  # checking ahead
            raise KeyboardInterrupt("killed")

    with pytest.raises(KeyboardInterrupt):
        execute_import(sessions, import_id, after_batch=killed, ahead_rows=1)
    assert multiprocessing.active_children() == []
    with sessions() as session:
        assert get_import(session, import_id).status == "failed"
        assert len(session.scalars(select(Product.id).where(
            Product.identifier.like("STOP-%"))).all()) == 8


def test_a_file_gone_before_its_turn_stops_the_import_and_says_why(sessions, tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "product_models.csv").write_bytes(csv_bytes(
        ["code", "family_variant", "categories", "name-en_US"],
        [["GONE-SHOE", "shoes_size", "men", "Shoe"]]))
    products = folder / "products.csv"
    products.write_bytes(csv_bytes(HEADER, [row("GONE-1")]))
    with sessions() as session:
        import_id = create_import(session, folder, ImportOptions()).id

    def removed(engine):
        if products.exists():
            products.unlink()  # once the models are in, before the products are read

    record = execute_import(sessions, import_id, after_batch=removed, ahead_rows=1)
    assert record.status == "failed"
    assert f"{products}: there is no such file (the import stopped there" in record.error
    assert record.counts["product_model"]["created"] == 1
    assert multiprocessing.active_children() == []


def test_a_second_process_killed_midway_fails_the_import_on_whole_batches(sessions,
                                                                         tmp_path):
    # as the system's out-of-memory killer would: no word from it, its pipe just ends
    path, import_id = recorded(sessions, tmp_path, "KILLED", 60)

    def kill(engine):
        if engine.batches == 2:
            (worker,) = multiprocessing.active_children()
            worker.kill()
            worker.join()

    with pytest.raises(PrismError, match="the process checking the file ahead stopped"):
        execute_import(sessions, import_id, after_batch=kill, ahead_rows=1)
    with sessions() as session:
        record = get_import(session, import_id)
    assert record.status == "failed"
    assert "stopped unexpectedly (the import stopped there; the " in record.error

    def written(session):
        return session.scalars(select(Product.identifier).where(
            Product.identifier.like("KILLED-%"))).all()

    with sessions() as session:
        landed = len(written(session))
    assert landed % 4 == 0 and 8 <= landed < 60  # whole batches only
    again = run(sessions, path, ahead_rows=1, batch_size=4)
    assert again.status == "succeeded"
    assert again.counts["product"]["created"] == 60 - landed
    with sessions() as session:
        assert sorted(written(session)) == [f"KILLED-{n:02}" for n in range(60)]
    assert multiprocessing.active_children() == []
