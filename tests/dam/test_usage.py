"""Where an asset is used, a channel's assets, and deleting an asset that is in use."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assets.models import StoredFile
from pim.catalog import services as s
from pim.dam.usage import asset_usage, channel_asset_codes, remove_asset
from pim.errors import InUse
from tests.builders import product, value
from tests.dam.conftest import add_asset


def test_usage_lists_collections_and_file_values(catalog, local_storage, policy):
    session = catalog
    photo = add_asset(session, local_storage, policy, "φωτο.jpg")
    key = photo.file.storage_key
    product(session, "boot-1", values={"images": value(["x", photo.code]),
                                       "picture": value(key)})
    s.create_product_model(session, {"code": "trail", "family_variant": "shoes_size",
                                     "values": {"images": value([photo.code])}}, author="ann")
    product(session, "boot-2", values={"images": value(["φωτο_2"])})
    found = [u.as_dict() for u in asset_usage(session, photo.code)]
    assert found == [
        {"owner": "product", "code": "boot-1", "attribute": "images", "locale": None,
         "scope": None},
        {"owner": "product", "code": "boot-1", "attribute": "picture", "locale": None,
         "scope": None},
        {"owner": "product_model", "code": "trail", "attribute": "images", "locale": None,
         "scope": None}]
    assert len(asset_usage(session, photo.code, limit=1)) == 1


def test_an_asset_in_use_is_deleted_only_when_unlinked(catalog, local_storage, policy):
    session = catalog
    photo = add_asset(session, local_storage, policy, "boot.jpg")
    key = photo.file.storage_key
    product(session, "boot-1", values={"images": value(["x", photo.code]),
                                       "picture": value(key)})
    with pytest.raises(InUse, match=r"used by boot-1 \(images\), boot-1 \(picture\)"):
        remove_asset(session, local_storage, photo.code, author="ann", source="api")
    deleted = remove_asset(session, local_storage, photo.code, author="ann", source="api",
                           unlink=True)
    assert key in deleted.storage_keys and not local_storage.exists(key)
    values = s.get_product(session, "boot-1").values
    assert values["images"][0]["data"] == ["x"] and "picture" not in values
    version = s.versions_of(session, "product", "boot-1")[0]
    assert version.changeset_id is not None


def test_a_file_another_asset_keeps_does_not_block_deletion(catalog, local_storage, policy):
    session = catalog
    first = add_asset(session, local_storage, policy, "a.jpg")
    twin = add_asset(session, local_storage, policy, "b.jpg", data=_bytes_of(local_storage,
                                                                             first))
    product(session, "boot-1", values={"picture": value(first.file.storage_key)})
    remove_asset(session, local_storage, first.code, author="ann", source="api")
    assert session.scalar(select(StoredFile.id).where(StoredFile.id == twin.file_id))
    assert s.get_product(session, "boot-1").values["picture"][0]["data"] == (
        twin.file.storage_key)


def _bytes_of(storage, asset) -> bytes:
    with storage.open(asset.file.storage_key) as stream:
        return stream.read()


def test_channel_assets_come_from_products_in_its_tree(catalog, local_storage, policy):
    session = catalog
    shown = add_asset(session, local_storage, policy, "shown.jpg")
    outside = add_asset(session, local_storage, policy, "outside.jpg")
    product(session, "boot-1", values={"images": value([shown.code, "ghost"])})
    s.create_category(session, {"code": "other_tree"}, author="ann")
    product(session, "boot-2", categories=["other_tree"],
            values={"images": value([outside.code])})
    assert channel_asset_codes(session, "ecommerce") == [shown.code]
    s.update_channel(session, "mobile", {"category_tree": "other_tree"}, author="ann")
    assert channel_asset_codes(session, "mobile") == [outside.code]
