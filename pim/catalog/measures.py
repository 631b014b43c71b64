"""Metric families and their units, with conversion through each family's standard unit."""

from __future__ import annotations

from decimal import Decimal

from pim.catalog.types.base import Problem

# family -> (standard unit, {unit: factor to the standard unit})
MEASURES: dict[str, tuple[str, dict[str, Decimal]]] = {
    "Length": ("METER", {
        "MILLIMETER": Decimal("0.001"), "CENTIMETER": Decimal("0.01"),
        "DECIMETER": Decimal("0.1"), "METER": Decimal("1"), "KILOMETER": Decimal("1000"),
        "INCH": Decimal("0.0254"), "FEET": Decimal("0.3048"), "YARD": Decimal("0.9144"),
        "MILE": Decimal("1609.344"),
    }),
    "Weight": ("KILOGRAM", {
        "MILLIGRAM": Decimal("0.000001"), "GRAM": Decimal("0.001"), "KILOGRAM": Decimal("1"),
        "TON": Decimal("1000"), "OUNCE": Decimal("0.028349523125"),
        "POUND": Decimal("0.45359237"),
    }),
    "Volume": ("CUBIC_METER", {
        "MILLILITER": Decimal("0.000001"), "CENTILITER": Decimal("0.00001"),
        "LITER": Decimal("0.001"), "CUBIC_CENTIMETER": Decimal("0.000001"),
        "CUBIC_METER": Decimal("1"), "GALLON": Decimal("0.003785411784"),
        "OUNCE": Decimal("0.0000295735295625"),
    }),
    "Area": ("SQUARE_METER", {
        "SQUARE_MILLIMETER": Decimal("0.000001"), "SQUARE_CENTIMETER": Decimal("0.0001"),
        "SQUARE_METER": Decimal("1"), "SQUARE_INCH": Decimal("0.00064516"),
        "SQUARE_FOOT": Decimal("0.09290304"),
    }),
    "Frequency": ("HERTZ", {
        "HERTZ": Decimal("1"), "KILOHERTZ": Decimal("1000"), "MEGAHERTZ": Decimal("1000000"),
        "GIGAHERTZ": Decimal("1000000000"),
    }),
    "Power": ("WATT", {
        "MILLIWATT": Decimal("0.001"), "WATT": Decimal("1"), "KILOWATT": Decimal("1000"),
    }),
    "Voltage": ("VOLT", {"MILLIVOLT": Decimal("0.001"), "VOLT": Decimal("1"),
                         "KILOVOLT": Decimal("1000")}),
    "Duration": ("SECOND", {
        "MILLISECOND": Decimal("0.001"), "SECOND": Decimal("1"), "MINUTE": Decimal("60"),
        "HOUR": Decimal("3600"), "DAY": Decimal("86400"),
    }),
    "Binary": ("BYTE", {
        "BIT": Decimal("0.125"), "BYTE": Decimal("1"), "KILOBYTE": Decimal("1024"),
        "MEGABYTE": Decimal("1048576"), "GIGABYTE": Decimal("1073741824"),
        "TERABYTE": Decimal("1099511627776"),
    }),
    "ElectricCharge": ("AMPEREHOUR", {
        "MILLIAMPEREHOUR": Decimal("0.001"), "AMPEREHOUR": Decimal("1"),
    }),
    "Temperature": ("KELVIN", {"CELSIUS": Decimal("1"), "FAHRENHEIT": Decimal("1"),
                               "KELVIN": Decimal("1")}),
}


def units_of(family: str) -> dict[str, Decimal]:
    """Return the units of a metric family, or raise Problem."""
    try:
        return MEASURES[family][1]
    except KeyError:
        raise Problem(f"unknown metric family {family!r}") from None


def convert(amount: Decimal, unit: str, target: str, family: str) -> Decimal:
    """Convert `amount` from `unit` to `target` within `family`."""
    units = units_of(family)
    for code in (unit, target):
        if code not in units:
            raise Problem(f"unit {code!r} is not in metric family {family}")
    if family == "Temperature":
        return _from_kelvin(_to_kelvin(amount, unit), target)
    return amount * units[unit] / units[target]


def _to_kelvin(amount: Decimal, unit: str) -> Decimal:
    if unit == "CELSIUS":
        return amount + Decimal("273.15")
    if unit == "FAHRENHEIT":
        return (amount - 32) * 5 / 9 + Decimal("273.15")
    return amount


def _from_kelvin(amount: Decimal, unit: str) -> Decimal:
    if unit == "CELSIUS":
        return amount - Decimal("273.15")
    if unit == "FAHRENHEIT":
        return (amount - Decimal("273.15")) * 9 / 5 + 32
    return amount
