"""The direct segment builder writes what Whoosh's own writer writes for the same documents."""

from __future__ import annotations

import datetime as dt
import io
import pickle
import random
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from whoosh import index as whoosh_index
from whoosh.codec import default_codec
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC

from pim.bench.generator import generate
from pim.catalog.models import Product
from pim.search.bulk import build_segments
from pim.search.documents import load_structure, product_documents
from pim.search.postwriter import _zlib_stored
from pim.search.schema import product_schema
from pim.search.store import INDEX_NAME
from pim.search.terms import TermMaker, _analyzer_items
from tests.search.conftest import make, names

WHEN = dt.datetime(2026, 1, 2, 3, 4, 5)


def edge_documents(count: int) -> list[dict[str, Any]]:
    """Documents built to reach the corners: stop words, repeats, long posting lists."""
    rng = random.Random(7)
    words = ["the", "and", "of", "shoe", "shoes", "Über", "straße", "żółw", "data.base",
             "le", "la", "der", "die", "running", "ran", "x1", "éléphant", "a"]
    docs = []
    for n in range(count):
        text = " ".join(rng.choice(words) for _ in range(rng.randrange(0, 40)))
        doc: dict[str, Any] = {
            "id": str(10_000 + n), "identifier": f"EDGE-{n % 150}", "enabled": n % 3 != 0,
            "status": ["draft", "ready"][n % 2], "updated": WHEN + dt.timedelta(hours=n % 5),
            "created": WHEN, "stamp": f"{n}:0".encode(), "family": f"fam{n % 4}",
            "words": text, "text_en": text, "text_fr": f"{text}\nle la les de", "text_de": text,
            "text_pl": text.upper(), "spell": " ".join(sorted(set(text.lower().split()))),
            "category": " ".join(sorted({"root", f"c{n % 7}"})),
            "select_color": "red blue" if n % 2 else "red",
            "complete_ecommerce_en_US": n % 101,
        }
        if n % 5 == 0:
            doc["parent"] = f"model_{n % 3}"
            doc["models"] = f"model_{n % 3} model_root"
        if n % 11 == 0:
            doc["text_en"] = "the and of"  # only stop words: no postings, no length
        docs.append({k: v for k, v in doc.items() if v != ""})
    return docs


def catalog_documents(session) -> list[dict[str, Any]]:
    generate(session, 120, seed=3)
    make(session, "RICH-1", family="family_1", categories=["c1_2"],
         name=names(en_US="The running shoes of the runner",
                    fr_FR="Les chaussures de la coureuse"))
    ids = list(session.scalars(select(Product.id).order_by(Product.id)))
    return product_documents(session, ids, load_structure(session))


def whoosh_index_of(folder: Path, documents: list[dict[str, Any]]) -> Any:
    folder.mkdir()
    ix = whoosh_index.create_in(folder, product_schema(), INDEX_NAME)
    with ix.writer(codec=default_codec(compression=0)) as writer:
        for document in documents:
            writer.add_document(**document)
    return whoosh_index.open_dir(folder, INDEX_NAME)


def built_index_of(folder: Path, documents: list[dict[str, Any]], segment_docs: int) -> Any:
    folder.mkdir()
    ix = whoosh_index.create_in(folder, product_schema(), INDEX_NAME)
    writer = ix.writer()
    segments = build_segments(writer.storage, INDEX_NAME, writer.schema, documents,
                              segment_docs=segment_docs)
    writer.commit(mergetype=lambda _writer, _old: list(segments))
    return whoosh_index.open_dir(folder, INDEX_NAME)


def posting_blocks(reader: Any, fieldname: str, text: bytes) -> list[tuple[Any, ...]]:
    """Return each block of a posting list as (last, block info, decoded data).

    Equal blocks may differ in bytes: pickle refers back to a value already written
    when the same bytes object occurs twice in a block.
    """
    info = reader._terms.term_info(fieldname, text)
    offset, length = info.extent()
    if isinstance(length, tuple):  # the term info reader leaves it unpacked
        length = length[0]
    raw = io.BytesIO(reader._terms._postfile.get(offset, length))
    assert raw.read(4) == WHOOSH3_HEADER_MAGIC
    blocks = []
    while raw.tell() < length:
        size = struct.unpack("!i", raw.read(4))[0]
        start = raw.tell()
        block_info = pickle.load(raw)
        blocks.append((size < 0, block_info, pickle.load(raw)))
        assert raw.tell() == start + abs(size)
    return blocks


