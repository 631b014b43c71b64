"""A deterministic synthetic catalog for benchmarks: `prism bench generate`.

The structure goes through the catalog services; products are inserted in bulk
(values in Akeneo's shape, categories, creation versions, completeness recomputed
set-wise), so 100,000 products take seconds, not hours.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from pim.catalog import completeness
from pim.catalog import services as s
from pim.catalog.models import Category as CategoryRow
from pim.catalog.models import Family, Product, ProductModel, Version, product_categories
from pim.catalog.values import flatten_values
from pim.db import utcnow

LOCALES = ("en_US", "fr_FR", "de_DE")
CHANNELS = {"ecommerce": (list(LOCALES), ["EUR", "USD"]), "mobile": (["en_US"], ["EUR"]),
            "print": (["de_DE"], ["EUR"])}
SYLLABLES = ("ka", "lo", "mi", "ra", "ne", "to", "su", "vi", "de", "po", "ba", "xe", "ri",
             "gu", "fa", "zo", "el", "an", "or", "is")
NOUNS = {"en_US": ("shoe", "jacket", "lamp", "chair", "kettle", "drill", "watch", "phone",
                   "camera", "table", "bottle", "helmet"),
         "fr_FR": ("chaussure", "veste", "lampe", "chaise", "bouilloire", "perceuse",
                   "montre", "téléphone", "appareil", "table", "bouteille", "casque"),
         "de_DE": ("Schuh", "Jacke", "Lampe", "Stuhl", "Wasserkocher", "Bohrer", "Uhr",
                   "Telefon", "Kamera", "Tisch", "Flasche", "Helm")}
ADJECTIVES = {"en_US": ("light", "strong", "quiet", "smart", "classic", "compact", "bright"),
              "fr_FR": ("léger", "solide", "silencieux", "malin", "classique", "compact",
                        "lumineux"),
              "de_DE": ("leicht", "stark", "leise", "schlau", "klassisch", "kompakt", "hell")}
ATTRIBUTES: list[tuple[str, str, dict[str, Any]]] = [
    ("sku", "pim_catalog_identifier", {}),
    ("name", "pim_catalog_text", {"localizable": True}),
    ("description", "pim_catalog_textarea", {"localizable": True, "scopable": True}),
    ("short_description", "pim_catalog_textarea", {"localizable": True}),
    ("keywords", "pim_catalog_text", {"localizable": True}),
    ("price", "pim_catalog_price_collection", {"decimals_allowed": True}),
    ("brand", "pim_catalog_simpleselect", {}),
    ("color", "pim_catalog_simpleselect", {}),
    ("size", "pim_catalog_simpleselect", {}),
    ("origin", "pim_catalog_simpleselect", {}),
    ("season", "pim_catalog_simpleselect", {}),
    ("material", "pim_catalog_multiselect", {}),
    ("weight", "pim_catalog_metric", {"metric_family": "Weight",
                                      "default_metric_unit": "KILOGRAM",
                                      "decimals_allowed": True}),
    ("length", "pim_catalog_metric", {"metric_family": "Length",
                                      "default_metric_unit": "CENTIMETER",
                                      "decimals_allowed": True}),
    ("width", "pim_catalog_metric", {"metric_family": "Length",
                                     "default_metric_unit": "CENTIMETER",
                                     "decimals_allowed": True}),
    ("height", "pim_catalog_metric", {"metric_family": "Length",
                                      "default_metric_unit": "CENTIMETER",
                                      "decimals_allowed": True}),
    ("power", "pim_catalog_metric", {"metric_family": "Power", "default_metric_unit": "WATT"}),
    ("ean", "pim_catalog_text", {}),
    ("mpn", "pim_catalog_text", {}),
    ("release_date", "pim_catalog_date", {}),
    ("warranty", "pim_catalog_number", {}),
    ("rating", "pim_catalog_number", {"decimals_allowed": True}),
    ("stock", "pim_catalog_number", {}),
    ("in_stock", "pim_catalog_boolean", {}),
    ("eco", "pim_catalog_boolean", {}),
    ("images", "pim_catalog_asset_collection", {}),
    ("manual", "pim_catalog_file", {}),
    ("url", "pim_catalog_url", {}),
    ("care", "pim_catalog_textarea", {"localizable": True}),
    ("related", "pim_catalog_product_link", {}),
]
OPTION_COUNTS = {"brand": 50, "color": 20, "size": 8, "origin": 30, "season": 4, "material": 15}
FAMILY_COUNT = 10
BATCH = 2000


@dataclass(frozen=True)
class GeneratedCatalog:
    products: int
    models: int
    families: int


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))


def generate(session: Session, products: int, seed: int = 42) -> GeneratedCatalog:
    """Create the structure and `products` products, deterministically from `seed`."""
    rng = random.Random(seed)
    create_structure(session)
    families = {f.code: f for f in session.scalars(select(Family))}
    leaves = [(row.id, row.code) for row in session.execute(
        select(CategoryRow.id, CategoryRow.code).where(CategoryRow.parent_id.is_not(None))
        .where(CategoryRow.code.like("c%\\_%", escape="\\")).order_by(CategoryRow.id))]
    model_ids = _create_models(session, rng, max(1, products // 25))
    made = 0
    for batch in _batches(product_rows(rng, products, families, model_ids), BATCH):
        _insert_batch(session, rng, batch, leaves)
        made += len(batch)
    completeness.recompute(session)
    session.commit()
    return GeneratedCatalog(products=made, models=len(model_ids), families=len(families))


def create_structure(session: Session) -> None:
    """Create locales, 3 channels, a category tree, 30 attributes, options and families."""
    author = "generator"
    s.create_category(session, {"code": "root"}, author=author)
    for i in range(10):
        s.create_category(session, {"code": f"c{i}", "parent": "root"}, author=author)
        for j in range(9):
            s.create_category(session, {"code": f"c{i}_{j}", "parent": f"c{i}",
                                        "labels": {"en_US": f"Category {i}.{j}"}}, author=author)
    for code, (locales, currencies) in CHANNELS.items():
        s.create_channel(session, {"code": code, "locales": locales, "currencies": currencies,
                                   "category_tree": "root"}, author=author)
    for code, type_, props in ATTRIBUTES:
        s.create_attribute(session, {"code": code, "type": type_, **props,
                                     "labels": {"en_US": code.replace("_", " ").title()}},
                           author=author)
    for code, count in OPTION_COUNTS.items():
        for i in range(count):
            s.save_option(session, code, {"code": f"{code}_{i}", "labels": {
                loc: f"{code} {i} {loc[:2]}" for loc in LOCALES}}, author=author)
    codes = [a[0] for a in ATTRIBUTES]
    for i in range(FAMILY_COUNT):
        attrs = codes if i == 0 else codes[:8] + codes[8 + i % 5: 30 - i % 3]
        s.create_family(session, {"code": f"family_{i}", "attributes": attrs,
                                  "attribute_requirements": {
                                      "ecommerce": ["name", "description", "price", "images"],
                                      "mobile": ["name", "price"],
                                      "print": ["name", "description", "weight"]}},
                        author=author)
    s.create_family_variant(session, {"code": "family_0_color_size", "family": "family_0",
                                      "variant_attribute_sets": [
                                          {"level": 1, "axes": ["color"],
                                           "attributes": ["images"]},
                                          {"level": 2, "axes": ["size"],
                                           "attributes": ["ean", "stock", "weight"]}]},
                            author=author)


def _create_models(session: Session, rng: random.Random, count: int) -> list[tuple[int, str]]:
    """Create `count` sub-models (each under its own root model); return (id, color)."""
    variant = s.get_family_variant(session, "family_0_color_size")
    now = utcnow()
    roots = [{"code": f"model_{i}", "family_variant_id": variant.id, "version": 1,
              "values": {"name": _localized(rng, "name")}, "created": now, "updated": now}
             for i in range(count)]
    session.execute(insert(ProductModel), roots)
    root_ids = dict(session.execute(select(ProductModel.code, ProductModel.id)).all())
    subs = [{"code": f"model_{i}_c", "family_variant_id": variant.id, "version": 1,
             "parent_id": root_ids[f"model_{i}"], "created": now, "updated": now,
             "values": {"color": _plain(f"color_{i % 20}")}} for i in range(count)]
    session.execute(insert(ProductModel), subs)
    rows = session.execute(select(ProductModel.id, ProductModel.code).where(
        ProductModel.parent_id.is_not(None)).order_by(ProductModel.id)).all()
    return [(row.id, row.code) for row in rows]


def _plain(data: Any) -> list[dict[str, Any]]:
    return [{"locale": None, "scope": None, "data": data}]


def _localized(rng: random.Random, kind: str, scope: str | None = None) -> list[dict]:
    entries = []
    for locale in LOCALES:
        noun, adjective = rng.choice(NOUNS[locale]), rng.choice(ADJECTIVES[locale])
        text = f"{adjective} {noun} {word(rng)}"
        if kind != "name":
            text = f"<p>{text.capitalize()} — {word(rng)} {word(rng)} {noun}.</p>"
        entries.append({"locale": locale, "scope": scope, "data": text})
    return entries


def product_rows(rng: random.Random, count: int, families: dict[str, Family],
                 models: list[tuple[int, str]]) -> Iterator[dict[str, Any]]:
    """Yield product rows: every 5th product is a variant of a generated model."""
    sizes = iter(range(10**9))
    for n in range(count):
        if n % 5 == 0 and models:
            model_id, model_code = models[(n // 5) % len(models)]
            yield {"identifier": f"SKU-{n:07d}", "family": families["family_0"],
                   "parent_id": model_id, "parent": model_code,
                   "values": {"size": _plain(f"size_{next(sizes) // len(models) % 8}"),
                              "ean": _plain(f"{n:013d}"), "stock": _plain(rng.randint(0, 500)),
                              "weight": _plain({"amount": "0.5", "unit": "KILOGRAM"})}}
            continue
        family = families[f"family_{1 + n % (FAMILY_COUNT - 1)}"]
        yield {"identifier": f"SKU-{n:07d}", "family": family, "parent_id": None,
               "parent": None, "values": _values(rng, n, set(family.attribute_codes))}


def _values(rng: random.Random, n: int, allowed: set[str]) -> dict[str, Any]:
    euros = Decimal(rng.randint(100, 99999)) / 100
    values = {
        "name": _localized(rng, "name"),
        "description": _localized(rng, "description", "ecommerce") if n % 7 else [],
        "short_description": _localized(rng, "short"),
        "price": _plain([{"amount": str(euros), "currency": "EUR"},
                         {"amount": str((euros * Decimal("1.08")).quantize(Decimal("0.01"))),
                          "currency": "USD"}]),
        "brand": _plain(f"brand_{rng.randrange(50)}"),
        "origin": _plain(f"origin_{rng.randrange(30)}"),
        "season": _plain(f"season_{rng.randrange(4)}"),
        "material": _plain(sorted({f"material_{rng.randrange(15)}" for _ in range(2)})),
        "weight": _plain({"amount": str(rng.randint(1, 5000) / 100), "unit": "KILOGRAM"}),
        "length": _plain({"amount": str(rng.randint(1, 300)), "unit": "CENTIMETER"}),
        "ean": _plain(f"{n:013d}"), "mpn": _plain(f"MPN-{word(rng).upper()}-{n}"),
        "release_date": _plain(
            f"20{rng.randint(10, 26)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"),
        "warranty": _plain(rng.randint(1, 5)), "rating": _plain(str(rng.randint(10, 50) / 10)),
        "stock": _plain(rng.randint(0, 900)), "in_stock": _plain(n % 3 != 0),
        "eco": _plain(n % 4 == 0), "images": _plain([f"img_{n}"]) if n % 3 else [],
        "url": _plain(f"https://example.com/p/{n}"),
    }
    return {k: v for k, v in values.items() if v and k in allowed}


def _batches(rows: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert_batch(session: Session, rng: random.Random, batch: list[dict],
                  leaves: list[tuple[int, str]]) -> None:
    now = utcnow()
    rows, flats, links = [], [], []
    for item in batch:
        values = dict(item["values"])
        values["sku"] = _plain(item["identifier"])
        category = rng.choice(leaves) if item["parent"] is None else None
        links.append(category)
        flats.append({"identifier": item["identifier"], "family": item["family"].code,
                      "parent": item["parent"], "categories": [category[1]] if category else [],
                      "enabled": True, "status": "draft", **flatten_values(values)})
        rows.append({"uuid": str(uuid.UUID(int=rng.getrandbits(128))),
                     "identifier": item["identifier"], "family_id": item["family"].id,
                     "parent_id": item["parent_id"], "enabled": True, "status": "draft",
                     "values": dict(sorted(values.items())), "created": now, "updated": now,
                     "version": 1})
    session.execute(insert(Product), rows)
    ids = dict(session.execute(select(Product.identifier, Product.id).where(
        Product.identifier.in_([r["identifier"] for r in rows]))).all())
    pairs = [{"product_id": ids[r["identifier"]], "category_id": link[0]}
             for r, link in zip(rows, links, strict=True) if link]
    if pairs:
        session.execute(insert(product_categories), pairs)
    session.execute(insert(Version), [
        {"resource_type": "product", "resource_id": ids[r["identifier"]],
         "resource_code": r["identifier"], "number": 1, "author": "generator",
         "source": "generator", "created": now, "snapshot": flat}
        for r, flat in zip(rows, flats, strict=True)])
