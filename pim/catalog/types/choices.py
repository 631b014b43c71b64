"""Yes/no and option values."""

from __future__ import annotations

from typing import Any

from pim.catalog.types.base import AttributeType, Problem, TypeContext, attribute_type, check_text


@attribute_type
class BooleanType(AttributeType):
    code = "pim_catalog_boolean"
    label = "Yes/No"

    def parse(self, data: Any, attribute: Any, ctx: TypeContext) -> bool | None:
        if data is None:
            return None
        if not isinstance(data, bool):
            raise Problem(f"a yes/no value must be true or false, got {data!r}")
        return data

    def is_empty(self, data: Any) -> bool:
        return data is None

    def format(self, data: Any, locale: str | None = None) -> str:
        return "" if data is None else ("yes" if data else "no")


def _option(code: Any, attribute: Any, ctx: TypeContext) -> str:
    check_text(code, what="option code")
    options = ctx.options(attribute)
    found = options.get(code.lower())
    if found is None:
        raise Problem(f"option {code!r} does not exist for attribute {attribute.code}")
    return found


class _OptionLabels:
    def search_text(self, data: Any, attribute: Any, labels: dict[str, Any]) -> str:
        codes = data if isinstance(data, list) else [data]
        words = []
        for code in codes:
            words.append(code)
            words.extend(str(v) for v in (labels.get(code) or {}).values() if v)
        return " ".join(words)


@attribute_type
class SimpleSelectType(_OptionLabels, AttributeType):
    code = "pim_catalog_simpleselect"
    label = "Simple select"
    properties = ("auto_option_sorting",)

    def parse(self, data: Any, attribute: Any, ctx: TypeContext) -> str | None:
        if data in (None, ""):
            return None
        return _option(data, attribute, ctx)


@attribute_type
class MultiSelectType(_OptionLabels, AttributeType):
    code = "pim_catalog_multiselect"
    label = "Multi select"
    properties = ("auto_option_sorting",)

    def parse(self, data: Any, attribute: Any, ctx: TypeContext) -> list[str] | None:
        if data is None:
            return None
        if not isinstance(data, list):
            raise Problem(f"a multi select value is a list of option codes, got {data!r}")
        codes: list[str] = []
        for item in data:
            code = _option(item, attribute, ctx)
            if code in codes:
                raise Problem(f"option {code!r} is given twice")
            codes.append(code)
        return codes or None
