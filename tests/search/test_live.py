"""The real app path on a database of its own: real commits, threads, drift, the CLI."""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete, select, text, update
from sqlalchemy.engine import make_url

from pim import create_app
from pim.catalog import services as s
from pim.catalog.models import Product
from pim.db import make_engine, upgrade_database
from pim.search import (
    check_index,
    index_products,
    search_index,
    search_products,
    shutdown,
    wait_idle,
)
from tests.builders import ADMIN, value
from tests.conftest import PG_ENV
from tests.search.conftest import make, names, world_catalog


@pytest.fixture(scope="session")
def template(database_url, tmp_path_factory):
    """A migrated, empty database to copy for each test (same backend as database_url)."""
    if database_url.startswith("sqlite"):
        path = tmp_path_factory.mktemp("search-template") / "template.sqlite3"
        engine = make_engine(f"sqlite:///{path}")
        upgrade_database(engine)
        engine.dispose()
        yield path
        return
    server = os.environ[PG_ENV]
    name = f"prism_search_tpl_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(make_url(server).set(database=name).render_as_string(False))
    upgrade_database(engine)
    engine.dispose()
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture()
def live_url(template, tmp_path):
    """A fresh database of the test's own, where commits are real."""
    if isinstance(template, Path):
        copy = tmp_path / "live.sqlite3"
        shutil.copyfile(template, copy)
        yield f"sqlite:///{copy}"
        return
    server = os.environ[PG_ENV]
    name = f"prism_search_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield make_url(server).set(database=name).render_as_string(False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture()
def live(live_url, tmp_path):
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"),
                      "DATABASE_URL": live_url, "SECRET_KEY": "test", "JOBS_INLINE": True,
                      "SEARCH_ENABLED": True, "SEARCH_INDEX_PATH": str(tmp_path / "index")})
    with app.extensions["prism.sessions"]() as session:
        world_catalog(session)
    yield app
    shutdown(app)
    app.extensions["prism.engine"].dispose()


def sessions(app):
    return app.extensions["prism.sessions"]()


def hits(app, query, **options):
    with sessions(app) as session:
        result = search_products(search_index(app), query, session=session, per_page=200,
                                 **options)
    return sorted(hit.identifier for hit in result.hits)


