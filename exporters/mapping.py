"""A channel's mapping: for each target field, where its value comes from and how it changes.

The exporter's default mapping makes a channel work out of the box; `settings["mapping"]`
overrides it field by field (`null` leaves a field out). A mapping entry is a source
(see exporters.sources), optional `transforms`, and an optional `fallback` entry used when
the source gives nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from exporters import sources
from exporters.compiled import CompiledField, Fallback, compile_record, described
from exporters.context import ExportContext
from exporters.errors import MappingError
from exporters.rules import RENDERERS, Checker, Field, Problem, as_is, checker_for, text_value
from exporters.transforms import Transform, build_transform
from exporters.values import SIZED
from pim.catalog.reading import ResolvedProduct
from pim.errors import FieldError, ValidationError

if TYPE_CHECKING:
    from exporters.registry import Exporter

MODIFIERS = {"locale", "fallback_locales", "scope", "currency", "label", "transforms",
             "fallback", "preset", "index", "from", "limit"}


@dataclass
class FieldMapping:
    """One target field, compiled: read its source, apply its transforms, check its rules."""

    field: Field
    spec: dict[str, Any]
    read: sources.Source
    transforms: list[Transform]
    checker: Checker | None

    def __post_init__(self) -> None:
        self.value = _producer(self.read, self.transforms, RENDERERS[self.field.kind])

    def raw(self, product: ResolvedProduct) -> Any:
        """The source value before any transform (what the consistency report compares)."""
        return self.read(product)


def _producer(read: sources.Source, transforms: list[Transform],
              shape: Callable[[Any], Any]) -> Callable[[ResolvedProduct], Any]:
    """One function from product to rendered value (the hot path of every export)."""

    # `is_empty` inlined: this runs for every field of every product
    def produce(product: ResolvedProduct) -> Any:
        value = read(product)
        for step in transforms:
            value = step(value)
        if value is None or (isinstance(value, SIZED) and not value):
            return None
        return shape(value)

    def text(product: ResolvedProduct) -> Any:
        # text_value renders every empty value as None itself
        value = read(product)
        return None if value is None else text_value(value)

    def plain(product: ResolvedProduct) -> Any:
        value = read(product)
        if value is None or (isinstance(value, SIZED) and not value):
            return None
        return value

    def untransformed(product: ResolvedProduct) -> Any:
        value = read(product)
        if value is None or (isinstance(value, SIZED) and not value):
            return None
        return shape(value)

    if transforms:
        return produce
    if shape is text_value:
        return text
    return plain if shape is as_is else untransformed


@dataclass
class Mapped:
    """A record for one product, what blocks it, and the raw source values if asked."""

    record: dict[str, Any]
    problems: list[Problem]
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def channel_overrides(settings: dict[str, Any]) -> dict[str, Any]:
    """The channel's own mapping entries (`settings["mapping"]`)."""
    overrides = settings.get("mapping") or {}
    if not isinstance(overrides, dict):
        raise ValidationError([FieldError("settings.mapping",
                                          "the mapping is an object keyed by target field")])
    return overrides


