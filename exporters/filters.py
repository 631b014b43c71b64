"""Which products a channel receives: `settings["filters"]`, checked before any read.

`{"categories": [...], "families": [...], "enabled": true,
  "min_completeness": 100, "completeness_locales": ["en_US"]}`; every key is optional.
By default only enabled products go out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from exporters.context import ExportContext
from pim.catalog.reading import ProductQuery, ResolvedProduct
from pim.errors import FieldError, ValidationError

KEYS = {"categories", "families", "enabled", "min_completeness", "completeness_locales"}


@dataclass(frozen=True)
class ChannelFilter:
    """The products of a channel: a query for the database and the checks it cannot do."""

    channel: str
    categories: frozenset[str] | None
    families: tuple[str, ...] | None
    enabled: bool | None
    min_completeness: int | None
    completeness_locales: tuple[str, ...]

    def query(self, *, grouped: bool = False) -> ProductQuery:
        """The database side of the filter."""
        return ProductQuery(
            families=self.families, enabled=self.enabled, grouped=grouped,
            channels=(self.channel,) if self.min_completeness is not None else (),
        )

    def excluded(self, product: ResolvedProduct) -> str | None:
        """Say why `product` does not go to the channel, or None when it does."""
        if self.enabled is not None and product.enabled != self.enabled:
            return "the product is disabled" if self.enabled else "the product is enabled"
        if self.families is not None and product.family not in self.families:
            return f"family {product.family!r} is not exported to this channel"
        if self.categories is not None and not self.categories & product.ancestors:
            return "the product is in none of the channel's categories"
        if self.min_completeness is not None:
            for locale in self.completeness_locales:
                ratio = product.ratio(self.channel, locale) or 0
                if ratio < self.min_completeness:
                    return (f"completeness {ratio}% in {locale} is below the "
                            f"{self.min_completeness}% the channel asks")
        return None


def channel_filter(ctx: ExportContext) -> ChannelFilter:
    """Read and check the channel's filters, listing every problem at once."""
    raw = ctx.settings.get("filters") or {}
    errors: list[FieldError] = []
    if not isinstance(raw, dict):
        raise ValidationError([FieldError("settings.filters", "filters is an object")])
    for key in sorted(set(raw) - KEYS):
        errors.append(FieldError(f"settings.filters.{key}",
                                 f"unknown filter {key!r} (known: {', '.join(sorted(KEYS))})"))
    categories = _codes(raw, "categories", errors)
    for code in categories or ():
        if code not in ctx.categories:
            errors.append(FieldError("settings.filters.categories",
                                     f"category {code!r} does not exist"))
    families = _codes(raw, "families", errors)
    for code in families or ():
        if code not in ctx.families:
            errors.append(FieldError("settings.filters.families",
                                     f"family {code!r} does not exist"))
    enabled = raw.get("enabled", True)
    if enabled is not None and not isinstance(enabled, bool):
        errors.append(FieldError("settings.filters.enabled", "enabled is true, false or null"))
    ratio = _ratio(raw.get("min_completeness"), errors)
    locales = _codes(raw, "completeness_locales", errors) or (ctx.locale,)
    if errors:
        raise ValidationError(errors, f"The filters of channel {ctx.channel!r} are not valid: "
                                      + "; ".join(e.message for e in errors))
    return ChannelFilter(ctx.channel, frozenset(categories) if categories else None,
                         families, enabled, ratio, tuple(locales))


def _codes(raw: dict[str, Any], key: str, errors: list[FieldError]) -> tuple[str, ...] | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.append(FieldError(f"settings.filters.{key}", f"{key} is a list of codes"))
        return None
    return tuple(value)


def _ratio(value: Any, errors: list[FieldError]) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        errors.append(FieldError("settings.filters.min_completeness",
                                 "min_completeness is a percentage from 0 to 100"))
        return None
    return value