def test_writes_while_searching(live):
    with sessions(live) as session:
        for n in range(8):
            make(session, f"P{n}", name=names(en_US=f"Alpha item{n}"))
    assert wait_idle(live)
    done = threading.Event()
    problems: list[BaseException] = []

    def write() -> None:
        try:
            with sessions(live) as session:
                for n in range(24):
                    s.update_product(session, f"P{n % 7}", {"values": {
                        "name": value(f"Beta item{n % 7} round{n}", "en_US")}}, author=ADMIN)
                    if n % 6 == 0:
                        make(session, f"NEW{n}", name=names(en_US=f"Gamma item{n}"))
                    if n == 12:
                        s.delete_product(session, "P7", author=ADMIN)
        except BaseException as exc:  # reported by the main thread
            problems.append(exc)
        finally:
            done.set()

    def search() -> None:
        index = search_index(live)
        try:
            while not done.is_set():
                with sessions(live) as session:
                    # the writer runs meanwhile: a hit exists when the search checks it,
                    # so it is in the catalog just before the search or just after
                    before = set(session.scalars(select(Product.identifier)))
                    result = search_products(index, "alpha OR beta OR gamma", session=session,
                                             facets=["family"], per_page=50)
                    after = set(session.scalars(select(Product.identifier)))
                assert {hit.identifier for hit in result.hits} <= before | after
                assert sum(result.facets.get("family", {}).values()) >= result.total
        except BaseException as exc:
            problems.append(exc)

    threads = [threading.Thread(target=write)] + [threading.Thread(target=search)
                                                  for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not problems, problems
    assert wait_idle(live)
    assert hits(live, "alpha") == []
    assert hits(live, "beta") == [f"P{n}" for n in range(7)]
    assert hits(live, "round23") == ["P2"] and hits(live, "round2") == []
    assert hits(live, "gamma") == ["NEW0", "NEW12", "NEW18", "NEW6"]
    assert check_index(live).in_step


def test_check_finds_and_repairs_drift(live):
    with sessions(live) as session:
        for n in range(5):
            make(session, f"D{n}", name=names(en_US=f"Drift shoe{n}"))
    assert wait_idle(live)
    runner = live.test_cli_runner()
    assert "in step" in runner.invoke(args=["index", "check"]).output
    engine = live.extensions["prism.engine"]
    with engine.begin() as conn:  # behind the indexer's back
        gone = conn.scalar(select(Product.id).where(Product.identifier == "D0"))
        conn.execute(delete(Product).where(Product.id == gone))
        conn.execute(update(Product).where(Product.identifier == "D1").values(
            version=Product.version + 1, values={"name": value("Renamed shoe", "en_US")}))
    missing = search_index(live).ix.searcher()
    with missing:
        lost = int(missing.document(identifier="d2")["id"])
    search_index(live).apply([], [lost])

    result = runner.invoke(args=["index", "check"])
    assert result.exit_code == 1
    assert f"1 missing from the index (ids {lost})" in result.output
    assert f"1 in the index but deleted (ids {gone})" in result.output
    assert "1 outdated in the index" in result.output

    repaired = runner.invoke(args=["index", "check", "--repair"])
    assert repaired.exit_code == 0 and "Repaired." in repaired.output
    assert check_index(live).in_step
    assert hits(live, "drift") == ["D2", "D3", "D4"]
    assert hits(live, "renamed") == ["D1"]


def test_rebuild_from_scratch_with_writer_processes(live):
    with sessions(live) as session:
        for n in range(30):
            make(session, f"R{n:02d}", name=names(en_US=f"Rebuilt shoe{n}"),
                 categories=["men"] if n % 2 else ["shoes"])
    assert wait_idle(live)
    index = search_index(live)
    index.apply([{"id": "999999", "identifier": "JUNK", "text_en": "rebuilt junk"}], [1, 2])
    result = live.test_cli_runner().invoke(args=["index", "rebuild", "--procs", "2"])
    assert result.exit_code == 0, result.output
    assert "Indexed 30 products" in result.output
    assert hits(live, "rebuilt") == [f"R{n:02d}" for n in range(30)]
    assert index.doc_count() == 30 and check_index(live).in_step
    # a bulk edit goes through the multi-segment writer in batches
    with sessions(live) as session:
        session.execute(update(Product).values(enabled=False, version=Product.version + 1))
        session.commit()
        ids = list(session.scalars(select(Product.id)))
    report = index_products(live, ids, procs=2)
    assert report.indexed == 30 and report.removed == 0
    assert hits(live, "", filters={"enabled": False}) == hits(live, "rebuilt")


def test_search_command_prints_hits_and_facets(live):
    with sessions(live) as session:
        make(session, "CLI-1", name=names(en_US="Command shoe"))
        make(session, "CLI-2", name=names(en_US="Command bag"), family="accessories",
             categories=[])
    assert wait_idle(live)
    runner = live.test_cli_runner()
    out = runner.invoke(args=["search", "command", "--facet", "family", "--sort",
                              "-identifier"]).output
    assert out.index("CLI-2") < out.index("CLI-1")
    assert "2 products found." in out and "family:" in out and "accessories" in out
    out = runner.invoke(args=["search", "comand", "--filter", "family=shoes"]).output
    assert "Did you mean: command" in out
    bad = runner.invoke(args=["search", "x", "--sort", "price"])
    assert bad.exit_code != 0 and "sort:" in bad.output


def test_products_of_a_bulk_import_are_found(live, tmp_path):
    """The import's bulk insert bypasses the ORM: its products must still be indexed."""
    from pim.imports.jobs import start_import
    from pim.imports.sources import ImportOptions

    path = tmp_path / "supplier.csv"
    rows = ["sku;family;categories;name-en_US;name-ru_RU"] + [
        f"IMP-{n};shoes;men;Zephyr sandal {n};Сандалия {n}" for n in range(12)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    record = start_import(live, path, ImportOptions(batch_size=5), created_by="importer")
    assert record.status == "succeeded", record.error
    assert wait_idle(live)
    assert hits(live, "zephyr") == sorted(f"IMP-{n}" for n in range(12))
    assert hits(live, "сандалия", locale="ru_RU") == sorted(f"IMP-{n}" for n in range(12))
