"""Date values, stored as ISO dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pim.catalog.types.base import AttributeType, Problem, TypeContext, attribute_type


def parse_date(value: Any, what: str = "date") -> dt.date:
    """Read `YYYY-MM-DD` or an ISO date-time into a date."""
    if not isinstance(value, str):
        raise Problem(f"{what} must be a YYYY-MM-DD string, got {value!r}")
    text = value.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        raise Problem(f"{what} {value!r} is not a date (YYYY-MM-DD)") from None


@attribute_type
class DateType(AttributeType):
    code = "pim_catalog_date"
    label = "Date"
    properties = ("date_min", "date_max")

    def parse(self, data: Any, attribute: Any, ctx: TypeContext) -> str | None:
        if data in (None, ""):
            return None
        day = parse_date(data)
        low, high = attribute.prop("date_min"), attribute.prop("date_max")
        if low and day < parse_date(low, "date_min"):
            raise Problem(f"date {day} is before {low}")
        if high and day > parse_date(high, "date_max"):
            raise Problem(f"date {day} is after {high}")
        return day.isoformat()
