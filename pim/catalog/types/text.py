"""Identifier, text, rich text and URL values."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import nh3

from pim.catalog.types.base import AttributeType, Problem, TypeContext, attribute_type, check_text

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TAG = re.compile(r"<[^>]*>")
SPACE = re.compile(r"\s")  # what str.isspace() calls a space, anywhere


def _rule_of(attribute: Any) -> Callable[[str], None] | None:
    """Return the check of an attribute's validation rule, if it has one."""
    rule = attribute.prop("validation_rule")
    if rule == "email":
        return _check_email
    if rule == "url":
        return _check_url
    pattern = (attribute.prop("validation_regexp") or "") if rule == "regexp" else ""
    if not pattern:
        return None
    expression = _python_regexp(pattern)

    def check(value: str) -> None:
        if not re.search(expression, value):
            raise Problem(f"value does not match the pattern {pattern}")

    return check


def _check_email(value: str) -> None:
    if not EMAIL.match(value):
        raise Problem(f"{value!r} is not an e-mail address")


def _python_regexp(pattern: str) -> str:
    # Akeneo stores PHP-style /.../flags patterns
    if len(pattern) > 1 and pattern[0] == "/" and pattern.rfind("/") > 0:
        return pattern[1 : pattern.rfind("/")]
    return pattern


def _check_url(value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or SPACE.search(value):
        raise Problem(f"{value!r} is not an absolute http(s) URL")


def _length_check(value: str, limit: int) -> None:
    if len(value) > limit:
        raise Problem(f"{len(value)} characters, at most {limit} allowed")


@attribute_type
class IdentifierType(AttributeType):
    code = "pim_catalog_identifier"
    label = "Identifier"
    properties = ("max_characters", "validation_rule", "validation_regexp")
    unique_allowed = True

    def parser(self, attribute: Any, ctx: TypeContext) -> Callable[[Any], Any]:
        limit = int(attribute.prop("max_characters", 255))
        rule = _rule_of(attribute)

        def parse(data: Any) -> str:
            value = check_text(data).strip()
            if not value:
                raise Problem("an identifier cannot be empty")
            if any(c in value for c in "\r\n\t,;"):
                raise Problem("an identifier cannot hold line breaks, tabs, commas or semicolons")
            _length_check(value, limit)
            if rule is not None:
                rule(value)
            return value

        return parse


@attribute_type
class TextType(AttributeType):
    code = "pim_catalog_text"
    label = "Text"
    properties = ("max_characters", "validation_rule", "validation_regexp")
    unique_allowed = True

    def parser(self, attribute: Any, ctx: TypeContext) -> Callable[[Any], Any]:
        limit = min(int(attribute.prop("max_characters", 255)), ctx.max_text_length)
        rule = _rule_of(attribute)

        def parse(data: Any) -> str | None:
            value = check_text(data)
            if "\n" in value or "\r" in value:
                raise Problem("a text value holds one line; use a text area for several")
            _length_check(value, limit)
            if value and rule is not None:
                rule(value)
            return value or None

        return parse


@attribute_type
class TextareaType(AttributeType):
    code = "pim_catalog_textarea"
    label = "Text area"
    properties = ("max_characters", "wysiwyg_enabled")

    def parser(self, attribute: Any, ctx: TypeContext) -> Callable[[Any], Any]:
        limit = min(int(attribute.prop("max_characters", ctx.max_text_length)),
                    ctx.max_text_length)
        rich = bool(attribute.prop("wysiwyg_enabled"))

        def parse(data: Any) -> str | None:
            value = check_text(data)
            _length_check(value, limit)
            if rich:
                value = sanitize_html(value)
            return value or None

        return parse

    def format(self, data: Any, locale: str | None = None) -> str:
        return strip_html(data or "")


def sanitize_html(value: str) -> str:
    """Keep the safe subset of HTML a product description may use."""
    return nh3.clean(value, link_rel="noopener noreferrer")


def strip_html(value: str) -> str:
    """Turn rich text into plain text."""
    text = nh3.clean(value, tags=set())
    return " ".join(text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").split())


@attribute_type
class UrlType(AttributeType):
    code = "pim_catalog_url"
    label = "URL"
    properties = ("max_characters",)

    def parser(self, attribute: Any, ctx: TypeContext) -> Callable[[Any], Any]:
        limit = int(attribute.prop("max_characters", 2048))

        def parse(data: Any) -> str | None:
            value = check_text(data).strip()
            if not value:
                return None
            _length_check(value, limit)
            _check_url(value)
            return value

        return parse
