"""Price collections: one amount per currency, as decimal strings."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from pim.catalog.types.base import AttributeType, Problem, TypeContext, attribute_type
from pim.catalog.types.numbers import NumberRules, number_reader

PRICE_KEYS = frozenset({"amount", "currency"})


@attribute_type
class PriceCollectionType(AttributeType):
    code = "pim_catalog_price_collection"
    label = "Price"
    properties = ("decimals_allowed", "number_min", "number_max", "negative_allowed")

    def parser(self, attribute: Any, ctx: TypeContext) -> Callable[[Any], Any]:
        # prices: decimals allowed unless said otherwise; never negative by default
        rules = NumberRules(attribute, decimals=True, negative=False)
        places = 2 if attribute.prop("decimals_allowed", True) else 0
        quantum = Decimal(1).scaleb(-places)
        currencies = ctx.currencies
        readers: dict[str, Callable[[Any], Any]] = {}

        def cents(currency: str, amount: Any) -> str:
            read = readers.get(currency)
            if read is None:
                what = f"{currency} amount"

                def finish(number: Decimal, given: Any) -> str:
                    try:
                        return str(number.quantize(quantum))
                    except InvalidOperation:  # more digits than a decimal holds with cents
                        raise Problem(f"{what} {given!r} has too many digits") from None

                read = readers[currency] = number_reader(rules, what, finish)
            return read(amount)

        def amount_of(item: Any) -> tuple[str, str | None]:
            if not isinstance(item, dict) or item.keys() != PRICE_KEYS:
                raise Problem(f'a price is {{"amount": ..., "currency": ...}}, got {item!r}')
            currency = item["currency"]
            if not isinstance(currency, str) or currency not in currencies:
                raise Problem(f"currency {currency!r} is not an enabled currency")
            if item["amount"] in (None, ""):
                return currency, None
            return currency, cents(currency, item["amount"])

        def parse(data: Any) -> list[dict[str, str]] | None:
            if data is None:
                return None
            if not isinstance(data, list):
                raise Problem('prices are a list of {"amount": "9.99", "currency": "EUR"}')
            prices: dict[str, str] = {}
            for item in data:
                currency, amount = amount_of(item)
                if currency in prices:
                    raise Problem(f"currency {currency} is given twice")
                if amount is not None:
                    prices[currency] = amount
            return [{"amount": prices[c], "currency": c} for c in sorted(prices)] or None

        return parse

    def is_complete(self, data: Any, currencies: list[str]) -> bool:
        given = {p["currency"] for p in data or []}
        return bool(data) and all(c in given for c in currencies)

    def format(self, data: Any, locale: str | None = None) -> str:
        return ", ".join(f"{p['amount']} {p['currency']}" for p in data or [])
