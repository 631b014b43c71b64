"""Turn products (with their models' values) into index documents, a batch at a time."""

from __future__ import annotations

import datetime as dt
import html
import re
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from pim.catalog.documents import decode
from pim.catalog.models import (
    Attribute,
    AttributeOption,
    Category,
    Channel,
    Completeness,
    Family,
    Product,
    ProductModel,
    product_categories,
    product_model_categories,
)
from pim.catalog.types import Problem, type_for
from pim.catalog.variants import merged_values
from pim.search.analysis import spelling_words
from pim.search.schema import complete_field, select_field, text_field

# Attribute types whose words a full-text search should find; options are handled apart.
TEXT_TYPES = frozenset({"pim_catalog_identifier", "pim_catalog_text", "pim_catalog_textarea"})
SELECT_TYPES = frozenset({"pim_catalog_simpleselect", "pim_catalog_multiselect"})
TAG = re.compile(r"<[^>]*>")


@dataclass
class CatalogStructure:
    """The reference data documents need: attributes, option labels, trees, codes."""

    attributes: dict[str, Attribute]
    option_labels: dict[str, dict[str, dict[str, str]]]
    category_paths: dict[int, tuple[str, ...]]
    channels: dict[int, str]
    families: dict[int, str]
    types: dict[str, str] = field(default_factory=dict)
    _option_words: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.types = {code: attribute.type for code, attribute in self.attributes.items()}

    def option_words(self, attribute: Attribute, option: str) -> dict[str, str]:
        """Return the words of one option per locale, as its attribute type gives them."""
        key = (attribute.code, option)
        found = self._option_words.get(key)
        if found is None:
            labels = self.option_labels.get(attribute.code, {}).get(option, {})
            kind = type_for(attribute.type)
            found = {locale: kind.search_text(option, attribute, {option: {locale: label}})
                     for locale, label in labels.items() if label}
            self._option_words[key] = found
        return found


def load_structure(session: Session) -> CatalogStructure:
    """Read the reference data documents need, once per batch of documents."""
    attributes = {a.code: a for a in session.scalars(select(Attribute))}
    labels: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    rows = session.execute(select(Attribute.code, AttributeOption.code, AttributeOption.labels)
                           .join(Attribute, Attribute.id == AttributeOption.attribute_id))
    for attribute, option, option_labels in rows:
        labels[attribute][option] = option_labels or {}
    parents = dict(session.execute(select(Category.id, Category.parent_id)).all())
    codes = dict(session.execute(select(Category.id, Category.code)).all())
    return CatalogStructure(
        attributes=attributes,
        option_labels=dict(labels),
        category_paths={cid: _path(cid, parents, codes) for cid in codes},
        channels=dict(session.execute(select(Channel.id, Channel.code)).all()),
        families=dict(session.execute(select(Family.id, Family.code)).all()),
    )


def _path(category_id: int, parents: dict[int, int | None], codes: dict[int, str]
          ) -> tuple[str, ...]:
    path = []
    current: int | None = category_id
    while current is not None and len(path) < 100:
        path.append(codes[current])
        current = parents.get(current)
    return tuple(path)


@dataclass
class ModelRow:
    code: str
    parent_id: int | None
    values: dict[str, Any]
    version: int
    categories: list[int]


def load_models(session: Session, ids: Iterable[int]) -> dict[int, ModelRow]:
    """Read the given product models and their ancestors."""
    found: dict[int, ModelRow] = {}
    wanted = set(ids)
    models = ProductModel.__table__.c
    while wanted:
        rows = session.execute(
            select(models.id, models.code, models.parent_id, cast(models["values"], Text),
                   models.version)
            .where(models.id.in_(sorted(wanted)))).all()
        for model_id, code, parent_id, values, version in rows:
            found[model_id] = ModelRow(code, parent_id, decode(values), version, [])
        wanted = {r.parent_id for r in rows if r.parent_id and r.parent_id not in found}
    links = session.execute(select(product_model_categories).where(
        product_model_categories.c.product_model_id.in_(sorted(found))))
    for model_id, category_id in links:
        found[model_id].categories.append(category_id)
    return found


def model_chain(parent_id: int | None, models: dict[int, ModelRow]) -> list[ModelRow]:
    """Return a variant's models from its parent up to the root."""
    chain = []
    while parent_id is not None and parent_id in models:
        chain.append(models[parent_id])
        parent_id = models[parent_id].parent_id
    return chain


def completeness_rows(session: Session, ids: list[int]) -> dict[int, list[tuple[int, str, int]]]:
    """Return (channel id, locale, ratio) rows per product."""
    rows: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    table = Completeness.__table__.c
    query = select(table.product_id, table.channel_id, table.locale,
                   table.ratio).where(table.product_id.in_(ids))
    for product_id, channel_id, locale, ratio in session.execute(query):
        rows[product_id].append((channel_id, locale, ratio))
    return rows


def stamp_of(versions: list[int], completeness: list[tuple[int, str, int]]) -> str:
    """Fingerprint what a document depends on (versions of the product and its models)."""
    versions_part = ".".join(str(v) for v in versions)
    digest = zlib.crc32(repr(sorted(completeness)).encode())
    return f"{versions_part}:{digest:08x}"


