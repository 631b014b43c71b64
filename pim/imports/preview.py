"""Preview an import before running it: its format, its files, how each column will be
read (attribute, locale, channel, or why it is unknown) and the first rows.

Nothing is written; the structure is read as it is now.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from pim.errors import PrismError
from pim.imports.akeneo import StructureConverter
from pim.imports.akeneo_products import ContentConverter
from pim.imports.items import ERRORS_COLUMN
from pim.imports.readers import open_table
from pim.imports.report import IssueLog
from pim.imports.shopify import ShopifyConverter
from pim.imports.shopify_layout import FIELD_BY_NAME
from pim.imports.sources import ImportOptions, ImportRefused, plan_import

PREVIEW_ROWS = 10


def preview_import(session: Session, path: str | Path, options: ImportOptions | None = None,
                   rows: int = PREVIEW_ROWS) -> dict[str, Any]:
    """Describe what importing `path` would do, without writing anything."""
    source, options = Path(path), options or ImportOptions()
    log = IssueLog("preview")
    unknown: dict[str, dict[str, str]] = {}
    try:
        try:
            plan = plan_import(session, source, options, log)
        except ImportRefused as exc:
            if not exc.unknown:
                raise
            unknown = exc.unknown
            plan = plan_import(session, source, replace(options, ignore_unknown_columns=True),
                               log)
    except PrismError as exc:
        return {"format": options.format, "refused": exc.message, "files": [], "notes": []}
    finally:
        log.close()
        session.rollback()
    files = []
    for spec, task in zip(plan.specs, plan.tasks, strict=True):
        missing = unknown.get(spec.name, {})
        files.append({**spec.describe(),
                      "columns": describe_columns(task.converter, spec.header, missing),
                      "rows": _first_rows(spec.path, spec.name, rows)})
    notes = [n for n in plan.notes if not n.startswith("ignored unknown columns")]
    refused = None
    if unknown and not options.ignore_unknown_columns:
        refused = "unknown columns: the import is refused unless they are ignored"
    return {"format": plan.format, "refused": refused, "files": files, "notes": notes}


def describe_columns(converter: Any, header: list[str], unknown: dict[str, str]
                     ) -> list[dict[str, Any]]:
    """Say, for each column, what it feeds (or why it feeds nothing)."""
    return [_column(converter, column, unknown) for column in header]


def _column(converter: Any, column: str, unknown: dict[str, str]) -> dict[str, Any]:
    if column in unknown:
        return {"column": column, "status": "unknown", "reason": unknown[column]}
    if column == ERRORS_COLUMN:
        return {"column": column, "status": "ignored", "reason": "errors of an earlier import"}
    if isinstance(converter, ContentConverter):
        return _content_column(converter, column)
    if isinstance(converter, ShopifyConverter):
        name = converter.fields.get(column)
        field = FIELD_BY_NAME.get(name or "")
        if field is not None:
            return {"column": column, "status": "value", "attribute": field.attribute}
        if name is not None:
            return {"column": column, "status": "property", "property": name}
        return {"column": column, "status": "ignored", "reason": "Prism has no place for it"}
    if isinstance(converter, StructureConverter):
        return {"column": column, "status": "property", "property": column}
    return {"column": column, "status": "property", "property": column}


def _content_column(converter: ContentConverter, column: str) -> dict[str, Any]:
    for value in converter.value_columns:
        if value.column == column:
            return {"column": column, "status": "value", "attribute": value.attribute,
                    "locale": value.locale, "scope": value.scope, "part": value.part}
    if column == converter.key_column:
        return {"column": column, "status": "property", "property": "identifier"}
    if column in converter.left_out:
        return {"column": column, "status": "ignored",
                "reason": "product groups and associations are not imported"}
    return {"column": column, "status": "property", "property": column}


def _first_rows(path: Path, name: str, count: int) -> list[dict[str, Any]]:
    with open_table(path, name=name, on_problem=lambda problem: None) as table:
        return [{"row": number, "cells": cells} for number, cells in islice(table, count)]
