"""The whole catalog as JSON Lines: one product per line in Akeneo's REST shape.

Generic exports carry every value (all locales, channels and currencies) of every product
the channel's filters let through, merged over product models; no mapping is involved.
A delta ends with `{"identifier": ..., "removed": true}` lines for products that went away.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from exporters.mapping import Mapped
from exporters.registry import Exporter, RecordWriter, exporter
from exporters.rules import Field
from pim.catalog.reading import ResolvedProduct
from pim.jsontext import dumps


def akeneo_record(product: ResolvedProduct) -> dict[str, Any]:
    """The product in Akeneo's REST shape, values merged over its models."""
    return {
        "identifier": product.identifier, "uuid": product.uuid, "enabled": product.enabled,
        "family": product.family, "categories": list(product.categories), "groups": [],
        "parent": product.parent,
        "values": {code: product.values[code] for code in sorted(product.values)},
    }


class WholeProductMapper:
    """Maps a product to its Akeneo record: nothing to configure, nothing to break."""

    def __init__(self, exporter: Exporter) -> None:
        self.exporter = exporter
        self.fields: list[Any] = []

    def prepare(self, products: list[ResolvedProduct]) -> None:
        """Nothing to load ahead."""

    def map(self, product: ResolvedProduct, *, keep_raw: bool = False) -> Mapped:
        """The record is the product's Akeneo form."""
        return Mapped(akeneo_record(product), [])


class CatalogExporter(Exporter):
    """Base of exporters of the whole catalog (no mapping, every value)."""

    fields = (Field("identifier", required=True),)
    can_remove = True

    def mapper(self) -> WholeProductMapper:  # type: ignore[override]
        """Generic exports take products as they are."""
        return WholeProductMapper(self)


@exporter("jsonl")
class JsonLinesCatalog(CatalogExporter):
    """The catalog as JSON Lines of Akeneo products."""

    label = "Catalog as JSON Lines (Akeneo shape)"
    extension = "jsonl"
    media_type = "application/x-ndjson"

    def open(self, stream: BinaryIO, *, delta: bool = False) -> RecordWriter:
        """Write one product per line."""
        return JsonLines(stream)


class JsonLines:
    """One JSON document per line."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    def write(self, record: dict[str, Any], product: ResolvedProduct, new: bool = False
              ) -> None:
        """Write one product."""
        self.stream.write(dumps(record) + b"\n")

    def remove(self, identifier: str) -> None:
        """Write a removal line."""
        self.stream.write(dumps({"identifier": identifier, "removed": True}) + b"\n")

    def close(self) -> None:
        """Nothing closes a JSON Lines file."""
