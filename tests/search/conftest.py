"""Search fixtures: a catalog in many languages and an index in a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pim.catalog import services as s
from pim.catalog.models import Product
from pim.search import SearchIndex, index_products, search_products
from tests.builders import ADMIN, small_catalog, value

WORLD_LOCALES = ["ru_RU", "el_GR", "ro_RO", "es_ES", "pl_PL"]


@pytest.fixture()
def index(tmp_path: Path) -> Iterator[SearchIndex]:
    found = SearchIndex(tmp_path / "index")
    yield found
    found.close()


def world_catalog(session: Session) -> None:
    """The small catalog plus a channel selling in Russian, Greek, Romanian and Spanish."""
    small_catalog(session)
    s.create_channel(session, {"code": "world", "locales": WORLD_LOCALES,
                               "currencies": ["EUR"], "category_tree": "master"}, author=ADMIN)


@pytest.fixture()
def catalog(session: Session) -> Session:
    world_catalog(session)
    return session


def names(**by_locale: str) -> list[dict[str, Any]]:
    """Localized name values: names(en_US="Trail shoe", fr_FR="Chaussure")."""
    return [entry for locale, text in by_locale.items() for entry in value(text, locale)]


def make(session: Session, identifier: str, *, family: str = "shoes",
         categories: list[str] | None = None, **values: Any) -> Product:
    """Create a product with the given values (each a list of value entries)."""
    data = {"identifier": identifier, "family": family,
            "categories": ["men"] if categories is None else categories, "values": values}
    return s.create_product(session, data, author="editor")


def reindex(session: Session, index: SearchIndex) -> None:
    """Index every product of the session's database."""
    index_products(session, session.scalars(select(Product.id)).all(), index=index)


def found(index: SearchIndex, session: Session, query: str = "", **options: Any) -> list[str]:
    """Return the identifiers a search finds, in order."""
    options.setdefault("per_page", 100)
    result = search_products(index, query, session=session, **options)
    return [hit.identifier for hit in result.hits]
