"""Price collections: one amount per currency, as decimal strings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pim.catalog.types.base import AttributeType, Problem, TypeContext, attribute_type
from pim.catalog.types.numbers import check_number, to_decimal


@attribute_type
class PriceCollectionType(AttributeType):
    code = "pim_catalog_price_collection"
    label = "Price"
    properties = ("decimals_allowed", "number_min", "number_max", "negative_allowed")

    def parse(self, data: Any, attribute: Any, ctx: TypeContext) -> list[dict[str, str]] | None:
        if data is None:
            return None
        if not isinstance(data, list):
            raise Problem('prices are a list of {"amount": "9.99", "currency": "EUR"}')
        prices: dict[str, str] = {}
        for item in data:
            currency, amount = self._parse_one(item, attribute, ctx)
            if currency in prices:
                raise Problem(f"currency {currency} is given twice")
            if amount is not None:
                prices[currency] = amount
        return [{"amount": prices[c], "currency": c} for c in sorted(prices)] or None

    def _parse_one(self, item: Any, attribute: Any, ctx: TypeContext) -> tuple[str, str | None]:
        if not isinstance(item, dict) or set(item) != {"amount", "currency"}:
            raise Problem(f'a price is {{"amount": ..., "currency": ...}}, got {item!r}')
        currency = item["currency"]
        if not isinstance(currency, str) or currency not in ctx.currencies:
            raise Problem(f"currency {currency!r} is not an enabled currency")
        if item["amount"] in (None, ""):
            return currency, None
        amount = to_decimal(item["amount"], f"{currency} amount")
        check_number(amount, _PriceRules(attribute), f"{currency} amount")
        places = 2 if attribute.prop("decimals_allowed", True) else 0
        return currency, str(amount.quantize(Decimal(1).scaleb(-places)))

    def is_complete(self, data: Any, currencies: list[str]) -> bool:
        given = {p["currency"] for p in data or []}
        return bool(data) and all(c in given for c in currencies)

    def format(self, data: Any, locale: str | None = None) -> str:
        return ", ".join(f"{p['amount']} {p['currency']}" for p in data or [])


class _PriceRules:
    """Price rules: decimals allowed unless said otherwise; never negative by default."""

    def __init__(self, attribute: Any) -> None:
        self.attribute = attribute

    def prop(self, name: str, default: Any = None) -> Any:
        defaults = {"decimals_allowed": True, "negative_allowed": False}
        return self.attribute.prop(name, defaults.get(name, default))
