"""Where assets are used: the products and models holding them, a channel's assets, and
deleting an asset without leaving values that point at nothing."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from contextlib import closing
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import Session

from assets.models import Asset, AssetVersion
from assets.services import Deleted, delete_asset, get_asset
from assets.storage import Storage
from pim.catalog import services as s
from pim.catalog.models import Product, ProductModel
from pim.catalog.reading import ProductQuery, read_snapshot, stream_products
from pim.dam.media_files import media_file_key
from pim.errors import InUse

COLLECTION = "pim_catalog_asset_collection"
FILE_TYPES = ("pim_catalog_image", "pim_catalog_file")
OWNERS = (("product", Product, Product.identifier), ("product_model", ProductModel,
                                                     ProductModel.code))


@dataclass(frozen=True)
class Usage:
    """One value holding an asset: whose, which attribute, locale and channel."""

    owner: str  # "product" or "product_model"
    code: str
    attribute: str
    locale: str | None
    scope: str | None

    def as_dict(self) -> dict[str, Any]:
        """The usage as plain JSON data."""
        return {"owner": self.owner, "code": self.code, "attribute": self.attribute,
                "locale": self.locale, "scope": self.scope}


def asset_usage(session: Session, code: str, *, limit: int | None = 100) -> list[Usage]:
    """List the values (own values of products and models) holding an asset or its files."""
    asset = get_asset(session, code)
    keys = {media_file_key(version.file) for version in asset.versions}
    found: list[Usage] = []
    with closing(_usages(session, code, keys)) as usages:  # closes the cursor when cut short
        for usage in usages:
            found.append(usage)
            if limit is not None and len(found) >= limit:
                break
    return found


def _usages(session: Session, code: str, keys: set[str]) -> Generator[Usage, None, None]:
    types = {a.code: a.type for a in s.list_attributes(session, types=[COLLECTION, *FILE_TYPES])}
    if not types:
        return
    needles = [code, *sorted(keys)]
    for owner, model, name in OWNERS:
        query = select(name, model.values).order_by(name)
        if all(needle.isascii() for needle in needles):  # JSON text may escape the others
            text = cast(model.values, String)
            query = query.where(or_(*(text.contains(n, autoescape=True) for n in needles)))
        with session.execute(query.execution_options(yield_per=500)) as rows:
            for entity_code, values in rows:
                yield from _holding(owner, entity_code, values or {}, types, code, keys)


def _holding(owner: str, entity_code: str, values: dict, types: dict[str, str], code: str,
             keys: set[str]) -> Iterator[Usage]:
    for attribute, entries in values.items():
        kind = types.get(attribute)
        for entry in entries if kind else ():
            data = entry.get("data")
            held = code in (data or []) if kind == COLLECTION else data in keys
            if held:
                yield Usage(owner, entity_code, attribute, entry.get("locale"),
                            entry.get("scope"))


def channel_asset_codes(session: Session, channel_code: str) -> list[str]:
    """Codes of the existing assets the products in a channel's tree show, sorted."""
    channel = s.get_channel(session, channel_code)
    collections = [a.code for a in s.list_attributes(session, types=[COLLECTION])]
    tree = channel.category_tree.code if channel.category_tree is not None else None
    wanted = ProductQuery(categories=(tree,) if tree else None, channels=())
    locales = set(channel.locales) | {None}
    codes: set[str] = set()
    with read_snapshot(session):
        for product in stream_products(session, wanted):
            for attribute in collections:
                for entry in product.values.get(attribute, ()):
                    if entry.get("locale") in locales and entry.get("scope") in (
                            None, channel_code):
                        codes.update(c for c in entry.get("data") or () if isinstance(c, str))
    existing = session.scalars(select(Asset.code).where(Asset.code.in_(sorted(codes))))
    return sorted(existing)


def remove_asset(
    session: Session, storage: Storage, code: str, *, author: str, source: str,
    unlink: bool = False,
) -> Deleted:
    """Delete an asset; refuse while values hold it, unless `unlink` takes it out first."""
    blocking = _blocking_usages(session, code)
    if blocking and not unlink:
        shown = ", ".join(f"{u.code} ({u.attribute})" for u in blocking[:5])
        more = f" and {len(blocking) - 5} more" if len(blocking) > 5 else ""
        raise InUse(f"asset {code!r} is used by {shown}{more}: take it out of those values "
                    "first, or delete it with unlink")
    if blocking:
        _unlink(session, code, blocking, author, source)
    return delete_asset(session, storage, code)


def _blocking_usages(session: Session, code: str) -> list[Usage]:
    """Usages that deleting the asset would leave pointing at nothing."""
    asset = get_asset(session, code)
    shared = set(session.scalars(select(AssetVersion.file_id).where(
        AssetVersion.asset_id != asset.id,
        AssetVersion.file_id.in_([v.file_id for v in asset.versions]))))
    kept = {media_file_key(v.file) for v in asset.versions if v.file_id in shared}
    types = {a.code: a.type for a in s.list_attributes(session, types=list(FILE_TYPES))}
    return [u for u in asset_usage(session, code, limit=None)
            if u.attribute not in types or _key_of(session, u) not in kept]


def _key_of(session: Session, usage: Usage) -> Any:
    model = Product if usage.owner == "product" else ProductModel
    column = Product.identifier if usage.owner == "product" else ProductModel.code
    values = session.scalar(select(model.values).where(column == usage.code)) or {}
    for entry in values.get(usage.attribute, ()):
        if (entry.get("locale"), entry.get("scope")) == (usage.locale, usage.scope):
            return entry.get("data")
    return None


def _unlink(session: Session, code: str, usages: list[Usage], author: str, source: str) -> None:
    changeset = s.new_changeset(session, author, source, f"take asset {code} out of values")
    by_owner: dict[tuple[str, str], list[Usage]] = {}
    for usage in usages:
        by_owner.setdefault((usage.owner, usage.code), []).append(usage)
    stamp = {"author": author, "source": source, "changeset_id": changeset, "commit": False}
    for (owner, entity_code), held in by_owner.items():
        values: dict[str, list[dict[str, Any]]] = {}
        for u in held:
            values.setdefault(u.attribute, []).append(
                {"locale": u.locale, "scope": u.scope, "data": _without(session, u, code)})
        if owner == "product":
            s.update_product(session, entity_code, {"values": values}, **stamp)
        else:
            s.update_product_model(session, entity_code, {"values": values}, **stamp)


def _without(session: Session, usage: Usage, code: str) -> Any:
    data = _key_of(session, usage)
    if isinstance(data, list):
        return [item for item in data if item != code] or None
    return None
