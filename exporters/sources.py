"""Where a target field's value comes from: an attribute, a template, a product property...

Each source kind is registered under the key it uses in a mapping entry
(`{"attribute": "name"}`, `{"template": "{brand} {name}"}`, `{"property": "identifier"}`,
`{"value": "new"}`, `{"taxonomy": "google"}`, `{"category_path": " > "}`,
`{"images": "images"}`) and compiled once into a function of a resolved product.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from exporters.compiled import (
    SPACES,
    AttributeRead,
    FixedValue,
    PropertyRead,
    Template,
    Then,
    described,
)
from exporters.context import AttributeInfo, ExportContext
from exporters.errors import MappingError
from exporters.values import Measure, Price, as_text, is_empty
from pim.catalog.reading import ResolvedProduct

Source = Callable[[ResolvedProduct], Any]
Builder = Callable[[Any, dict[str, Any], ExportContext, str], Source]
SOURCES: dict[str, Builder] = {}
# distinct category placements whose derived values a source keeps
PLACEMENT_CACHE = 10_000


def source(key: str) -> Callable[[Builder], Builder]:
    """Register a source builder under the mapping key `key`."""

    def register(builder: Builder) -> Builder:
        SOURCES[key] = builder
        return builder

    return register


def locales_of(spec: dict[str, Any], ctx: ExportContext) -> list[str]:
    """The locale chain of a mapping entry: its locale, then its fallbacks."""
    first = spec.get("locale") or ctx.locale
    fallbacks = spec.get("fallback_locales", ctx.fallback_locales)
    if not isinstance(first, str) or not isinstance(fallbacks, list):
        raise MappingError("locale is a locale code and fallback_locales a list of them")
    return [first, *[loc for loc in fallbacks if loc != first]]


def pick(entries: list[dict[str, Any]], info: AttributeInfo, locales: list[str],
         scope: str | None) -> Any:
    """Return the data of the first entry matching a locale of the chain and the scope."""
    if not info.localizable:
        for entry in entries:
            if entry["locale"] is None and entry["scope"] == scope:
                return entry["data"]
        return None
    for locale in locales:
        for entry in entries:
            if entry["locale"] == locale and entry["scope"] == scope:
                return entry["data"]
    return None


def typed_reader(info: AttributeInfo, spec: dict[str, Any], ctx: ExportContext,
                 locales: list[str]) -> Callable[[Any], Any]:
    """Return the function turning an attribute's stored data into a typed value."""
    kind = info.type
    if kind == "pim_catalog_price_collection":
        currency = spec.get("currency") or ctx.currency
        return lambda data: _price(data, currency)
    if kind == "pim_catalog_metric":
        family = info.metric_family or ""
        return lambda data: Measure(Decimal(str(data["amount"])), data["unit"], family)
    if kind == "pim_catalog_number":
        return lambda data: Decimal(str(data))
    if kind in ("pim_catalog_simpleselect", "pim_catalog_multiselect"):
        return _option_reader(info, spec, ctx, locales)
    return same


def same(data: Any) -> Any:
    """The typed reader of attributes whose stored data is already the value."""
    return data


def _price(data: list[dict[str, str]], currency: str) -> Price | None:
    for item in data:
        if item["currency"] == currency:
            return Price(Decimal(item["amount"]), currency)
    return None


def _option_reader(info: AttributeInfo, spec: dict[str, Any], ctx: ExportContext,
                   locales: list[str]) -> Callable[[Any], Any]:
    if spec.get("label", True) is False:
        return same
    code = info.code
    # the label of each option code, looked up once per reader (options are few)
    labels: dict[str, str] = {}

    def label(option: Any) -> str:
        if type(option) is not str:
            return ctx.option_label(code, option, locales)
        found = labels.get(option)
        if found is None:
            found = labels[option] = ctx.option_label(code, option, locales)
        return found

    if info.type == "pim_catalog_multiselect":
        return lambda data: [label(item) for item in data]
    return label


