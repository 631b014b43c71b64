"""The whole catalog as Akeneo's product CSV: semicolon-separated, a column per value.

Columns follow Akeneo's import format: the identifier, `categories`, `enabled`, `family`,
`parent`, `groups`, then `<attribute>[-<locale>][-<channel>]` for every value, one
`<price>-<currency>` column per currency and `<metric>-unit` beside each measurement.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from exporters.context import ExportContext
from exporters.jsonl import CatalogExporter
from exporters.output import CsvRows
from exporters.registry import RecordWriter, exporter
from pim.catalog.reading import ResolvedProduct

PROPERTIES = ["categories", "enabled", "family", "parent", "groups"]


def value_columns(ctx: ExportContext) -> list[str]:
    """Every value column the catalog's attributes, channels and locales allow."""
    locales = sorted({loc for locales, _cur in ctx.catalog_channels.values() for loc in locales})
    columns = []
    for code in sorted(ctx.attributes):
        info = ctx.attributes[code]
        if info.type == "pim_catalog_identifier":
            continue
        for key in _keys(code, info.localizable, info.scopable, ctx, locales):
            columns.extend(_typed(key, info.type, ctx))
    return columns


def _keys(code: str, localizable: bool, scopable: bool, ctx: ExportContext,
          locales: list[str]) -> list[tuple[str, str | None]]:
    if scopable:
        return [(f"{code}-{loc}-{channel}" if localizable else f"{code}-{channel}", channel)
                for channel, (channel_locales, _c) in ctx.catalog_channels.items()
                for loc in (channel_locales if localizable else [None])]
    if localizable:
        return [(f"{code}-{loc}", None) for loc in locales]
    return [(code, None)]


def _typed(key: tuple[str, str | None], kind: str, ctx: ExportContext) -> list[str]:
    name, channel = key
    if kind == "pim_catalog_price_collection":
        currencies = (ctx.catalog_channels[channel][1] if channel else sorted(
            {c for _loc, currencies in ctx.catalog_channels.values() for c in currencies}))
        return [f"{name}-{currency}" for currency in currencies]
    if kind == "pim_catalog_metric":
        return [name, f"{name}-unit"]
    return [name]


def flat_cells(record: dict[str, Any], types: dict[str, str]) -> dict[str, Any]:
    """The CSV cells of an Akeneo record."""
    cells: dict[str, Any] = {
        "categories": ",".join(record["categories"]), "enabled": "1" if record["enabled"] else "0",
        "family": record["family"] or "", "parent": record["parent"] or "", "groups": "",
    }
    for code, entries in record["values"].items():
        kind = types.get(code, "")
        for entry in entries:
            key = "-".join(p for p in (code, entry["locale"], entry["scope"]) if p)
            cells.update(_cell(key, kind, entry["data"]))
    return cells


def _cell(key: str, kind: str, data: Any) -> dict[str, Any]:
    if kind == "pim_catalog_price_collection":
        return {f"{key}-{price['currency']}": price["amount"] for price in data}
    if kind == "pim_catalog_metric":
        return {key: data["amount"], f"{key}-unit": data["unit"]}
    if isinstance(data, bool):
        return {key: "1" if data else "0"}
    if isinstance(data, list):
        return {key: ",".join(str(item) for item in data)}
    return {key: data}


@exporter("csv")
class AkeneoCsvCatalog(CatalogExporter):
    """The catalog as Akeneo's product import CSV."""

    can_remove = False
    label = "Catalog as Akeneo CSV"
    extension = "csv"
    media_type = "text/csv"

    def open(self, stream: BinaryIO, *, delta: bool = False) -> RecordWriter:
        """Write the header from the catalog's structure, then a row per product."""
        identifier = self.ctx.identifier_attribute or "sku"
        columns = [identifier, *PROPERTIES, *value_columns(self.ctx)]
        types = {code: info.type for code, info in self.ctx.attributes.items()}
        return AkeneoCsv(stream, columns, identifier, types)


class AkeneoCsv:
    """Rows of the Akeneo CSV."""

    def __init__(self, stream: BinaryIO, columns: list[str], identifier: str,
                 types: dict[str, str]) -> None:
        self._rows = CsvRows(stream, columns, delimiter=";")
        self._identifier = identifier
        self._types = types

    def write(self, record: dict[str, Any], product: ResolvedProduct, new: bool = False
              ) -> None:
        """Write one product row."""
        cells = flat_cells(record, self._types)
        cells[self._identifier] = record["identifier"]
        self._rows.row(cells)

    def remove(self, identifier: str) -> None:
        """An Akeneo CSV cannot say that a product went away."""

    def close(self) -> None:
        """Flush the rows."""
        self._rows.close()
