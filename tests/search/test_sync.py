"""The app keeps its index in step after each commit, through its session factory.

These tests use the shared app fixture, whose sessions join the test's transaction with
savepoints: a service's commit releases a savepoint and must still reach the index. The
indexer thread reads through that same connection, so each test lets it finish (`settle`)
before touching the database again; tests/search/test_live.py runs writers and searchers
truly in parallel on a database of their own.
"""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from pim import create_app
from pim.catalog import services as s
from pim.catalog.models import Product
from pim.search import search_index, search_products, shutdown, wait_idle
from tests.builders import ADMIN, value
from tests.search.conftest import found, make, names, world_catalog


@pytest.fixture()
def live(app_config, tmp_path):
    app = create_app(app_config | {"SEARCH_ENABLED": True,
                                   "SEARCH_INDEX_PATH": str(tmp_path / "live-index")})
    yield app
    shutdown(app)


@pytest.fixture()
def shop(live, session):
    world_catalog(session)
    return session


def settle(app):
    assert wait_idle(app, timeout=30)


def search(app, session, query="", **options):
    settle(app)
    return found(search_index(app), session, query, **options)


def test_a_commit_in_a_savepoint_reaches_the_index(live, shop):
    make(shop, "NEW-1", name=names(en_US="Trail runner"))
    assert search(live, shop, "trail") == ["NEW-1"]
    s.update_product(shop, "NEW-1", {"values": {"name": value("Mountain runner", "en_US")}},
                     author=ADMIN)
    assert search(live, shop, "mountain") == ["NEW-1"]
    assert search(live, shop, "trail") == []


def test_a_rollback_sends_nothing(live, shop):
    indexer = search_index(live).indexer
    make(shop, "KEPT", name=names(en_US="Kept shoe"))
    settle(live)
    s.create_product(shop, {"identifier": "DROPPED", "family": "shoes", "values": {
        "name": value("Dropped shoe", "en_US")}}, author=ADMIN, commit=False)
    shop.flush()
    shop.rollback()
    assert indexer.pending() == 0
    assert search(live, shop, "shoe") == ["KEPT"]


def test_nested_savepoints_inside_one_commit(live, shop):
    with shop.begin_nested():
        make_later = {"identifier": "INNER", "family": "shoes",
                      "values": {"name": value("Inner shoe", "en_US")}}
        s.create_product(shop, make_later, author=ADMIN, commit=False)
    nested = shop.begin_nested()
    s.create_product(shop, {"identifier": "UNDONE", "family": "shoes",
                            "values": {"name": value("Undone shoe", "en_US")}},
                     author=ADMIN, commit=False)
    nested.rollback()
    shop.commit()
    assert search(live, shop, "shoe") == ["INNER"]


def test_a_model_change_reindexes_its_variants(live, shop):
    s.create_product_model(shop, {"code": "trek", "family_variant": "shoes_color_size",
                                  "values": {"name": value("Trek boot", "en_US")}},
                           author=ADMIN)
    settle(live)
    s.create_product_model(shop, {"code": "trek_red", "parent": "trek",
                                  "values": {"color": value("red")}}, author=ADMIN)
    for size in ("s", "m"):
        settle(live)
        s.create_product(shop, {"identifier": f"TREK-{size}", "parent": "trek_red",
                                "values": {"size": value(size)}}, author=ADMIN)
    assert search(live, shop, "trek boot", sort="identifier") == ["TREK-m", "TREK-s"]
    s.update_product_model(shop, "trek", {"values": {"name": value("Summit boot", "en_US")}},
                           author=ADMIN)
    assert search(live, shop, "summit", sort="identifier") == ["TREK-m", "TREK-s"]
    assert search(live, shop, '"trek boot"') == []
    s.update_product_model(shop, "trek_red", {"values": {"color": value("blue")}},
                           author=ADMIN)
    assert search(live, shop, "color:blue", sort="identifier") == ["TREK-m", "TREK-s"]


def test_deleting_a_product_removes_its_document(live, shop):
    make(shop, "GONE", name=names(en_US="Vanishing shoe"))
    settle(live)
    make(shop, "STAYS", name=names(en_US="Staying shoe"))
    assert search(live, shop, "shoe", sort="identifier") == ["GONE", "STAYS"]
    s.delete_product(shop, "GONE", author=ADMIN)
    assert search(live, shop, "shoe") == ["STAYS"]
    assert search_index(live).doc_count() == 1
    s.restore_from_trash(shop, "product", "GONE", author=ADMIN)
    assert search(live, shop, "vanishing") == ["GONE"]


def test_a_product_deleted_behind_the_index_is_never_returned(live, shop):
    make(shop, "GHOST", name=names(en_US="Ghost shoe"))
    settle(live)
    make(shop, "REAL", name=names(en_US="Real shoe"))
    settle(live)
    # a bulk statement bypasses the session's bookkeeping, so the index is not told
    shop.execute(delete(Product).where(Product.identifier == "GHOST"))
    shop.commit()
    index = search_index(live)
    assert index.doc_count() == 2
    result = search_products(index, "shoe", session=shop)
    assert [hit.identifier for hit in result.hits] == ["REAL"] and result.total == 1
    # the search handed the stale document to the indexer, which removed it
    assert wait_idle(live) and index.doc_count() == 1


def test_disabled_search_installs_no_listener(app_config, session, tmp_path):
    app = create_app(app_config | {"SEARCH_INDEX_PATH": str(tmp_path / "off")})
    world_catalog(session)
    make(session, "QUIET", name=names(en_US="Quiet shoe"))
    assert search_index(app).indexer is None
    assert search_index(app).doc_count() == 0
    assert session.scalar(select(Product.identifier)) == "QUIET"
    shutdown(app)


def test_bulk_writers_note_products_only_where_the_indexer_listens(live, app_config,
                                                                  tmp_path):
    """Ids noted where no indexer listens would pile up in the session until it closes."""
    from pim.search.sync import PENDING, note_products

    with live.extensions["prism.sessions"]() as listened:
        note_products(listened, [1, 2])
        assert listened.info[PENDING].products == {1, 2}
        listened.rollback()
    shutdown(live)  # stops listening: the factory's sessions are no longer heard
    quiet = create_app(app_config | {"SEARCH_INDEX_PATH": str(tmp_path / "off")})
    with quiet.extensions["prism.sessions"]() as unheard:
        note_products(unheard, range(1000))
        assert PENDING not in unheard.info
    shutdown(quiet)
