"""Bulk creation writes exactly what create_product writes, and refuses what it refuses."""

from __future__ import annotations

import json
import re

from sqlalchemy import select, text

from pim.catalog import services as s
from pim.catalog.models import Completeness, Product, UniqueValue, Version
from pim.imports import akeneo_products
from pim.imports.models import ImportIssue
from tests.imports.test_akeneo_files import HEADER, row

VARIANT_HEADER = [*HEADER, "parent", "size"]


def rows(p: str, ean: str, variant_ean: str) -> list[list[str]]:
    """The test rows, with identifiers, codes and unique values of their own (`p`)."""
    plain = [
        row(f"{p}-1"),
        row(f"{p}-2", **{"name-fr_FR": "", "price-USD": "", "weight": "", "materials": ""}),
        row(f"{p}-3", family="accessories", color="", materials="", stock="", waterproof="",
            release_date="", weight="",
            **{"weight-unit": "", "description-en_US-ecommerce": ""}),
        row(f"{p}-4", categories="", enabled="0", ean=ean),
        row(f"{p}-5", ean=ean),  # the unique value is taken by the row before
        row(f"{p}-6", color="purple"),
        row(f"{p}-7", family="nope"),
        row(f"{p}-8", categories="men,shoes,ghost"),
        row(f"{p}-9", stock="-3", **{"price-EUR": "1.005"}),
        row(f"{p}-10", stock="1234567890123456789012345"),  # beyond a 64-bit integer
        row(f"{p}-11", enabled="perhaps", waterproof="maybe"),  # cells the reading refuses
        row(f"{p}-12", waterproof="maybe"),  # only a value cell the reading refuses
    ]
    blank = [""] * 12

    def variant(sku: str, size: str, name: str = "", ean: str = "", family: str = "") -> list:
        return [sku, family, "men" if family else "", "1", name, *blank[:11], ean,
                f"{p}-SHOE", size]

    variants = [variant(f"{p}-VS", "s", ean=variant_ean), variant(f"{p}-VM", "m", family="shoes"),
                variant(f"{p}-VM2", "m"), variant(f"{p}-VX", ""),
                variant(f"{p}-VN", "l", name="Other name")]
    return [r + ["", ""] for r in plain] + variants


def state(session) -> dict:
    """Everything a product creation writes, without ids, uuids and times."""
    session.expire_all()
    found = {}
    for product in session.scalars(select(Product).order_by(Product.identifier)):
        dumped = s.dump_product(product, merged=False)
        for key in ("uuid", "created", "updated"):
            dumped.pop(key)
        versions = [(v.number, v.author, v.source.split(":")[0], v.changes, v.snapshot,
                     v.changeset_id is not None)
                    for v in session.scalars(select(Version).where(
                        Version.resource_type == "product", Version.resource_id == product.id))]
        completeness = sorted((c.channel_id, c.locale, c.required, c.missing, c.ratio,
                               c.missing_attributes) for c in session.scalars(
            select(Completeness).where(Completeness.product_id == product.id)))
        unique = sorted((u.attribute_id, u.data) for u in session.scalars(
            select(UniqueValue).where(UniqueValue.product_id == product.id)))
        found[product.identifier] = (dumped, product.version, versions, completeness, unique)
    return found


def problems(session, import_id: str) -> list:
    return sorted((i.row, p["column"], p["message"]) for i in session.scalars(
        select(ImportIssue).where(ImportIssue.import_id == import_id)) for p in i.problems)


def normalized(found: object, tokens: dict[str, str]) -> str:
    text = json.dumps(found, sort_keys=True, default=str)
    for token, placeholder in tokens.items():
        text = text.replace(token, placeholder)
    return text