class Mapper:
    """Every field of one exporter compiled against one channel's context."""

    def __init__(self, exporter: Exporter, ctx: ExportContext) -> None:
        self.exporter = exporter
        self.ctx = ctx
        self.fields: list[FieldMapping] = []
        self.image_attributes: set[str] = set()
        self._compile(channel_overrides(ctx.settings))
        # every field's steps written out in one function: `map` runs it for every product
        self._record_of = compile_record(
            [CompiledField(m.field, m.read, tuple(m.transforms), RENDERERS[m.field.kind],
                           m.checker) for m in self.fields],
            exporter.finish)

    def _compile(self, overrides: dict[str, Any]) -> None:
        known = {f.name for f in self.exporter.fields}
        errors = [FieldError(f"settings.mapping.{name}",
                             f"{name!r} is not a field of {self.exporter.kind} records "
                             f"(fields: {', '.join(sorted(known))})")
                  for name in overrides if name not in known]
        for target in self.exporter.fields:
            try:
                compiled = self._target(target, overrides)
            except MappingError as exc:
                errors.append(FieldError(f"settings.mapping.{target.name}", str(exc),
                                         value=overrides.get(target.name)))
                continue
            if compiled is not None:
                self.fields.append(compiled)
            elif target.required and not self.exporter.fills(target.name):
                errors.append(FieldError(f"settings.mapping.{target.name}",
                                         f"{target.name} is required and has no mapping"))
        if errors:
            raise ValidationError(errors, f"The mapping of channel {self.ctx.channel!r} is "
                                          "not valid: " + "; ".join(e.message for e in errors))

    def _target(self, target: Field, overrides: dict[str, Any]) -> FieldMapping | None:
        """The channel's entry for `target`, else the first default that fits the catalog."""
        if target.name in overrides:
            spec = overrides[target.name]
            return None if spec is None else self._field(target, spec)
        default = self.exporter.default_mapping.get(target.name)
        alternatives = default if isinstance(default, list) else [default]
        reason = None
        for spec in alternatives:
            if spec is None:
                continue
            try:
                return self._field(target, spec)
            except MappingError as exc:
                reason = exc
        if reason is not None and target.required and not self.exporter.fills(target.name):
            raise MappingError(f"no default mapping fits this catalog ({reason}); "
                               "map the field in the channel settings")
        return None

    def _field(self, target: Field, spec: Any) -> FieldMapping:
        spec = _normalized(spec)
        read = self._source(target, spec)
        steps = spec.get("transforms", [])
        if not isinstance(steps, list):
            raise MappingError("transforms is a list")
        transforms = [build_transform(step) for step in steps]
        return FieldMapping(target, spec, read, transforms, checker_for(target))

    def _source(self, target: Field, spec: dict[str, Any]) -> sources.Source:
        keys = [key for key in spec if key in sources.SOURCES]
        unknown = sorted(set(spec) - set(sources.SOURCES) - MODIFIERS)
        if unknown:
            raise MappingError(f"unknown key(s) {', '.join(unknown)}")
        if len(keys) != 1:
            raise MappingError(f"give exactly one source among {', '.join(sources.SOURCES)}")
        key = keys[0]
        if key == "images":
            self.image_attributes.add(spec[key])
            presets = self.ctx.settings.get("image_presets") or {}
            if "preset" not in spec and target.name not in presets:
                spec = {**spec, "preset": self.exporter.image_presets.get(target.name)}
        read = sources.SOURCES[key](spec[key], spec, self.ctx, target.name)
        if "fallback" not in spec:
            return read
        other = self._source(target, _normalized(spec["fallback"]))
        return _with_fallback(read, other)

    def prepare(self, products: list[ResolvedProduct]) -> None:
        """Let sources load what a batch of products needs (images) in one go."""
        if self.image_attributes:
            self.ctx.images.prepare(products, self.image_attributes)

    def map(self, product: ResolvedProduct, *, keep_raw: bool = False) -> Mapped:
        """Build and check the record of `product`."""
        record, problems = self._record_of(product)
        if not keep_raw:
            return Mapped(record, problems)
        return Mapped(record, problems, {m.field.name: _safe_raw(m, product)
                                         for m in self.fields})


def _safe_raw(mapping: FieldMapping, product: ResolvedProduct) -> Any:
    try:
        return mapping.raw(product)
    except (ValueError, ArithmeticError, KeyError, TypeError) as exc:
        return f"cannot map: {exc}"


def _normalized(spec: Any) -> dict[str, Any]:
    """A bare string is an attribute code, or a template when it holds a placeholder."""
    if isinstance(spec, str):
        return {"template": spec} if "{" in spec else {"attribute": spec}
    if not isinstance(spec, dict):
        raise MappingError(f"a mapping entry is an attribute code or an object, got {spec!r}")
    return spec


def _with_fallback(first: sources.Source, other: sources.Source
                   ) -> Callable[[ResolvedProduct], Any]:
    def read(product: ResolvedProduct) -> Any:
        value = first(product)
        if value is None or (isinstance(value, SIZED) and not value):  # is_empty inlined
            return other(product)
        return value

    return described(read, Fallback(first, other))
