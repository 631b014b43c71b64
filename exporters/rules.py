"""Target fields and their rules: what a channel accepts, checked on every record."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from stdnum import ean

from exporters.values import Image, Measure, Price, as_text, canonical, is_empty

KINDS = ("text", "url", "enum", "gtin", "date", "datetime", "price", "measure", "integer",
         "number", "bool", "list", "image", "images")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:?\d{2})$")
URL = re.compile(r"^https?://[^\s/?#@]+(?:[/?#]\S*)?$", re.IGNORECASE)
# characters XML 1.0 cannot carry; CSV readers choke on NUL too
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Field:
    """One field of a channel's record and the rules its value must follow."""

    name: str
    kind: str = "text"
    required: bool = False
    max_length: int | None = None
    enum: tuple[str, ...] | None = None
    max_items: int | None = None
    min_image: tuple[int, int] | None = None
    positive: bool = False
    # what the field means across channels, for the consistency report
    role: str | None = None
    help: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"field {self.name}: unknown kind {self.kind!r}")


@dataclass(frozen=True)
class Problem:
    """Why a record cannot go to a channel: which field, which rule, which value."""

    field: str
    rule: str
    message: str
    value: Any = None

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "rule": self.rule, "message": self.message,
                "value": short(self.value)}


def short(value: Any, limit: int = 200) -> Any:
    """Keep a reported value small and JSON-friendly."""
    value = canonical(value)
    if isinstance(value, str) and len(value) > limit:
        return value[:limit] + "…"
    if isinstance(value, list) and len(value) > 12:
        return [*value[:12], f"… {len(value) - 12} more"]
    return value


def clean_text(text: str) -> str:
    """Drop characters no XML document may hold."""
    # every character NOT_XML matches is unprintable: printable text needs no search
    return text if text.isprintable() else NOT_XML.sub("", text)


def render(field: Field, value: Any) -> Any:
    """Shape a mapped value for `field`: text becomes clean text, lists stay lists."""
    if is_empty(value):
        return None
    return RENDERERS[field.kind](value)


def text_value(value: Any) -> str | None:
    """A value as clean, stripped text; None when nothing is left (renders text kinds)."""
    text = value if type(value) is str else as_text(value)
    if not text.isprintable():  # clean_text inlined
        text = NOT_XML.sub("", text)
    return text.strip() or None


def as_is(value: Any) -> Any:
    """A value that needs no shaping (prices, measures, yes/no)."""
    return value


def _items(value: Any) -> list[Any]:
    return [item for item in (value if isinstance(value, list | tuple) else [value])
            if not is_empty(item)]


def _text_list(value: Any) -> list[str] | None:
    return [clean_text(as_text(item)) for item in _items(value)] or None


def _one_image(value: Any) -> Image | None:
    if type(value) is str:  # a URL from a template or an attribute
        return _image(value) if value else None
    images = _items(value)
    return _image(images[0]) if images else None


def _image_list(value: Any) -> list[Image] | None:
    return [_image(item) for item in _items(value)] or None


def _image(item: Any) -> Image:
    """An image as mapped, or a URL given by a template or a URL attribute."""
    if isinstance(item, Image):
        return item
    return Image(clean_text(item if type(item) is str else as_text(item)).strip())


def _to_number(value: Any, kind: str = "number") -> Any:
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        return value
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError:
        return value
    if kind == "integer" and number == number.to_integral_value():
        return int(number)
    return number


RENDERERS = {
    "text": text_value, "url": text_value, "enum": text_value, "gtin": text_value,
    "date": text_value, "datetime": text_value, "price": as_is, "measure": as_is, "bool": as_is,
    "integer": lambda v: _to_number(v, "integer"), "number": _to_number, "list": _text_list,
    "image": _one_image, "images": _image_list,
}


Checker = Callable[[Any], "list[Problem] | tuple[()]"]


def checker_for(field: Field) -> Checker | None:
    """The cheapest function checking a rendered, non-empty value of `field`."""
    if field.kind == "text" and not (field.max_length or field.enum or field.max_items):
        return None
    if field.kind in ("text", "enum") and field.max_items is None:
        limit, allowed, name = field.max_length, field.enum, field.name

        def scalar_text(value: Any) -> list[Problem] | tuple[()]:
            if type(value) is not str:
                return check(field, value)
            if limit is not None and len(value) > limit:
                return [Problem(name, "max_length",
                                f"{len(value)} characters, at most {limit}", value)]
            if allowed is not None and value not in allowed:
                return [Problem(name, "enum",
                                f"{value!r} is not one of {', '.join(allowed)}", value)]
            return ()

        return scalar_text
    return _field_checker(field)