def attribute_reader(code: str, spec: dict[str, Any], ctx: ExportContext) -> Source:
    """Compile the reading of attribute `code` (locale chain, scope, typed data)."""
    info = ctx.attributes.get(code)
    if info is None:
        raise MappingError(f"attribute {code!r} does not exist")
    locales = locales_of(spec, ctx)
    scope = (spec.get("scope") or ctx.channel) if info.scopable else None
    read = typed_reader(info, spec, ctx, locales)
    if info.localizable:
        return described(_localized_reader(code, locales, scope, read),
                         AttributeRead(code, tuple(locales), scope,
                                       None if read is same else read))

    # `pick` inlined: this runs for every attribute field of every product
    def value(product: ResolvedProduct) -> Any:
        entries = product.values.get(code)
        if entries:
            for entry in entries:
                if entry["locale"] is None and entry["scope"] == scope:
                    data = entry["data"]
                    return None if data is None else read(data)
        return None

    def untyped(product: ResolvedProduct) -> Any:
        entries = product.values.get(code)
        if entries:
            for entry in entries:
                if entry["locale"] is None and entry["scope"] == scope:
                    return entry["data"]
        return None

    if read is same:
        return described(untyped, AttributeRead(code, None, scope, None))
    return described(value, AttributeRead(code, None, scope, read))


def _localized_reader(code: str, locales: list[str], scope: str | None,
                      read: Callable[[Any], Any]) -> Source:
    def value(product: ResolvedProduct) -> Any:
        entries = product.values.get(code)
        if entries:
            for locale in locales:
                for entry in entries:
                    if entry["locale"] == locale and entry["scope"] == scope:
                        data = entry["data"]
                        return None if data is None else read(data)
        return None

    return value


@source("attribute")
def _attribute(argument: Any, spec: dict[str, Any], ctx: ExportContext, target: str) -> Source:
    if not isinstance(argument, str):
        raise MappingError("attribute is an attribute code")
    return attribute_reader(argument, spec, ctx)


PROPERTIES: dict[str, Callable[[ResolvedProduct, ExportContext, list[str]], Any]] = {
    "identifier": lambda p, ctx, loc: p.identifier,
    "uuid": lambda p, ctx, loc: p.uuid,
    "family": lambda p, ctx, loc: p.family,
    "family_label": lambda p, ctx, loc: _family_label(p, ctx, loc),
    "parent": lambda p, ctx, loc: p.parent,
    "item_group": lambda p, ctx, loc: p.root,
    "categories": lambda p, ctx, loc: list(p.categories),
    "enabled": lambda p, ctx, loc: p.enabled,
    "status": lambda p, ctx, loc: p.status,
    "product_url": lambda p, ctx, loc: product_url(p, ctx),
}
DEFAULT_PRODUCT_URL = "{public_url}/products/{identifier}"
# properties that are an attribute of the resolved product as it is
PLAIN_PROPERTIES = {"identifier": "identifier", "uuid": "uuid", "family": "family",
                    "parent": "parent", "item_group": "root", "enabled": "enabled",
                    "status": "status"}


def product_url(product: ResolvedProduct, ctx: ExportContext) -> str:
    """The product's page: `settings["product_url"]`, a template of identifier and uuid."""
    template = ctx.settings.get("product_url") or DEFAULT_PRODUCT_URL
    return template.format(public_url=ctx.public_url, identifier=quote(product.identifier),
                            uuid=product.uuid)


def _family_label(product: ResolvedProduct, ctx: ExportContext, locales: list[str]) -> Any:
    labels = ctx.families.get(product.family or "", {})
    return next((labels[loc] for loc in locales if labels.get(loc)), product.family)


@source("property")
def _property(argument: Any, spec: dict[str, Any], ctx: ExportContext, target: str) -> Source:
    getter = PROPERTIES.get(argument) if isinstance(argument, str) else None
    if getter is None:
        known = ", ".join(sorted(PROPERTIES))
        raise MappingError(f"unknown property {argument!r} (known: {known})")
    locales = locales_of(spec, ctx)

    def read(product: ResolvedProduct) -> Any:
        return getter(product, ctx, locales)

    if argument in PLAIN_PROPERTIES:
        return described(read, PropertyRead(PLAIN_PROPERTIES[argument]))
    return read


@source("value")
def _value(argument: Any, spec: dict[str, Any], ctx: ExportContext, target: str) -> Source:
    if not isinstance(argument, str | int | bool):
        raise MappingError("value is a fixed text, number or yes/no")

    def fixed(product: ResolvedProduct) -> Any:
        return argument

    return described(fixed, FixedValue(argument))


