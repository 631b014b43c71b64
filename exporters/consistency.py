"""Cross-channel consistency: the same product tells every channel the same facts.

Price, availability, GTIN and title should agree on every channel, differing only by
each channel's declared transforms (a currency choice, a truncation, a channel's words for
"in stock"). For each product the report compares, per role, the value each channel takes
before its transforms (availability after them, spelled the same way), and the title's
source; every disagreement is listed with each channel's value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from exporters.engine import Export, prepare_export
from exporters.mapping import FieldMapping
from exporters.preview import exporting_channels
from exporters.values import Price, as_text, canonical
from pim.catalog.reading import ProductQuery, ResolvedProduct, read_snapshot, stream_products
from pim.errors import PrismError

ROLES = ("price", "availability", "gtin", "title")
AVAILABILITY_WORDS = {"instock": "in_stock", "outofstock": "out_of_stock",
                      "preorder": "preorder", "backorder": "backorder"}


@dataclass
class Difference:
    """One fact a product tells channels differently."""

    identifier: str
    role: str
    values: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"identifier": self.identifier, "role": self.role, "values": self.values}


@dataclass
class ConsistencyReport:
    """What was compared and every disagreement found (the first `limit` of them)."""

    channels: list[str]
    products: int = 0
    differences: list[Difference] = field(default_factory=list)
    by_role: dict[str, int] = field(default_factory=dict)
    truncated: bool = False
    skipped_channels: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"channels": self.channels, "products": self.products,
                "by_role": self.by_role, "truncated": self.truncated,
                "skipped_channels": self.skipped_channels,
                "differences": [d.as_dict() for d in self.differences]}


def consistency_report(session: Session, channel_code: str | None = None, *, public_url: str,
                       identifiers: Iterable[str] | None = None, limit: int = 500
                       ) -> ConsistencyReport:
    """Compare every exporting channel (or one against the others) product by product."""
    exports, skipped = _exports(session, public_url)
    report = ConsistencyReport(sorted(exports), skipped_channels=skipped)
    if channel_code is not None and channel_code not in exports:
        raise PrismError(f"channel {channel_code!r} has no usable exporter: "
                         f"{skipped.get(channel_code, 'it names none')}")
    wanted = ProductQuery(identifiers=tuple(identifiers) if identifiers is not None else None,
                          channels=())
    with read_snapshot(session):
        for product in stream_products(session, wanted):
            involved = _involved(exports, product, channel_code)
            if len(involved) < 2:
                continue
            report.products += 1
            for difference in compare(product, involved):
                report.by_role[difference.role] = report.by_role.get(difference.role, 0) + 1
                if len(report.differences) < limit:
                    report.differences.append(difference)
                else:
                    report.truncated = True
    return report


def _exports(session: Session, public_url: str) -> tuple[dict[str, Export], dict[str, str]]:
    exports, skipped = {}, {}
    for channel in exporting_channels(session):
        try:
            exports[channel.code] = prepare_export(session, channel, public_url=public_url)
        except PrismError as exc:
            skipped[channel.code] = exc.message
    return exports, skipped


def _involved(exports: dict[str, Export], product: ResolvedProduct, channel: str | None
              ) -> dict[str, Export]:
    involved = {code: e for code, e in exports.items() if e.filter.excluded(product) is None}
    if channel is not None and channel not in involved:
        return {}
    return involved


def compare(product: ResolvedProduct, exports: dict[str, Export]) -> list[Difference]:
    """The disagreements of one product across the given channels."""
    facts: dict[str, dict[str, Any]] = {role: {} for role in ROLES}
    for code, export in exports.items():
        for mapping in export.mapper.fields:
            role = mapping.field.role
            if role in facts:
                facts[role][code] = _fact(role, mapping, product)
    differences = []
    for role in ROLES:
        differences.extend(_disagreements(product.identifier, role, facts[role]))
    return differences


def _fact(role: str, mapping: FieldMapping, product: ResolvedProduct) -> Any:
    try:
        if role == "availability":
            return _availability(mapping.value(product))
        raw = mapping.raw(product)
    except (ValueError, ArithmeticError, KeyError, TypeError) as exc:
        return f"cannot map: {exc}"
    if role == "gtin":
        text = as_text(raw)
        return text.zfill(14) if text.isdigit() else (text or None)
    if role == "title":
        source = {k: v for k, v in mapping.spec.items() if k not in ("transforms", "fallback")}
        return {"source": source, "value": canonical(raw)}
    return raw


def _availability(value: Any) -> str | None:
    if value is None:
        return None
    word = as_text(value).lower().replace(" ", "").replace("_", "")
    return AVAILABILITY_WORDS.get(word, as_text(value))


def _disagreements(identifier: str, role: str, values: dict[str, Any]) -> list[Difference]:
    if role == "price":
        return _price_disagreements(identifier, values)
    distinct = {repr(canonical(v)) for v in values.values()}
    if len(distinct) > 1:
        return [Difference(identifier, role, {k: canonical(v) for k, v in values.items()})]
    return []


def _price_disagreements(identifier: str, values: dict[str, Any]) -> list[Difference]:
    by_currency: dict[str, dict[str, Any]] = {}
    for channel, value in values.items():
        if isinstance(value, Price):
            by_currency.setdefault(value.currency, {})[channel] = value
    missing = {channel: None for channel, value in values.items() if not isinstance(value, Price)}
    if missing:
        # a channel without a price disagrees with every channel that has one
        for group in by_currency.values():
            group.update(missing)
        by_currency = by_currency or {"": missing}
    found = []
    for group in by_currency.values():
        if len({repr(canonical(v)) for v in group.values()}) > 1:
            found.append(Difference(identifier, "price",
                                    {k: canonical(v) for k, v in group.items()}))
    return found