def assert_same_segment(expected: Any, got: Any) -> None:
    assert got.doc_count_all() == expected.doc_count_all()
    assert list(got.all_terms()) == list(expected.all_terms())
    for fieldname, text in expected.all_terms():
        where = {"_offset": None, "_length": None}
        assert got.term_info(fieldname, text).__dict__ | where == \
            expected.term_info(fieldname, text).__dict__ | where, (fieldname, text)
        assert posting_blocks(got, fieldname, text) == \
            posting_blocks(expected, fieldname, text), (fieldname, text)
    schema = expected.schema
    indexed = {fieldname for fieldname, _ in expected.all_terms()}
    for fieldname in sorted(indexed | set(schema.names())):
        if fieldname in indexed and schema[fieldname].scorable:
            assert got.field_length(fieldname) == expected.field_length(fieldname), fieldname
            assert got.max_field_length(fieldname) == expected.max_field_length(fieldname)
            assert [got.doc_field_length(n, fieldname) for n in range(got.doc_count_all())] \
                == [expected.doc_field_length(n, fieldname)
                    for n in range(expected.doc_count_all())], fieldname
        assert got.has_column(fieldname) == expected.has_column(fieldname), fieldname
        if expected.has_column(fieldname):
            assert list(got.column_reader(fieldname)) == \
                list(expected.column_reader(fieldname)), fieldname
    assert list(got.iter_docs()) == list(expected.iter_docs())


@pytest.mark.parametrize("source", ["catalog", "edge"])
def test_built_segments_equal_whoosh_writer(session, tmp_path, source):
    documents = catalog_documents(session) if source == "catalog" else edge_documents(400)
    expected = whoosh_index_of(tmp_path / "whoosh", documents)
    got = built_index_of(tmp_path / "built", documents, segment_docs=len(documents) + 1)
    with expected.reader() as want, got.reader() as have:
        assert_same_segment(want, have)


@pytest.mark.parametrize("count", [300, 256])
def test_documents_split_into_segments_keep_their_order(session, tmp_path, count):
    documents = edge_documents(count)
    got = built_index_of(tmp_path / "built", documents, segment_docs=128)
    with got.reader() as reader:
        leaves = [leaf for leaf, _offset in reader.leaf_readers()]
        assert [leaf.doc_count_all() for leaf in leaves] == [128, 128, 44][:-(-count // 128)]
        assert [fields["id"] for fields in reader.all_stored_fields()] == \
            [doc["id"] for doc in documents]
        for number, leaf in enumerate(leaves):
            part = documents[number * 128:(number + 1) * 128]
            with whoosh_index_of(tmp_path / f"whoosh{number}", part).reader() as expected:
                assert_same_segment(expected, leaf)


TRICKY_TEXTS = [
    "", "plain words", "data.base x.y.z. a..b .dot end.", "*star* wild*card", "tab\there\r\nnew",
    "vertical\x0btab form\x0cfeed \x1cfile\x1dgroup\x1erecord\x1funit", "nbsp\xa0joined",
    "Über straße żółw", "ideographic\u3000space", "under_score 3.14 -5 +7", "  lead  trail  ",
]


@pytest.mark.parametrize("fieldname", ["words", "text_en", "text_pl", "spell", "category"])
@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_words_are_found_as_the_field_tokenizer_finds_them(fieldname, text):
    field = product_schema()[fieldname]
    tokenizer = _analyzer_items(field)[0]
    words = TermMaker().word_terms(fieldname, field).words
    assert words(text) == [token.text for token in tokenizer(text)]


@pytest.mark.parametrize("size", [0, 1, 300, 0xFFFF, 0x10000, 200_000])
def test_stored_fields_blocks_decompress_to_their_bytes(size):
    data = bytes(random.Random(size).randrange(256) for _ in range(size))
    assert zlib.decompress(_zlib_stored(data, 3)) == data


def test_a_word_field_refuses_values_that_are_not_text(tmp_path):
    ix = whoosh_index.create_in(tmp_path, product_schema(), INDEX_NAME)
    writer = ix.writer()
    with pytest.raises(TypeError, match="text_en"):
        build_segments(writer.storage, INDEX_NAME, writer.schema,
                       [{"id": "1", "text_en": ["pre", "split"]}])
    writer.cancel()