_PRODUCTS = Product.__table__.c
# values are read as JSON text: orjson decodes it several times faster than the json module
PRODUCT_COLUMNS = (_PRODUCTS.id, _PRODUCTS.identifier, _PRODUCTS.family_id, _PRODUCTS.parent_id,
                   _PRODUCTS.enabled, _PRODUCTS.status,
                   cast(_PRODUCTS["values"], Text).label("values"), _PRODUCTS.created,
                   _PRODUCTS.updated, _PRODUCTS.version)


def product_documents(session: Session, ids: Iterable[int], catalog: CatalogStructure
                      ) -> list[dict[str, Any]]:
    """Return the documents of the products with `ids` that still exist."""
    ids = sorted(set(ids))
    if not ids:
        return []
    rows = session.execute(select(*PRODUCT_COLUMNS).where(_PRODUCTS.id.in_(ids))).all()
    categories: dict[int, list[int]] = defaultdict(list)
    for product_id, category_id in session.execute(
            select(product_categories).where(product_categories.c.product_id.in_(ids))):
        categories[product_id].append(category_id)
    completeness = completeness_rows(session, ids)
    models = load_models(session, {r.parent_id for r in rows if r.parent_id})
    return [
        _document(row, categories[row.id], completeness[row.id],
                  model_chain(row.parent_id, models), catalog)
        for row in rows
    ]


def _document(row: Any, category_ids: list[int], completeness: list[tuple[int, str, int]],
              chain: list[ModelRow], catalog: CatalogStructure) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": str(row.id), "identifier": row.identifier, "enabled": bool(row.enabled),
        "status": row.status, "updated": _naive(row.updated), "created": _naive(row.created),
        "stamp": stamp_of([row.version, *(m.version for m in chain)], completeness).encode(),
    }
    if row.family_id is not None:
        doc["family"] = catalog.families[row.family_id]
    if chain:
        doc["parent"] = chain[0].code
        doc["models"] = " ".join(m.code for m in chain)
    codes = {code for cid in category_ids + [c for m in chain for c in m.categories]
             for code in catalog.category_paths.get(cid, ())}
    if codes:
        doc["category"] = " ".join(sorted(codes))
    for channel_id, locale, ratio in completeness:
        doc[complete_field(catalog.channels[channel_id], locale)] = int(ratio)
    doc.update(value_fields(_merged(decode(row.values), chain), catalog))
    return doc


def _naive(moment: dt.datetime) -> dt.datetime:
    # Whoosh stores naive datetimes; Prism's are UTC
    return moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _merged(values: dict[str, Any], chain: list[ModelRow]) -> dict[str, Any]:
    parent = None
    for model in reversed(chain):
        parent = SimpleNamespace(values=model.values, parent=parent)
    return merged_values(SimpleNamespace(values=values or {}, parent=parent))


def value_fields(values: dict[str, Any], catalog: CatalogStructure) -> dict[str, str]:
    """Return the text, spelling and select facet fields of a product's merged values."""
    texts: dict[str, list[str]] = defaultdict(list)
    selects: dict[str, list[str]] = {}
    for code, entries in values.items():
        attribute = catalog.attributes.get(code)
        if attribute is None:
            continue
        kind = catalog.types[code]
        if kind in SELECT_TYPES:
            _select_words(attribute, entries, catalog, texts, selects)
        elif kind in TEXT_TYPES:
            for entry in entries:
                words = _text_words(kind, attribute, entry.get("data"))
                if words:
                    texts[text_field(entry.get("locale"))].append(words)
    fields = {name: "\n".join(parts) for name, parts in texts.items()}
    spell = spelling_words([text for parts in texts.values() for text in parts])
    if spell:
        fields["spell"] = spell
    fields.update({select_field(code): " ".join(codes) for code, codes in selects.items()})
    return fields


def _select_words(attribute: Attribute, entries: list[dict[str, Any]],
                  catalog: CatalogStructure, texts: dict[str, list[str]],
                  selects: dict[str, list[str]]) -> None:
    for entry in entries:
        data = entry.get("data")
        chosen = [c for c in (data if isinstance(data, list) else [data]) if isinstance(c, str)]
        if not chosen:
            continue
        selects.setdefault(attribute.code, []).extend(chosen)
        texts["words"].append(" ".join(chosen))
        by_locale: dict[str, list[str]] = defaultdict(list)
        for code in chosen:
            for locale, words in catalog.option_words(attribute, code).items():
                by_locale[locale].append(words)
        for locale, parts in by_locale.items():
            texts[text_field(locale)].append(" ".join(parts))


def _text_words(kind: str, attribute: Attribute, data: Any) -> str:
    if data is None:
        return ""
    if kind == "pim_catalog_textarea" and isinstance(data, str):
        # stored rich text is already sanitized: dropping its tags gives the type's
        # plain text without parsing the HTML again
        return " ".join(html.unescape(TAG.sub(" ", data)).split())
    try:
        return type_for(kind).search_text(data, attribute, {})
    except Problem:
        return ""
