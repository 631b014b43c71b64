"""The vectorized evaluation matches and scores exactly as Whoosh's own matchers do."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import select

from pim.catalog import services as s
from pim.catalog.models import Product
from pim.search import index_products
from pim.search.facets import match
from pim.search.query import parse_text, text_fields
from tests.builders import ADMIN, value
from tests.search.conftest import make, names

QUERIES = [
    "trail", "trail shoe", "shoe OR bag", "trail NOT number3", '"trail shoe"', "number1*",
    "color:red", "category:sale", "complete_ecommerce_en_US:[34 TO]",
    "complete_mobile_en_US:[0 TO 50]", "updated:[2020-01-01 TO]", "family:accessories OR "
    "color:blue", "enabled:false", "*", "identifier:shoe-0*", "zolw", "nothing-like-this",
    "(trail OR leather) AND NOT color:black", "żółw* OR chaussure",
]


@pytest.fixture()
def segmented(catalog, index):
    """Products spread over three segments, some replaced and one deleted since."""
    session = catalog
    for n in range(9):
        make(session, f"SHOE-{n}", categories=["men"] if n % 2 else ["shoes"],
             name=names(en_US=f"Trail shoe number{n}", fr_FR="Chaussure légère",
                        pl_PL="Żółw" if n == 4 else "Kot"),
             color=value(["red", "blue", "black"][n % 3]))
    for n in range(3):
        make(session, f"BAG-{n}", family="accessories", categories=["shoes"],
             name=names(en_US=f"Leather bag {n}"))
    ids = list(session.scalars(select(Product.id).order_by(Product.id)))
    index_products(session, ids[:6], index=index)
    index_products(session, ids[6:], index=index)
    s.update_product(session, "SHOE-2", {"enabled": False}, author=ADMIN)
    s.delete_product(session, "BAG-1", author=ADMIN)
    index_products(session, ids[1:3] + ids[-2:-1], index=index)
    return session


def test_matches_and_scores_equal_whoosh(segmented, index):
    with index.searcher() as searcher:
        assert len(searcher.leaf_searchers()) == 3 and searcher.reader().has_deletions()
        indexed = list(searcher.reader().indexed_field_names())
        for text in QUERIES:
            query = parse_text(searcher.schema, text, text_fields(indexed, None), indexed)
            expected = {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}
            mine = {}
            for item in match(index.segments, searcher, query):
                for doc in np.flatnonzero(item.match.mask):
                    mine[item.leaf.offset + int(doc)] = float(item.match.scores()[doc])
            assert set(mine) == set(expected), text
            for doc, score in expected.items():
                assert mine[doc] == pytest.approx(score, rel=1e-4), text


def test_caches_follow_new_segments_and_deletions(segmented, index):
    with index.searcher() as searcher:
        indexed = list(searcher.reader().indexed_field_names())
        query = parse_text(searcher.schema, "trail", text_fields(indexed, None), indexed)
        before = sum(item.count for item in match(index.segments, searcher, query))
    gone = s.get_product(segmented, "SHOE-5").id
    s.delete_product(segmented, "SHOE-5", author=ADMIN)
    index_products(segmented, [gone, *segmented.scalars(select(Product.id))], index=index)
    with index.searcher() as searcher:
        after = sum(item.count for item in match(index.segments, searcher, query))
        live = {leaf.key for leaf in index.segments.leaves(searcher)}
    assert after == before - 1
    assert set(index.segments._data) == live