def _field_checker(field: Field) -> Checker:
    """`check` for one field, with what depends on the field alone worked out once."""
    kind_check = CHECKS.get(field.kind)
    max_items = field.max_items
    per_item = (field.max_length is not None or field.enum is not None
                or field.min_image is not None)

    def checked(value: Any) -> list[Problem] | tuple[()]:
        if is_empty(value):
            return check(field, value)
        problems = kind_check(field, value) if kind_check is not None else []
        if max_items is not None and isinstance(value, list) and len(value) > max_items:
            problems.append(Problem(field.name, "max_items",
                                    f"{len(value)} values, at most {max_items}", value))
        if per_item:
            for item in value if isinstance(value, list) else (value,):
                problems.extend(_item_checks(field, item))
        return problems

    return checked


def check(field: Field, value: Any) -> list[Problem]:
    """Return the problems of one rendered value against its field's rules."""
    if is_empty(value):
        if field.required:
            return [Problem(field.name, "required", f"{field.name} is required")]
        return []
    checker = CHECKS.get(field.kind)
    problems = checker(field, value) if checker else []
    if field.max_items is not None and isinstance(value, list) and len(value) > field.max_items:
        problems.append(Problem(field.name, "max_items",
                                f"{len(value)} values, at most {field.max_items}", value))
    for item in value if isinstance(value, list) else [value]:
        problems.extend(_item_checks(field, item))
    return problems


def _item_checks(field: Field, item: Any) -> list[Problem]:
    problems = []
    if field.max_length is not None and isinstance(item, str) and len(item) > field.max_length:
        problems.append(Problem(field.name, "max_length",
                                f"{len(item)} characters, at most {field.max_length}", item))
    if field.enum is not None and isinstance(item, str) and item not in field.enum:
        problems.append(Problem(field.name, "enum",
                                f"{item!r} is not one of {', '.join(field.enum)}", item))
    if field.min_image is not None and isinstance(item, Image):
        problems.extend(_image_size(field, item))
    return problems


def _image_size(field: Field, image: Image) -> list[Problem]:
    width, height = field.min_image or (0, 0)
    if image.width is None or image.height is None:
        return []
    if image.width < width or image.height < height:
        return [Problem(field.name, "min_image_size",
                        f"image is {image.width}x{image.height} pixels, at least "
                        f"{width}x{height} needed", image.url)]
    return []


def is_url(text: str) -> bool:
    """Tell whether `text` is an absolute http(s) URL without spaces."""
    return URL.match(text) is not None


def valid_gtin(text: str) -> bool:
    """Tell whether `text` is a GTIN-8, -12, -13 or -14 with a correct check digit."""
    return text.isdigit() and len(text) in (8, 12, 13, 14) and ean.is_valid(text)


def _url(field: Field, value: Any) -> list[Problem]:
    if isinstance(value, str) and not is_url(value):
        return [Problem(field.name, "url", "not an absolute http(s) URL", value)]
    return []


def _images(field: Field, value: Any) -> list[Problem]:
    images = value if isinstance(value, list) else [value]
    return [Problem(field.name, "url", "not an absolute http(s) URL", image.url)
            for image in images if not is_url(image.url)]


def _gtin(field: Field, value: Any) -> list[Problem]:
    if not valid_gtin(value):
        return [Problem(field.name, "gtin",
                        "not a GTIN (8, 12, 13 or 14 digits with a valid check digit)", value)]
    return []


def _date(field: Field, value: Any) -> list[Problem]:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return [Problem(field.name, "date", "not a date (YYYY-MM-DD)", value)]
    return []


def _datetime(field: Field, value: Any) -> list[Problem]:
    if not DATETIME.match(value):
        return [Problem(field.name, "datetime",
                        "not an ISO 8601 date and time with a zone (YYYY-MM-DDThh:mmZ)", value)]
    return []


def _price(field: Field, value: Any) -> list[Problem]:
    if not isinstance(value, Price):
        return [Problem(field.name, "price", "not a price with a currency", value)]
    if value.amount < 0 or (field.positive and value.amount == 0):
        rule = "greater than 0" if field.positive else "0 or more"
        return [Problem(field.name, "price", f"price must be {rule}", value)]
    return []


def _measure(field: Field, value: Any) -> list[Problem]:
    if not isinstance(value, Measure):
        return [Problem(field.name, "measure", "not a measurement with a unit", value)]
    if value.amount < 0:
        return [Problem(field.name, "measure", "a measurement cannot be negative", value)]
    return []


def _number(field: Field, value: Any) -> list[Problem]:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return [Problem(field.name, "number", "not a number", value)]
    if field.kind == "integer" and not isinstance(value, int) and value != int(value):
        return [Problem(field.name, "integer", "not a whole number", value)]
    if field.positive and value < 0:
        return [Problem(field.name, "number", "cannot be negative", value)]
    return []


def _bool(field: Field, value: Any) -> list[Problem]:
    if not isinstance(value, bool):
        return [Problem(field.name, "bool", "not a yes/no value", value)]
    return []


CHECKS = {"url": _url, "image": _images, "images": _images, "gtin": _gtin, "date": _date,
          "datetime": _datetime, "price": _price, "measure": _measure, "integer": _number,
          "number": _number, "bool": _bool}
