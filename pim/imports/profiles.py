"""Mapping profiles: how to read any CSV, saved by name and reused (`--format profile:NAME`).

Settings of a profile:

    {"identifier": "Article no.",              the column with the product identifier
     "family": "shoes",                        a family for every row (optional)
     "family_column": "Type",                  or a column naming it (optional)
     "categories_column": "Categories",        comma-separated category codes (optional)
     "enabled_column": "Active",               1/0, yes/no (optional)
     "columns": {"Name": {"attribute": "name", "locale": "en_US"},
                 "Text": {"attribute": "description", "locale": "de_DE", "scope": "print"},
                 "Preis": {"attribute": "price", "currency": "EUR"},
                 "Gewicht": {"attribute": "weight", "unit": "KILOGRAM"}},
     "ignore": ["Internal note"]}              columns read and left out on purpose
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pim.db import utcnow
from pim.errors import FieldError, NotFound, ValidationError
from pim.imports.akeneo_products import ProductConverter
from pim.imports.cells import METRIC, PRICE, ValueColumn
from pim.imports.columns import StructureView
from pim.imports.engine import Task
from pim.imports.items import ERRORS_COLUMN, Item
from pim.imports.models import MappingProfile
from pim.imports.report import IssueLog
from pim.imports.sources import (
    FileSpec,
    ImportOptions,
    ImportRefused,
    Plan,
    check_unknown,
    planner,
    read_header,
    row_reader,
)

NAME_LIMIT = 100
PROPERTY_COLUMNS = ("family_column", "categories_column", "enabled_column")
SETTINGS = {"identifier", "family", "columns", "ignore", *PROPERTY_COLUMNS}
TARGET_KEYS = {"attribute", "locale", "scope", "currency", "unit"}


def get_profile(session: Session, name: str) -> MappingProfile:
    """Return the mapping profile `name`."""
    profile = session.scalar(select(MappingProfile).where(MappingProfile.name == name))
    if profile is None:
        raise NotFound("mapping profile", name)
    return profile


def list_profiles(session: Session) -> list[MappingProfile]:
    """List the mapping profiles by name."""
    return list(session.scalars(select(MappingProfile).order_by(MappingProfile.name)))


def save_profile(session: Session, name: str, settings: dict[str, Any], *, author: str,
                 description: str | None = None) -> MappingProfile:
    """Create or replace a mapping profile after checking it against the catalog."""
    errors = check_settings(name, settings, StructureView.of(session))
    if errors:
        raise ValidationError(errors)
    profile = session.scalar(select(MappingProfile).where(MappingProfile.name == name))
    if profile is None:
        profile = MappingProfile(name=name, created_by=author)
        session.add(profile)
    profile.settings, profile.description, profile.updated = dict(settings), description, utcnow()
    session.commit()
    return profile


def delete_profile(session: Session, name: str) -> None:
    """Delete a mapping profile."""
    session.delete(get_profile(session, name))
    session.commit()


def profile_as_dict(profile: MappingProfile) -> dict[str, Any]:
    """Return a profile as plain data."""
    return {"name": profile.name, "description": profile.description,
            "settings": profile.settings, "created_by": profile.created_by,
            "created": profile.created.isoformat() if profile.created else None,
            "updated": profile.updated.isoformat() if profile.updated else None}


def check_settings(name: Any, settings: Any, view: StructureView) -> list[FieldError]:
    """List what is wrong with a profile's name and settings."""
    errors = []
    if not isinstance(name, str) or not name.strip() or len(name) > NAME_LIMIT or ":" in name:
        errors.append(FieldError("name", f"a profile name is 1 to {NAME_LIMIT} characters "
                                         "without ':'"))
    if not isinstance(settings, dict):
        return [*errors, FieldError("settings", "settings are an object")]
    for key in sorted(set(settings) - SETTINGS):
        errors.append(FieldError(key, f"unknown setting {key!r}"))
    for key in ("identifier", "family", *PROPERTY_COLUMNS):
        if key in settings and not isinstance(settings[key], str):
            errors.append(FieldError(key, f"{key} must be a column name"))
    if not isinstance(settings.get("identifier"), str) or not settings["identifier"]:
        errors.append(FieldError("identifier", "name the column holding the identifier"))
    ignore = settings.get("ignore", [])
    if not isinstance(ignore, list) or not all(isinstance(c, str) for c in ignore):
        errors.append(FieldError("ignore", "ignore is a list of column names"))
    columns = settings.get("columns", {})
    if not isinstance(columns, dict) or not columns:
        return [*errors, FieldError("columns", "map at least one column to an attribute")]
    for column, target in columns.items():
        found = target_column(column, target, view)
        if isinstance(found, str):
            errors.append(FieldError(f"columns.{column}", found))
    return errors


