"""Attributes, options, groups, families, variants, categories, channels, locales, currencies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from pim.api.errors import ApiError
from pim.api.reference import Kind, register
from pim.api.schemas import structure as sc
from pim.catalog import services as s
from pim.errors import NotFound


def _saver(create: Callable, update: Callable) -> Callable[..., tuple[Any, bool]]:
    def save(session: Session, parents: dict, code: str | None, data: dict, stamp: dict
             ) -> tuple[Any, bool]:
        if code is None:
            return create(session, data, **stamp), True
        return update(session, code, data, **stamp), False

    return save


def _save_channel(session: Session, parents: dict, code: str | None, data: dict,
                  stamp: dict) -> tuple[Any, bool]:
    """Save a channel only if its exporter, mapping, filters and destinations are sound.

    The same checks as the UI's mapping editor and as a publication: a mistake is a 422
    now, not a failed feed later.
    """
    from exporters.destinations import channel_destinations
    from exporters.engine import prepare_export
    from exporters.publishing import publish_context

    commit = stamp.get("commit", True)
    stamp = {**stamp, "commit": False}
    if code is None:
        channel, created = s.create_channel(session, data, **stamp), True
    else:
        channel, created = s.update_channel(session, code, data, **stamp), False
    context = publish_context(current_app)
    if channel.exporter is not None:
        prepare_export(session, channel, public_url=context.public_url)
    channel_destinations(channel.settings or {}, context.delivery)
    if commit:
        session.commit()
    return channel, created


def _deleter(delete: Callable) -> Callable[..., None]:
    return lambda session, parents, code, author: delete(session, code, author=author)


def _plain(dump: Callable) -> Callable[[Session, Any], dict]:
    return lambda session, entity: dump(entity)


def _top(get: Callable) -> Callable[[Session, dict, str], Any]:
    return lambda session, parents, code: get(session, code)


def _by_code(listing: Callable, label: str) -> Callable[[Session, dict, str], Any]:
    def get(session: Session, parents: dict, code: str) -> Any:
        for entity in listing(session):
            if entity.code == code:
                return entity
        raise NotFound(label, code)

    return get


def _save_option(session: Session, parents: dict, code: str | None, data: dict, stamp: dict
                 ) -> tuple[Any, bool]:
    return s.save_option(session, parents["attribute_code"], data, **stamp)


def _save_group(session: Session, parents: dict, code: str | None, data: dict, stamp: dict
                ) -> tuple[Any, bool]:
    return s.save_group(session, data, **stamp)


def _save_variant(session: Session, parents: dict, code: str | None, data: dict, stamp: dict
                  ) -> tuple[Any, bool]:
    family = parents["family_code"]
    if data.get("family", family) != family:
        raise ApiError(422, f'The family "{data["family"]}" provided in the request body must '
                            f'match the family "{family}" provided in the url.')
    s.get_family(session, family)
    if code is None:
        return s.create_family_variant(session, {**data, "family": family}, **stamp), True
    return s.update_family_variant(session, code, data, **stamp), False


def _variants(session: Session, parents: dict) -> list[Any]:
    return s.list_family_variants(session, parents["family_code"])


def kinds() -> list[Kind]:
    """Describe every reference data kind the API serves."""
    return [
        Kind("attribute", "attributes", "/attributes", "Attributes", sc.AttributeIn,
             sc.AttributeOut, _top(s.get_attribute), lambda session, p: s.list_attributes(session),
             _plain(s.dump_attribute), _saver(s.create_attribute, s.update_attribute),
             _deleter(s.delete_attribute), ("code", "type", "updated")),
        Kind("attribute_option", "attribute_options", "/attributes/<attribute_code>/options",
             "Attributes", sc.OptionIn, sc.OptionOut,
             lambda session, p, code: s.get_option(session, p["attribute_code"], code),
             lambda session, p: s.list_options(session, p["attribute_code"]),
             _plain(s.dump_option), _save_option,
             lambda session, p, code, author: s.delete_option(session, p["attribute_code"], code,
                                                              author=author),
             ("code",), parents=("attribute_code",)),
        Kind("attribute_group", "attribute_groups", "/attribute-groups", "Attributes",
             sc.GroupIn, sc.GroupOut, _top(s.get_group), lambda session, p: s.list_groups(session),
             lambda session, g: s.dump_group(g, s.group_members(session, g)), _save_group,
             None, ("code",)),
        Kind("family", "families", "/families", "Families", sc.FamilyIn, sc.FamilyOut,
             _top(s.get_family), lambda session, p: s.list_families(session),
             _plain(s.dump_family), _saver(s.create_family, s.update_family),
             _deleter(s.delete_family), ("code", "updated")),
        Kind("family_variant", "family_variants", "/families/<family_code>/variants",
             "Families", sc.FamilyVariantIn, sc.FamilyVariantOut,
             lambda session, p, code: s.get_family_variant(session, code, p["family_code"]),
             _variants, _plain(s.dump_family_variant), _save_variant,
             lambda session, p, code, author: s.delete_family_variant(session, code,
                                                                      author=author),
             ("code",), parents=("family_code",)),
        Kind("category", "categories", "/categories", "Categories", sc.CategoryIn,
             sc.CategoryOut, _top(s.get_category), lambda session, p: s.list_categories(session),
             _plain(s.dump_category), _saver(s.create_category, s.update_category),
             _deleter(s.delete_category), ("code", "parent", "is_root", "updated")),
        Kind("channel", "channels", "/channels", "Channels", sc.ChannelIn, sc.ChannelOut,
             _top(s.get_channel), lambda session, p: s.list_channels(session),
             _plain(s.dump_channel), _save_channel,
             _deleter(s.delete_channel), ("code",)),
        Kind("locale", "locales", "/locales", "Channels", sc.LocaleOut, sc.LocaleOut,
             _by_code(s.list_locales, "locale"), lambda session, p: s.list_locales(session),
             _plain(lambda loc: {"code": loc.code, "enabled": loc.enabled}), filters=(
                 "code", "enabled")),
        Kind("currency", "currencies", "/currencies", "Channels", sc.CurrencyOut,
             sc.CurrencyOut, _by_code(s.list_currencies, "currency"),
             lambda session, p: s.list_currencies(session),
             _plain(lambda cur: {"code": cur.code, "enabled": cur.enabled, "label": cur.label}),
             filters=("code", "enabled")),
    ]


# like route decorators: the routes join the blueprint when this module is imported
KINDS = [register(kind) for kind in kinds()]
