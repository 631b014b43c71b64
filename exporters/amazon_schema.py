"""Check Amazon listings feeds: the feed envelope and each message against its product type.

Product type definitions are JSON Schema 2019-09 under Amazon's own meta-schema, which adds
keywords: `maxUtf8ByteLength` / `minUtf8ByteLength` (string length in UTF-8 bytes),
`maxUniqueItems` / `minUniqueItems` with `selectors` (how many distinct items may share the
same selector values), and annotations (`editable`, `hidden`, `enumNames`, `$lifecycle`)
that do not validate anything. The validator below implements the former and knows the
latter, so nothing in a definition is silently misread.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator, Draft201909Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError as SchemaError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT201909

ANNOTATIONS = ("editable", "hidden", "enumNames", "$lifecycle")


def _utf8_max(validator: Any, limit: int, instance: Any, schema: dict) -> Iterator[SchemaError]:
    if isinstance(instance, str) and len(instance.encode("utf-8")) > limit:
        yield SchemaError(f"{instance[:40]!r}... is {len(instance.encode('utf-8'))} UTF-8 "
                          f"bytes, more than {limit}")


def _utf8_min(validator: Any, limit: int, instance: Any, schema: dict) -> Iterator[SchemaError]:
    if isinstance(instance, str) and len(instance.encode("utf-8")) < limit:
        yield SchemaError(f"{instance!r} is fewer than {limit} UTF-8 bytes")


def _groups(instance: list[Any], selectors: list[str]) -> dict[str, set[str]]:
    """Distinct items of an array, grouped by the values of their selector properties."""
    groups: dict[str, set[str]] = {}
    for item in instance:
        if not isinstance(item, dict):
            continue
        key = json.dumps([item.get(name) for name in selectors], sort_keys=True)
        groups.setdefault(key, set()).add(json.dumps(item, sort_keys=True))
    return groups


def _unique_max(validator: Any, limit: int, instance: Any, schema: dict
                ) -> Iterator[SchemaError]:
    if not isinstance(instance, list):
        return
    for key, items in _groups(instance, schema.get("selectors", [])).items():
        if len(items) > limit:
            yield SchemaError(f"{len(items)} distinct items share the selector values {key}; "
                              f"at most {limit} may")


def _unique_min(validator: Any, limit: int, instance: Any, schema: dict
                ) -> Iterator[SchemaError]:
    if not isinstance(instance, list) or not instance:
        return
    for key, items in _groups(instance, schema.get("selectors", [])).items():
        if len(items) < limit:
            yield SchemaError(f"only {len(items)} distinct items share the selector values "
                              f"{key}; at least {limit} must")


def _annotation(validator: Any, value: Any, instance: Any, schema: dict) -> Iterator[SchemaError]:
    return iter(())


AmazonProductTypeValidator = validators.extend(
    Draft201909Validator,
    {"maxUtf8ByteLength": _utf8_max, "minUtf8ByteLength": _utf8_min,
     "maxUniqueItems": _unique_max, "minUniqueItems": _unique_min,
     **{name: _annotation for name in ANNOTATIONS}},
)


def product_type_validator(definition: dict[str, Any], meta_schema: dict[str, Any]) -> Any:
    """Return a validator of listing attributes for one product type definition."""
    meta = Resource.from_contents(meta_schema, default_specification=DRAFT201909)
    registry = Registry().with_resource(meta_schema["$id"], meta)
    errors = sorted(Draft201909Validator(meta_schema, registry=registry).iter_errors(
        definition), key=str)
    if errors:
        raise SchemaError(f"the product type definition breaks Amazon's meta-schema: "
                          f"{errors[0].message}")
    return AmazonProductTypeValidator(definition, registry=registry,
                                      format_checker=FormatChecker())


def feed_problems(document: dict[str, Any], feed_schema: dict[str, Any],
                  product_types: dict[str, Any]) -> list[str]:
    """List what breaks the feed schema, or a message's product type; empty when valid."""
    problems = [f"feed: {e.json_path}: {e.message}"
                for e in Draft7Validator(feed_schema).iter_errors(document)]
    for message in document.get("messages", []):
        attributes = message.get("attributes")
        if attributes is None:
            continue
        checker = product_types.get(message.get("productType"))
        if checker is None:
            problems.append(f"message {message.get('messageId')}: no definition of product "
                            f"type {message.get('productType')!r}")
            continue
        problems.extend(f"message {message.get('messageId')} ({message.get('sku')}): "
                        f"{e.json_path}: {e.message}" for e in checker.iter_errors(attributes))
    return problems


def load_json(path: Path) -> dict[str, Any]:
    """Read a JSON file."""
    return json.loads(path.read_text(encoding="utf-8"))
