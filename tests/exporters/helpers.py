"""Helpers for exporter tests: contexts without a database, records checked field by field."""

from __future__ import annotations

import io
from typing import Any

from sqlalchemy.orm import Session

from exporters.context import ExportContext
from exporters.engine import Observer, prepare_export, run_export
from exporters.registry import Exporter, exporter_class
from exporters.rules import Problem, check, render
from pim.catalog import services as s
from pim.catalog.reading import ResolvedProduct
from tests.exporters.conftest import PUBLIC


def bare_context(kind: str, settings: dict[str, Any] | None = None) -> ExportContext:
    """A context with no catalog structure, for checking records by hand."""
    return ExportContext(
        channel="web", kind=kind, locales=["en_US"], currencies=["EUR"], tree=None,
        settings={"locale": "en_US", **(settings or {})}, attributes={}, options={},
        categories={}, families={}, identifier_attribute="sku", public_url=PUBLIC)


def resolved(identifier: str = "sku-1", *, parent: str | None = None,
             ancestors: frozenset[str] = frozenset()) -> ResolvedProduct:
    """A resolved product for rules that look at the product itself."""
    return ResolvedProduct(
        id=1, uuid="u-1", identifier=identifier, family="shoes", parent=parent, root=parent,
        axes=("size",) if parent else (), enabled=True, status="draft", values={},
        categories=(), ancestors=ancestors, completeness={}, version=1, model_versions=())


def record_problems(exporter: Exporter, record: dict[str, Any],
                    product: ResolvedProduct | None = None) -> list[tuple[str, str]]:
    """Render and check a hand-made record as a mapping would; return (field, rule) pairs."""
    rendered: dict[str, Any] = {}
    problems: list[Problem] = []
    for field in exporter.fields:
        value = render(field, record.get(field.name))
        if value is not None:
            rendered[field.name] = value
        problems.extend(check(field, value))
    problems.extend(exporter.finish(rendered, product or resolved()))
    return sorted({(p.field, p.rule) for p in problems})


def make_exporter(kind: str, settings: dict[str, Any] | None = None) -> Exporter:
    return exporter_class(kind)(bare_context(kind, settings))


class Collect(Observer):
    """Remembers what an export did to each product."""

    def __init__(self) -> None:
        self.hashes: dict[str, str] = {}
        self.problems: dict[str, list[Problem]] = {}
        self.gone: list[tuple[str, bool]] = []

    def exported(self, product: ResolvedProduct, record_hash: str) -> None:
        self.hashes[product.identifier] = record_hash

    def skipped(self, product: ResolvedProduct, problems: list[Problem]) -> None:
        self.problems[product.identifier] = problems

    def removed(self, product_id: int, identifier: str, written: bool) -> None:
        self.gone.append((identifier, written))

    def rules(self, identifier: str) -> set[tuple[str, str]]:
        """(field, rule) pairs that blocked `identifier`."""
        return {(p.field, p.rule) for p in self.problems.get(identifier, [])}


def export_bytes(session: Session, channel: str = "ecommerce") -> tuple[bytes, Any, Collect]:
    """Export a channel to memory; return the bytes, the stats and what happened."""
    export = prepare_export(session, s.get_channel(session, channel), public_url=PUBLIC)
    out = io.BytesIO()
    seen = Collect()
    stats = run_export(session, export, out, observer=seen)
    return out.getvalue(), stats, seen
