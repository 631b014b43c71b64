"""Catalogs for exporter tests: the small catalog with products, variants and channels."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from pim.catalog import services as s
from pim.db import make_engine, upgrade_database
from tests.builders import product, small_catalog, value
from tests.conftest import PG_ENV

PUBLIC = "http://127.0.0.1:5000"
IMAGE = {"template": "https://cdn.example.com/img/{identifier}.jpg"}


def prices(eur: str, usd: str | None = None) -> list[dict[str, Any]]:
    data = [{"amount": eur, "currency": "EUR"}]
    if usd:
        data.append({"amount": usd, "currency": "USD"})
    return value(data)


def fill_catalog(session: Session) -> None:
    """The small catalog, a model with two sizes, two simple products and a broken one."""
    small_catalog(session)
    s.save_option(session, "color", {"code": "green", "labels": {
        "en_US": "Green", "fr_FR": "Vert", "pl_PL": "Zielony"}}, author="t")
    s.create_product_model(session, {
        "code": "trail", "family_variant": "shoes_size", "categories": ["men"], "values": {
            "name": value("Trail runner", "en_US") + value("Coureur Ζ", "fr_FR"),
            "description": value("<p>Grippy. Light. <b>Fast!</b></p>", "en_US", "ecommerce"),
            "price": prices("99.00", "109.00"), "color": value("green"), "stock": value(4),
            "weight": value({"amount": "0.8", "unit": "KILOGRAM"})}}, author="t")
    for size, ean in (("s", "5901234123457"), ("m", "96385074")):
        s.create_product(session, {"identifier": f"trail-{size}", "parent": "trail",
                                   "values": {"size": value(size), "ean": value(ean)}},
                         author="t")
    product(session, "shoe-1", values={
        "name": value("Trail shoe", "en_US") + value("Buty Zażółć", "pl_PL"),
        "description": value("<p>Light <b>trail</b> shoe</p>", "en_US", "ecommerce"),
        "price": prices("89.00", "96.50"), "ean": value("4006381333931"), "stock": value(3),
        "color": value("red"), "weight": value({"amount": "350", "unit": "GRAM"}),
        "release_date": value("2026-05-01")})
    product(session, "shoe-2", values={
        "name": value("Road shoe", "en_US"),
        "description": value("<p>Road</p>", "en_US", "ecommerce"),
        "price": prices("59.90"), "ean": value("4006381333924"), "stock": value(0),
        "color": value("black")})
    product(session, "=broken", values={"name": value("-no price", "en_US")})


def set_channel(session: Session, kind: str, settings: dict[str, Any] | None = None,
                code: str = "ecommerce") -> None:
    """Point a channel at an exporter kind with its settings."""
    s.update_channel(session, code, {"exporter": kind, "settings": {
        "locale": "en_US", **(settings or {})}}, author="t")


@pytest.fixture()
def catalog(session: Session) -> Session:
    fill_catalog(session)
    return session


def _postgres(server: str) -> Iterator[str]:
    name = f"prism_exports_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def committed_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh migrated database whose commits every connection and thread sees."""
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path / 'exports.sqlite3'}"])
    else:
        server = os.environ.get(PG_ENV)
        if not server:
            pytest.skip(f"PostgreSQL run skipped: set {PG_ENV} to a server URL to run it")
        urls = _postgres(server)
    url = next(urls)
    engine = make_engine(url)
    upgrade_database(engine)
    engine.dispose()
    yield url
    for _ in urls:  # drops the PostgreSQL database
        pass