@source("template")
def _template(argument: Any, spec: dict[str, Any], ctx: ExportContext, target: str) -> Source:
    """`{brand} {name} {size}`: attributes or properties, rendered as text."""
    if not isinstance(argument, str):
        raise MappingError("template is a text such as '{brand} {name}'")
    try:
        parts = list(string.Formatter().parse(argument))
    except ValueError as exc:
        raise MappingError(f"template {argument!r} is not valid: {exc}") from None
    pieces: list[tuple[str, Source | None]] = []
    for literal, name, _spec, _conv in parts:
        reader = None
        if name is not None:
            reader = _placeholder(name, spec, ctx, target)
        pieces.append((literal, reader))

    def render(product: ResolvedProduct) -> str | None:
        texts, filled = [], False
        for literal, reader in pieces:
            texts.append(literal)
            if reader is not None:
                text = as_text(reader(product))
                filled = filled or bool(text)
                texts.append(text)
        if not filled:
            return None
        text = "".join(texts)
        # printable text without double spaces has no run of spaces to collapse
        if not text.isprintable() or "  " in text:
            text = SPACES.sub(" ", text)
        return text.strip()

    return described(render, Template(tuple(pieces)))


def _placeholder(name: str, spec: dict[str, Any], ctx: ExportContext, target: str) -> Source:
    if not name:
        raise MappingError("a template placeholder needs a name, e.g. {name}")
    if name in PROPERTIES:
        return _property(name, spec, ctx, target)
    if name in ctx.attributes:
        return attribute_reader(name, spec, ctx)
    raise MappingError(f"template placeholder {{{name}}} is neither an attribute nor a property")


@source("taxonomy")
def _taxonomy(argument: Any, spec: dict[str, Any], ctx: ExportContext, target: str) -> Source:
    """The channel's taxonomy id of the product's most specific mapped category."""
    table = ctx.settings.get("taxonomy") or {}
    if not isinstance(table, dict):
        raise MappingError('settings "taxonomy" maps category codes to taxonomy ids')
    unknown = sorted(code for code in table if code not in ctx.categories)
    if unknown:
        raise MappingError(f"taxonomy table names unknown categories: {', '.join(unknown)}")

    def lookup(categories: tuple[str, ...]) -> str | None:
        for code in sorted(categories, key=lambda c: -_depth(ctx, c)):
            for step in reversed(ctx.category_path(code) or [code]):
                if step in table:
                    return str(table[step])
        return None

    return _by_categories(lookup)


def _by_categories(compute: Callable[[tuple[str, ...]], Any]) -> Source:
    """A source depending on a product's categories alone, worked out once per placement."""
    known: dict[tuple[str, ...], Any] = {}

    def value(product: ResolvedProduct) -> Any:
        categories = product.categories
        if categories in known:
            return known[categories]
        if len(known) >= PLACEMENT_CACHE:
            known.clear()
        found = known[categories] = compute(categories)
        return found

    return value


def _depth(ctx: ExportContext, code: str) -> int:
    info = ctx.categories.get(code)
    return info.depth if info else 0


@source("category_path")
def _category_path(argument: Any, spec: dict[str, Any], ctx: ExportContext, target: str
                   ) -> Source:
    """Labels from the tree down to the product's most specific category: "Apparel > Tops"."""
    separator = argument if isinstance(argument, str) else " > "
    locales = locales_of(spec, ctx)

    def path(categories: tuple[str, ...]) -> str | None:
        deepest = ctx.deepest_of(categories)
        if deepest is None:
            return None
        return separator.join(ctx.category_label(c, locales) for c in ctx.category_path(deepest))

    return _by_categories(path)


def _check_preset(preset: Any) -> None:
    from assets.renditions.spec import parse_spec
    from pim.errors import ValidationError

    if not isinstance(preset, str):
        raise MappingError(f"an image preset is a rendition spec text, got {preset!r}")
    try:
        parse_spec(preset)
    except ValidationError as exc:
        raise MappingError(exc.message) from None


@source("images")
def _images(argument: Any, spec: dict[str, Any], ctx: ExportContext, target: str) -> Source:
    """Images of an asset collection through the field's rendition preset."""
    info = ctx.attributes.get(argument) if isinstance(argument, str) else None
    if info is None or info.type != "pim_catalog_asset_collection":
        raise MappingError(f"images needs an asset collection attribute, got {argument!r}")
    preset = spec.get("preset") or (ctx.settings.get("image_presets") or {}).get(target)
    if preset is not None:
        _check_preset(preset)
    start = spec.get("index", spec.get("from", 0))
    stop = start + 1 if "index" in spec else start + spec.get("limit", 1000)
    codes = attribute_reader(argument, {**spec, "label": False}, ctx)

    def chosen(found: Any) -> Any:
        return ctx.images.images(list(found)[start:stop], preset)

    def images(product: ResolvedProduct) -> Any:
        found = codes(product)
        if is_empty(found):
            return None
        return chosen(found)

    return described(images, Then(codes, chosen))
