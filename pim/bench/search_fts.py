"""The search benchmark's yardstick: the same documents in SQLite FTS5 tables.

Text goes to one FTS5 column per index text field (unicode61, accents removed: FTS5's only
stemmer is English); facet values and completeness go to plain tables counted with
GROUP BY, the way a straightforward FTS5 search would do it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from pim.search.documents import load_structure, product_documents
from pim.search.maintenance import product_id_batches

if TYPE_CHECKING:
    from pim.bench.search import BenchQuery

TEXT_COLUMNS = ("identifier", "words", "text_en", "text_fr", "text_de")
FACETS = ("family", "category", "status")
DDL = [
    "DROP TABLE IF EXISTS search_fts",
    "DROP TABLE IF EXISTS search_facets",
    "DROP TABLE IF EXISTS search_numbers",
    "DROP TABLE IF EXISTS search_docs",
    f"CREATE VIRTUAL TABLE search_fts USING fts5({', '.join(TEXT_COLUMNS)}, "
    "tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TABLE search_facets (doc INTEGER, field TEXT, value TEXT)",
    "CREATE TABLE search_numbers (doc INTEGER, field TEXT, value INTEGER)",
    "CREATE TABLE search_docs (doc INTEGER PRIMARY KEY, identifier TEXT, updated INTEGER)",
]
INDEXES = [
    "CREATE INDEX ix_search_facets ON search_facets (field, value, doc)",
    "CREATE INDEX ix_search_facets_doc ON search_facets (doc)",
    "CREATE INDEX ix_search_numbers ON search_numbers (field, value, doc)",
    "CREATE INDEX ix_search_docs_updated ON search_docs (updated)",
]


def _rows(doc: dict[str, Any]) -> tuple[dict, list[dict], list[dict], dict]:
    key = int(doc["id"])
    fts = {"doc": key, **{c: doc.get(c, "") for c in TEXT_COLUMNS}}
    facets = [{"doc": key, "field": name, "value": value}
              for name, raw in doc.items() if name in FACETS or name.startswith("select_")
              for value in str(raw).split()]
    numbers = [{"doc": key, "field": name, "value": value}
               for name, value in doc.items() if name.startswith("complete_")]
    meta = {"doc": key, "identifier": doc["identifier"],
            "updated": int(doc["updated"].timestamp() * 1_000_000)}
    return fts, facets, numbers, meta


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


class FtsCatalog:
    """The product documents in FTS5 tables inside the benchmark's SQLite catalog."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def build(self, sessions: Any) -> float:
        """Create the tables and load every product's document; return the seconds taken."""
        started = time.perf_counter()
        with self.engine.begin() as conn:
            for statement in DDL:
                conn.exec_driver_sql(statement)
        with sessions() as session:
            catalog = load_structure(session)
            for batch in product_id_batches(session):
                self._write(session, product_documents(session, batch, catalog))
            for statement in INDEXES:
                session.execute(text(statement))
            session.commit()
        return time.perf_counter() - started

    def _write(self, session: Session, docs: list[dict[str, Any]]) -> None:
        rows = [_rows(doc) for doc in docs]
        columns = ", ".join(TEXT_COLUMNS)
        values = ", ".join(f":{c}" for c in TEXT_COLUMNS)
        session.execute(text(f"INSERT INTO search_fts (rowid, {columns}) VALUES (:doc, {values})"),
                        [r[0] for r in rows])
        facets = [f for r in rows for f in r[1]]
        if facets:
            session.execute(text("INSERT INTO search_facets VALUES (:doc, :field, :value)"),
                            facets)
        numbers = [n for r in rows for n in r[2]]
        if numbers:
            session.execute(text("INSERT INTO search_numbers VALUES (:doc, :field, :value)"),
                            numbers)
        session.execute(text("INSERT INTO search_docs VALUES (:doc, :identifier, :updated)"),
                        [r[3] for r in rows])

    def _matched(self, q: BenchQuery) -> tuple[str, dict[str, Any]]:
        """Return SQL selecting the matching document ids, and its parameters."""
        params: dict[str, Any] = {}
        terms = [_quote(w) for w in q.words]
        if q.prefix:
            terms.append(_quote(q.prefix) + "*")
        if q.identifier:
            terms.append(f"identifier : {_quote(q.identifier)}")
        if terms:
            sql = "SELECT rowid AS doc FROM search_fts WHERE search_fts MATCH :match"
            params["match"] = " ".join(terms)
        else:
            sql = "SELECT doc FROM search_docs WHERE 1"
        for n, (name, value) in enumerate(sorted(q.filters.items())):
            column = "rowid" if terms else "doc"
            if isinstance(value, dict):
                sql += (f" AND {column} IN (SELECT doc FROM search_numbers WHERE field = :f{n} "
                        f"AND value >= :v{n})")
                params[f"v{n}"] = value["min"]
            else:
                sql += (f" AND {column} IN (SELECT doc FROM search_facets WHERE field = :f{n} "
                        f"AND value = :v{n})")
                params[f"v{n}"] = value
            params[f"f{n}"] = name if name in FACETS or name.startswith("complete_") else (
                f"select_{name}")
        return sql, params

    def search(self, q: BenchQuery) -> tuple[int, list[str], dict[str, dict[str, int]]]:
        """Run one query: total, a page of identifiers and facet counts."""
        matched, params = self._matched(q)
        with self.engine.connect() as conn:
            total = conn.execute(text(f"SELECT count(*) FROM ({matched})"), params).scalar()
            if q.sort == "relevance" and "match" in params:
                page_sql = (f"SELECT d.identifier FROM ({matched} ORDER BY rank LIMIT 20) m "
                            "JOIN search_docs d ON d.doc = m.doc")
            else:
                page_sql = (f"SELECT identifier FROM search_docs WHERE doc IN ({matched}) "
                            "ORDER BY updated DESC, identifier LIMIT 20")
            page = list(conn.execute(text(page_sql), params).scalars())
            facets = {}
            for name in q.facets:
                field = name if name in FACETS else f"select_{name}"
                rows = conn.execute(text(
                    f"SELECT value, count(*) FROM search_facets WHERE field = :facet "
                    f"AND doc IN ({matched}) GROUP BY value ORDER BY 2 DESC"),
                    {**params, "facet": field})
                facets[name] = dict(rows.all())
        return total, page, facets

    def saves(self, sessions: Any, count: int) -> list[float]:
        """Save products and rewrite their FTS rows in the same transaction; time to found."""
        from pim.bench.search import BenchQuery
        from pim.catalog import services as s

        delays = []
        with sessions() as session:
            catalog = load_structure(session)
            for n in range(count):
                word = f"ftsword{n}x"
                started = time.perf_counter()
                product = s.update_product(
                    session, f"SKU-{n * 5 + 3:07d}", {"values": {"name": [
                        {"locale": "en_US", "scope": None, "data": f"Saved {word}"}]}},
                    author="bench", commit=False)
                session.flush()
                for table in ("search_fts WHERE rowid", "search_facets WHERE doc",
                              "search_numbers WHERE doc", "search_docs WHERE doc"):
                    session.execute(text(f"DELETE FROM {table} = :id"), {"id": product.id})
                self._write(session, product_documents(session, [product.id], catalog))
                session.commit()
                while self.search(BenchQuery([word]))[0] == 0:
                    time.sleep(0.001)
                delays.append(time.perf_counter() - started)
        return delays
