"""Channels, and the locales and currencies they activate."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pim.catalog import completeness, trash
from pim.catalog.codes import (
    LOCALE_CODE,
    Collector,
    check_code,
    check_code_list,
    check_keys,
    check_labels,
)
from pim.catalog.content import Stamp, save
from pim.catalog.models import Category, Channel, Currency, FamilyRequirement, Locale
from pim.catalog.resources import ResourceKind, register_kind
from pim.catalog.structure_cache import forget_structure
from pim.errors import AlreadyExists, NotFound

FIELDS = {"code", "labels", "locales", "currencies", "category_tree", "conversion_units",
          "exporter", "settings"}
CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
EXPORTER_CODE = re.compile(r"^[a-z0-9_]{1,50}$")


def get_channel(session: Session, code: str) -> Channel:
    """Return the channel `code`."""
    channel = session.scalar(select(Channel).where(Channel.code == code))
    if channel is None:
        raise NotFound("channel", code)
    return channel


def list_channels(session: Session) -> list[Channel]:
    """List channels by code."""
    return list(session.scalars(select(Channel).order_by(Channel.code)))


def create_channel(session: Session, data: dict[str, Any], *, author: str, source: str = "ui",
                   commit: bool = True, entity_id: int | None = None,
                   changeset_id: str | None = None) -> Channel:
    """Create a channel; completeness rows appear for its locales."""
    channel = Channel(labels={}, locales=[], currencies=[], settings={})
    if entity_id is not None:
        channel.id = entity_id
    _apply(session, channel, data, creating=True)
    save(session, CHANNEL, channel, None, Stamp(author, source, None, changeset_id),
         commit=False)
    _after_change(session, commit)
    return channel


def update_channel(session: Session, code: str, data: dict[str, Any], *, author: str,
                   source: str = "ui", replace: bool = False, commit: bool = True,
                   changeset_id: str | None = None, comment: str | None = None) -> Channel:
    """Patch a channel; completeness is recomputed when its locales or currencies change."""
    channel = get_channel(session, code)
    before = dump_channel(channel)
    if not replace and isinstance(data, dict):
        for key in ("labels", "conversion_units", "settings"):
            if isinstance(data.get(key), dict):
                data = {**data, key: {**before[key], **data[key]}}
    _apply(session, channel, data, creating=False)
    save(session, CHANNEL, channel, before, Stamp(author, source, comment, changeset_id),
         commit=False)
    after = dump_channel(channel)
    if (before["locales"], before["currencies"]) != (after["locales"], after["currencies"]):
        _after_change(session, commit)
    elif commit:
        session.commit()
    return channel


def _after_change(session: Session, commit: bool) -> None:
    _sync_enabled(session)
    forget_structure(session)
    completeness.recompute(session)
    if commit:
        session.commit()


def delete_channel(session: Session, code: str, *, author: str, commit: bool = True) -> None:
    """Move a channel to the trash; its completeness rows go with it."""
    trash.put(session, CHANNEL, get_channel(session, code), author=author)
    _sync_enabled(session)
    forget_structure(session)
    if commit:
        session.commit()


def _apply(session: Session, channel: Channel, data: Any, *, creating: bool) -> None:
    errors = Collector()
    data = check_keys(data, FIELDS, errors, {"_links"})
    code = channel.code
    if creating:
        code = check_code(data.get("code"), errors)
        if code and session.scalar(select(Channel.id).where(Channel.code == code)):
            raise AlreadyExists("channel", code)
    elif "code" in data and data["code"] != channel.code:
        errors.add("code", "a channel code cannot change")
    locales = _codes(data, "locales", channel.locales, LOCALE_CODE, errors)
    currencies = _codes(data, "currencies", channel.currencies, CURRENCY_CODE, errors)
    tree = _tree(session, data.get("category_tree", _tree_code(channel)), errors)
    exporter = data.get("exporter", channel.exporter)
    if exporter is not None and not (isinstance(exporter, str) and EXPORTER_CODE.match(exporter)):
        errors.add("exporter", f"{exporter!r} is not an exporter code")
    settings = _settings(data, channel, errors)
    labels = check_labels(data.get("labels", channel.labels), errors)
    errors.raise_if_any()
    channel.code, channel.labels, channel.category_tree = code, labels, tree
    channel.locales, channel.currencies = locales, currencies
    channel.exporter, channel.settings = exporter, settings
    for locale in locales:
        ensure_locale(session, locale)
    for currency in currencies:
        ensure_currency(session, currency)
    session.add(channel)


def _codes(data: dict, name: str, current: list[str], pattern: re.Pattern, errors: Collector
           ) -> list[str]:
    if name not in data:
        if not current:
            errors.add(name, f"a channel needs at least one of its {name}")
        return current
    codes = check_code_list(data[name], errors, name)
    if not codes:
        errors.add(name, f"a channel needs at least one of its {name}")
    for code in codes:
        if not pattern.match(code):
            errors.add(name, f"{code!r} is not a valid code for {name}")
    return codes


def _tree_code(channel: Channel) -> str | None:
    return channel.category_tree.code if channel.category_tree else None


def _tree(session: Session, code: Any, errors: Collector) -> Category | None:
    if code is None:
        errors.add("category_tree", "a channel needs a category tree")
        return None
    tree = session.scalar(select(Category).where(Category.code == code))
    if tree is None:
        errors.add("category_tree", f"category {code!r} does not exist")
    elif tree.parent_id is not None:
        errors.add("category_tree", f"category {code!r} is not the root of a tree")
    return tree


def _settings(data: dict, channel: Channel, errors: Collector) -> dict[str, Any]:
    settings = dict(data.get("settings", channel.settings or {}))
    if not isinstance(data.get("settings", {}), dict):
        errors.add("settings", "settings must be an object")
        return dict(channel.settings or {})
    units = data.get("conversion_units", settings.get("conversion_units", {}))
    if not isinstance(units, dict):
        errors.add("conversion_units", "conversion_units is {attribute code: unit}")
    else:
        settings["conversion_units"] = units
    return settings


def ensure_locale(session: Session, code: str) -> Locale:
    """Return the locale `code`, creating it when it is new."""
    locale = session.scalar(select(Locale).where(Locale.code == code))
    if locale is None:
        locale = Locale(code=code, enabled=True)
        session.add(locale)
        session.flush()
    return locale


def ensure_currency(session: Session, code: str, label: str | None = None) -> Currency:
    """Return the currency `code`, creating and enabling it when needed."""
    currency = session.scalar(select(Currency).where(Currency.code == code))
    if currency is None:
        currency = Currency(code=code, enabled=True, label=label)
        session.add(currency)
        session.flush()
    currency.enabled = True
    return currency


def _sync_enabled(session: Session) -> None:
    """A locale is enabled while at least one channel uses it, as in Akeneo."""
    session.flush()
    used = {code for channel in session.scalars(select(Channel)) for code in channel.locales}
    for locale in session.scalars(select(Locale)):
        locale.enabled = locale.code in used


def list_locales(session: Session, enabled: bool | None = None) -> list[Locale]:
    """List locales, optionally only enabled or disabled ones."""
    query = select(Locale).order_by(Locale.code)
    if enabled is not None:
        query = query.where(Locale.enabled.is_(enabled))
    return list(session.scalars(query))


def list_currencies(session: Session, enabled: bool | None = None) -> list[Currency]:
    """List currencies, optionally only enabled or disabled ones."""
    query = select(Currency).order_by(Currency.code)
    if enabled is not None:
        query = query.where(Currency.enabled.is_(enabled))
    return list(session.scalars(query))


def dump_channel(channel: Channel) -> dict[str, Any]:
    """Return the channel in Akeneo's REST shape, plus Prism's exporter and settings."""
    settings = dict(channel.settings or {})
    return {
        "code": channel.code,
        "currencies": list(channel.currencies),
        "locales": list(channel.locales),
        "category_tree": _tree_code(channel),
        "conversion_units": settings.pop("conversion_units", {}),
        "labels": dict(channel.labels or {}),
        "exporter": channel.exporter,
        "settings": settings,
    }


def _remove(session: Session, channel: Channel) -> None:
    session.execute(FamilyRequirement.__table__.delete().where(
        FamilyRequirement.channel_id == channel.id))
    session.delete(channel)


CHANNEL = register_kind(ResourceKind(
    name="channel", label="channel", model=Channel, code_attr="code", dump=dump_channel,
    replace=lambda session, code, data, **stamp: update_channel(
        session, code, data, replace=True, **stamp),
    recreate=lambda session, data, entity_id, **stamp: create_channel(
        session, data, entity_id=entity_id, commit=False, **stamp),
    remove=_remove,
))