def target_column(column: str, target: Any, view: StructureView) -> list[ValueColumn] | str:
    """Read one mapping: the value columns it feeds, or what is wrong with it."""
    if not isinstance(target, dict) or not isinstance(target.get("attribute"), str):
        return 'a mapping is {"attribute": code, "locale": ..., "scope": ...}'
    if set(target) - TARGET_KEYS:
        return f"unknown keys {sorted(set(target) - TARGET_KEYS)}"
    info = view.attributes.get(target["attribute"])
    if info is None:
        return f"attribute {target['attribute']!r} does not exist"
    locale, scope = target.get("locale"), target.get("scope")
    if info.localizable != (locale is not None) or info.scopable != (scope is not None):
        return (f"attribute {info.code!r} is {'' if info.localizable else 'not '}localizable "
                f"and {'' if info.scopable else 'not '}scopable: give locale and scope so")
    if locale is not None and locale not in view.locales:
        return f"locale {locale!r} is not enabled"
    if scope is not None and scope not in view.channels:
        return f"channel {scope!r} does not exist"
    if info.type == PRICE:
        if target.get("currency") not in view.currencies:
            return f"a price column needs an enabled currency, not {target.get('currency')!r}"
        return [ValueColumn(column, info.code, info.type, locale, scope, target["currency"])]
    if target.get("unit") and info.type != METRIC:
        return f"attribute {info.code!r} is not a measurement: it takes no unit"
    return [ValueColumn(column, info.code, info.type, locale, scope)]


class ProfileConverter(ProductConverter):
    """Rows of any CSV, read through a mapping profile; written as products."""

    def __init__(self, file: str, view: StructureView, settings: dict[str, Any]) -> None:
        super().__init__(file, view)
        self.settings = settings
        self.key_column = settings["identifier"]
        self.units: dict[str, str] = {}

    def unknown_columns(self, header: list[str]) -> dict[str, str]:
        known = {self.key_column, ERRORS_COLUMN, *self.settings.get("ignore", []),
                 *(self.settings[k] for k in PROPERTY_COLUMNS if k in self.settings)}
        unknown = {}
        for column in header:
            target = self.settings.get("columns", {}).get(column)
            if target is not None:
                found = target_column(column, target, self.view)
                if isinstance(found, str):
                    unknown[column] = found
                    continue
                self.value_columns += found
                self.slots.setdefault(found[0].slot, column)
                if target.get("unit"):
                    self.units[column] = target["unit"]
            elif column not in known:
                unknown[column] = "the profile maps it to nothing"
        if self.key_column not in header:
            unknown[self.key_column] = "the identifier column of the profile is missing"
        return unknown

    values_from_plan = False  # the units a profile gives are set after the reading

    def items(self, rows: Callable[[], Iterable[tuple[int, dict[str, str]]]]
              ) -> Iterator[Item]:
        for number, cells in rows():
            yield self.profile_item(number, cells)

    def row_item(self, number: int, cells: dict[str, str]) -> Item:
        return self.profile_item(number, cells)

    def profile_item(self, number: int, cells: dict[str, str]) -> Item:
        """Build the item of one row, reading its properties where the profile says."""
        mapped = dict(cells)
        renamed = {"family": self.settings.get("family", ""),
                   "categories": None, "enabled": None}
        for key, column in (("family", "family_column"), ("categories", "categories_column"),
                            ("enabled", "enabled_column")):
            if column in self.settings:
                renamed[key] = cells.get(self.settings[column], "")
        mapped.update({k: v for k, v in renamed.items() if v is not None})
        item = self.product_item(number, mapped)
        item.rows[0].cells = cells
        for column, unit in self.units.items():
            self._fix_unit(item, column, unit)
        return item

    def locate(self, error: FieldError) -> str | None:
        """Name the column a service error is about, in the profile's own column names."""
        for key in ("family", "categories", "enabled"):
            if error.field == key and not error.attribute:
                return self.settings.get(f"{key}_column")
        return super().locate(error)

    def _fix_unit(self, item: Item, column: str, unit: str) -> None:
        for code, entries in item.data.get("values", {}).items():
            for entry in entries:
                data = entry["data"]
                if isinstance(data, dict) and self.slots.get((code, entry["locale"],
                                                              entry["scope"])) == column:
                    data["unit"] = data.get("unit") or unit


@planner("profile")
def plan_profile(session: Session, path: Path, options: ImportOptions, log: IssueLog) -> Plan:
    """Plan the import of one CSV or XLSX file through a saved mapping profile."""
    name = (options.format or "").partition(":")[2]
    try:
        profile = get_profile(session, name)
    except NotFound:
        raise ImportRefused(f"there is no mapping profile {name!r}") from None
    if path.is_dir():
        raise ImportRefused(f"{path.name}: a profile import reads one file, not a folder")
    spec = FileSpec(path, path.name, "products")
    read_header(spec)
    converter = ProfileConverter(spec.name, StructureView.of(session), profile.settings)
    notes: list[str] = [f"read through mapping profile {name!r}"]
    check_unknown({spec.name: converter.unknown_columns(spec.header)},
                  options.ignore_unknown_columns, notes)
    return Plan([spec], [Task(spec.name, "products", converter, row_reader(spec, log))], notes)