def test_bulk_creation_equals_the_service_path(catalog, run_import, write_file, session,
                                               monkeypatch):
    runs = {}
    for prefix, ean, variant_ean in (("BULK", "4006381333931", "73513537"),
                                     ("SERV", "9780201379624", "96385074")):
        s.create_product_model(session, {
            "code": f"{prefix}-SHOE", "family_variant": "shoes_size", "categories": ["men"],
            "values": {"name": [{"locale": "en_US", "scope": None, "data": "Shoe"}]}},
            author="editor")
        session.commit()
        if prefix == "SERV":
            monkeypatch.setattr(akeneo_products, "bulk_allowed", lambda ctx: False)
        path = write_file(f"{prefix}.csv", header=VARIANT_HEADER, rows=rows(prefix, ean,
                                                                             variant_ean))
        record = run_import(path)
        tokens = {ean: "<ean>", variant_ean: "<variant-ean>", f"{prefix}-": "<p>-",
                  f"{prefix}.csv": "<file>"}
        mine = {k: v for k, v in state(session).items() if k.startswith(f"{prefix}-")}
        runs[prefix] = (record.counts, normalized(mine, tokens),
                        normalized(problems(session, record.id), tokens))
    assert runs["BULK"][0]["product"] == {"created": 8, "updated": 0, "unchanged": 0,
                                       "skipped": 0, "failed": 9}
    assert runs["BULK"] == runs["SERV"]
    messages = runs["BULK"][2]
    assert "value '<ean>' is already used by product '<p>-4'; this attribute is unique" \
        in messages
    assert "variant axis 'size' must have a value" in messages
    assert "another variant under the same parent already has" in messages


def variant_row(sku: str, size: str, ean: str = "", parent: str = "AX-SHOE") -> list[str]:
    return [sku, "", "", "1", "", *[""] * 11, ean, parent, size]


def test_variant_axes_are_checked_across_batches_and_refused_rows_take_nothing(
        catalog, run_import, write_file, session):
    s.create_product_model(session, {"code": "AX-SHOE", "family_variant": "shoes_size",
                                     "categories": ["men"]}, author="editor")
    s.create_product(session, {"identifier": "AX-OLD", "parent": "AX-SHOE", "values": {
        "size": [{"locale": None, "scope": None, "data": "s"}],
        "ean": [{"locale": None, "scope": None, "data": "4006381333931"}]}}, author="editor")
    session.commit()
    path = write_file("axes.csv", header=VARIANT_HEADER, rows=[
        variant_row("AX-1", "m", ean="4006381333931"),  # refused: the EAN is AX-OLD's
        variant_row("AX-2", "m"),  # so size m is still free
        variant_row("AX-3", "l"),
        variant_row("AX-4", "s"),  # a later batch: taken by AX-OLD, in the database
        variant_row("AX-5", "l"),  # taken by AX-3, written by an earlier batch
        variant_row("AX-6", "xl")])
    record = run_import(path, batch_size=2)
    assert record.counts["product"]["created"] == 3
    created = set(session.scalars(select(Product.identifier).where(
        Product.identifier.like("AX-%"))))
    assert created == {"AX-OLD", "AX-2", "AX-3", "AX-6"}
    found = problems(session, record.id)
    assert [(row, message.split(";")[0]) for row, _column, message in found] == [
        (2, "value '4006381333931' is already used by product 'AX-OLD'"),
        (5, "another variant under the same parent already has the axis values size=s"),
        (6, "another variant under the same parent already has the axis values size=l")]


def test_bulk_rows_store_their_times_as_the_services_do(catalog, run_import, write_file,
                                                        session):
    s.create_product(session, {"identifier": "T-SERVICE", "family": "shoes"}, author="editor")
    session.commit()
    record = run_import(write_file("times.csv", header=HEADER, rows=[row("T-BULK")]))
    assert record.counts["product"]["created"] == 1
    stored = dict(session.execute(text(
        "SELECT p.identifier, p.created FROM products p WHERE p.identifier LIKE 'T-%'")).all())
    versions = dict(session.execute(text(
        "SELECT resource_code, created FROM versions WHERE resource_code LIKE 'T-%'")).all())
    # the same column type on both paths: on SQLite the same text, read back the same way
    assert {type(v) for v in [*stored.values(), *versions.values()]} == {
        type(stored["T-SERVICE"])}
    if isinstance(stored["T-SERVICE"], str):
        shapes = {re.sub(r"\d", "9", v) for v in [*stored.values(), *versions.values()]}
        assert shapes == {re.sub(r"\d", "9", stored["T-SERVICE"])}
