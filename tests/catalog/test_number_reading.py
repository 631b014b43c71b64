"""Numbers read by a parser made once per attribute: the same answers, refusals say what."""

import pytest

from pim.catalog.types import Problem, TypeContext, numbers, type_for


class Rules:
    def __init__(self, **properties):
        self.code = "x"
        self.properties = properties

    def prop(self, name, default=None):
        value = self.properties.get(name)
        return default if value is None else value


CTX = TypeContext(currencies=frozenset({"EUR", "USD"}))


def test_a_parser_answers_the_same_text_the_same_and_refuses_each_bad_one():
    parse = type_for("pim_catalog_number").parser(Rules(negative_allowed=False), CTX)
    assert [parse("12"), parse("12"), parse(12), parse("0012")] == [12, 12, 12, 12]
    for bad, message in [("-3", "number -3 cannot be negative"), ("1.5", "must be a whole"),
                         ("-3", "number -3 cannot be negative"), (True, "must be a number")]:
        with pytest.raises(Problem, match=message):
            parse(bad)


def test_a_price_refusal_names_the_amount_given(monkeypatch):
    parse = type_for("pim_catalog_price_collection").parser(Rules(), CTX)
    assert parse([{"amount": "1.5", "currency": "EUR"}]) == [
        {"amount": "1.50", "currency": "EUR"}]
    for amount in ("1" * 29, "2" * 29):
        with pytest.raises(Problem, match=f"EUR amount '{amount}' has too many digits"):
            parse([{"amount": amount, "currency": "EUR"}])


def test_a_full_memory_of_numbers_starts_again(monkeypatch):
    monkeypatch.setattr(numbers, "MEMO_SIZE", 3)
    parse = type_for("pim_catalog_metric").parser(
        Rules(metric_family="Weight", default_metric_unit="GRAM", decimals_allowed=True), CTX)
    found = [parse({"amount": f"{n}.50", "unit": "GRAM"})["amount"] for n in range(10)]
    assert found == [f"{n}.5" for n in range(10)]
    again = parse({"amount": "3.50", "unit": None})
    assert again == {"amount": "3.5", "unit": "GRAM"}
    assert again is not parse({"amount": "3.50", "unit": None})  # a new value each time
