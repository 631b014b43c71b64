"""Exporters by kind: `@exporter("google")` registers a class; a channel names its kind."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, BinaryIO, ClassVar, Protocol

from exporters.context import ExportContext
from exporters.rules import Field, Problem
from pim.catalog.reading import ResolvedProduct
from pim.errors import FieldError, ValidationError

if TYPE_CHECKING:
    from exporters.mapping import Mapper

# Prism's own exporter modules, imported on first use of the registry
BUILTIN = ("google", "meta", "amazon", "shopify", "jsonld", "bmecat", "akeneo_csv", "jsonl")

EXPORTERS: dict[str, type[Exporter]] = {}


class RecordWriter(Protocol):
    """Writes the records of one export to a byte stream, as the channel's format wants."""

    def write(self, record: dict[str, Any], product: ResolvedProduct, new: bool = False
              ) -> None:
        """Write one checked record (`new`: not live on the channel yet, in a delta)."""

    def remove(self, identifier: str) -> None:
        """Say that the product `identifier` is gone (formats that can express it)."""

    def close(self) -> None:
        """Finish the document (closing tags, trailers); the stream stays open."""


class Exporter:
    """A channel format: its fields and rules, its default mapping and its writer."""

    kind: ClassVar[str] = ""
    label: ClassVar[str] = ""
    fields: ClassVar[tuple[Field, ...]] = ()
    default_mapping: ClassVar[dict[str, Any]] = {}
    extension: ClassVar[str] = "txt"
    media_type: ClassVar[str] = "text/plain"
    # removals can be written (DELETE messages, delete modes) in delta outputs
    can_remove: ClassVar[bool] = False
    # the writer needs the variants of one product model one after the other
    grouped: ClassVar[bool] = False
    # fields the exporter fills itself in `finish`, so a mapping is not required for them
    computed: ClassVar[frozenset[str]] = frozenset()
    # a full output with fewer records is not valid in the format (Amazon: one message)
    min_records: ClassVar[int] = 0
    # rendition presets of image fields when the channel names none
    image_presets: ClassVar[dict[str, str]] = {}

    def __init__(self, ctx: ExportContext) -> None:
        self.ctx = ctx

    def mapper(self) -> Mapper:
        """Compile the channel's mapping for this exporter."""
        from exporters.mapping import Mapper

        return Mapper(self, self.ctx)

    def fills(self, name: str) -> bool:
        """Tell whether the exporter computes field `name` itself."""
        return name in self.computed

    def file_name(self, delta: bool = False) -> str:
        """Name of the output file (a delta goes to its own file)."""
        suffix = "-delta" if delta else ""
        return f"{self.ctx.channel}{suffix}.{self.extension}"

    def finish(self, record: dict[str, Any], product: ResolvedProduct) -> list[Problem]:
        """Complete a mapped record and return the problems of rules spanning fields."""
        return []

    def open(self, stream: BinaryIO, *, delta: bool = False) -> RecordWriter:
        """Start writing records to `stream`."""
        raise NotImplementedError

    def field(self, name: str) -> Field:
        """Return the declared field `name`."""
        return next(f for f in self.fields if f.name == name)


def exporter(kind: str) -> Callable[[type[Exporter]], type[Exporter]]:
    """Register an exporter class under `kind`."""

    def register(cls: type[Exporter]) -> type[Exporter]:
        cls.kind = kind
        EXPORTERS[kind] = cls
        return cls

    return register


def load_exporters() -> None:
    """Import Prism's exporter modules so that they register."""
    for name in BUILTIN:
        importlib.import_module(f"exporters.{name}")


def exporter_class(kind: str | None) -> type[Exporter]:
    """Return the exporter class registered under `kind`."""
    load_exporters()
    if kind is None:
        raise ValidationError([FieldError("exporter", "the channel has no exporter: set its "
                                          f"kind (one of {', '.join(sorted(EXPORTERS))})")])
    if kind not in EXPORTERS:
        raise ValidationError([FieldError("exporter", f"unknown exporter kind {kind!r} "
                                          f"(known: {', '.join(sorted(EXPORTERS))})")])
    return EXPORTERS[kind]


def exporter_kinds() -> list[str]:
    """List the registered exporter kinds."""
    load_exporters()
    return sorted(EXPORTERS)
