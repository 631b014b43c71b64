"""The catalog read service: resolved products, batches, filters and one snapshot."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from pim.catalog import services as s
from pim.catalog.reading import (
    ProductQuery,
    count_products,
    read_snapshot,
    resolve_product,
    stream_products,
)
from pim.db import make_engine, make_session_factory
from pim.errors import NotFound
from tests.builders import value
from tests.exporters.conftest import fill_catalog


def test_a_variant_carries_its_models_values_categories_and_versions(catalog: Session) -> None:
    product = resolve_product(catalog, "trail-m")
    assert product.parent == product.root == "trail"
    assert product.axes == ("size",)
    assert product.family == "shoes"
    assert product.values["size"][0]["data"] == "m"
    assert product.values["color"][0]["data"] == "green"
    assert {e["locale"] for e in product.values["name"]} == {"en_US", "fr_FR"}
    assert product.categories == ("men",)
    assert product.ancestors == {"men", "shoes", "master"}
    assert product.version == 1 and product.model_versions == (1,)
    assert product.ratio("ecommerce", "en_US") == 100
    assert product.ratio("ecommerce", "fr_FR") < 100
    assert product.ratio("mobile", "pl_PL") == 50  # the sku is there, the Polish name not


def test_a_simple_product_has_no_parent(catalog: Session) -> None:
    product = resolve_product(catalog, "shoe-1")
    assert (product.parent, product.root, product.axes, product.model_versions) == (
        None, None, (), ())
    s.update_product(catalog, "shoe-1", {"values": {"stock": value(5)}}, author="t")
    assert resolve_product(catalog, "shoe-1").version == 2


def test_products_stream_in_small_batches_with_filters(catalog: Session) -> None:
    everyone = [p.identifier for p in stream_products(catalog, batch_size=2)]
    assert everyone == ["trail-s", "trail-m", "shoe-1", "shoe-2", "=broken"]
    s.update_product(catalog, "shoe-2", {"enabled": False}, author="t")
    enabled = stream_products(catalog, ProductQuery(enabled=True), batch_size=2)
    assert [p.identifier for p in enabled] == ["trail-s", "trail-m", "shoe-1", "=broken"]
    assert count_products(catalog, ProductQuery(enabled=False)) == 1
    assert [p.identifier for p in stream_products(catalog, ProductQuery(categories=("shoes",)))
            ] == ["trail-s", "trail-m", "shoe-1", "shoe-2", "=broken"]
    assert list(stream_products(catalog, ProductQuery(families=("accessories",)))) == []
    only = stream_products(catalog, ProductQuery(identifiers=("shoe-1",), channels=()))
    assert [p.completeness for p in only] == [{}]


def test_grouped_streams_keep_variants_of_a_model_together(catalog: Session) -> None:
    s.create_product_model(catalog, {"code": "road", "family_variant": "shoes_size",
                                     "values": {"name": value("Road", "en_US")}}, author="t")
    s.create_product(catalog, {"identifier": "road-l", "parent": "road",
                               "values": {"size": value("l")}}, author="t")
    s.create_product(catalog, {"identifier": "trail-xl", "parent": "trail",
                               "values": {"size": value("xl")}}, author="t")
    grouped = [p.identifier for p in stream_products(catalog, ProductQuery(grouped=True),
                                                     batch_size=2)]
    assert grouped == ["shoe-1", "shoe-2", "=broken", "trail-s", "trail-m", "trail-xl",
                       "road-l"]


def test_an_unknown_product_is_not_found(catalog: Session) -> None:
    with pytest.raises(NotFound):
        resolve_product(catalog, "nope")


def test_a_read_snapshot_does_not_see_later_commits(committed_url: str) -> None:
    engine = make_engine(committed_url)
    sessions = make_session_factory(engine)
    with sessions() as session:
        fill_catalog(session)
    reader, writer = sessions(), sessions()
    try:
        with read_snapshot(reader) as snapshot:
            first = [p.identifier for p in stream_products(reader, batch_size=2)]
            s.update_product(writer, "shoe-1", {"values": {"stock": value(99)}}, author="t")
            s.delete_product(writer, "shoe-2", author="t")
            again = {p.identifier: p for p in stream_products(reader, batch_size=2)}
            assert list(again) == first
            assert again["shoe-1"].values["stock"][0]["data"] == 3
        assert snapshot.isolation != "caller's transaction"
        after = {p.identifier: p for p in stream_products(reader)}
        assert "shoe-2" not in after and after["shoe-1"].values["stock"][0]["data"] == 99
    finally:
        reader.close()
        writer.close()
        engine.dispose()


def test_postgres_snapshots_are_repeatable_read(committed_url: str) -> None:
    engine = make_engine(committed_url)
    if engine.dialect.name != "postgresql":
        engine.dispose()
        pytest.skip("isolation levels are a PostgreSQL matter")
    with make_session_factory(engine)() as session, read_snapshot(session) as snapshot:
        level = session.execute(text("SHOW transaction_isolation")).scalar()
        assert (level, snapshot.isolation) == ("repeatable read", "repeatable read")
    engine.dispose()
