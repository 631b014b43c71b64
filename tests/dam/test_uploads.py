"""Uploads that link: one file, a replaced file, a folder, a zip; {attribute} rules."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from assets.errors import AssetRejected, MediaTypeRefused
from assets.links import create_link_rule, match_link_rule, update_link_rule
from assets.models import Asset
from pim.catalog import services as s
from pim.dam.uploads import ingest_path, replace_asset_file, upload_asset
from pim.errors import ValidationError
from tests.assets.images import image_bytes, zip_bytes
from tests.builders import product


@pytest.fixture()
def rules(catalog):
    create_link_rule(catalog, {"code": "numbered", "pattern": "{identifier}_{position}.jpg",
                               "attribute": "images"})
    create_link_rule(catalog, {"code": "by_folder", "pattern": "{identifier}/{attribute}/{*}",
                               "sort_order": 1})
    return catalog


def _upload(session, storage, policy, name, data=None, **fields):
    data = data if data is not None else image_bytes(color=(len(name), 9, 9))
    return upload_asset(session, storage, io.BytesIO(data), name, policy=policy,
                        author="ann", source="api", **fields)


def test_an_upload_is_linked_by_the_enabled_rules(rules, local_storage, policy):
    session = rules
    product(session, "boot-1")
    done = _upload(session, local_storage, policy, "boot-1_2.jpg", tags=["summer"])
    assert done.asset.code == "boot_1_2" and done.asset.tags == ["summer"]
    assert [(o.status, o.link.rule) for o in done.links.outcomes] == [("linked", "numbered")]
    assert s.get_product(session, "boot-1").values["images"][0]["data"] == ["boot_1_2"]
    unlinked = _upload(session, local_storage, policy, "boot-1_3.jpg", link=False)
    assert unlinked.links.outcomes == []
    nobody = _upload(session, local_storage, policy, "ghost_1.jpg")
    assert [o.message for o in nobody.links.failed] == [
        "no product or product model has the identifier 'ghost'"]
    assert session.scalar(select(func.count(Asset.id))) == 3  # a failed link keeps the asset


def test_a_replaced_file_is_linked_by_its_new_name(rules, local_storage, policy):
    session = rules
    product(session, "boot-1")
    _upload(session, local_storage, policy, "draft.jpg", code="hero")
    done = replace_asset_file(session, local_storage, "hero", io.BytesIO(image_bytes((9, 9))),
                              "boot-1/picture/hero.jpg", policy=policy, author="ann",
                              source="api")
    assert done.asset.current_version == 2
    picture = s.get_product(session, "boot-1").values["picture"][0]["data"]
    assert picture == done.asset.file.storage_key


def test_attribute_placeholder_takes_the_attribute_from_the_path():
    assert match_link_rule("{identifier}/{attribute}/{*}", "10794815/picture/a-1.jpg") == {
        "identifier": "10794815", "attribute": "picture"}
    assert match_link_rule("{identifier}/{attribute}/{*}", "a/b/c/d.jpg") is None


def test_attribute_placeholder_rules_name_no_attribute_of_their_own(catalog):
    with pytest.raises(ValidationError) as caught:
        create_link_rule(catalog, {"code": "r", "pattern": "{identifier}/{attribute}/{*}",
                                   "attribute": "images"})
    assert [e.message for e in caught.value.errors] == [
        "leave it empty: the pattern's {attribute} names the attribute"]
    rule = create_link_rule(catalog, {"code": "r", "pattern": "{identifier}/{attribute}/{*}",
                                      "attribute": None})
    assert rule.attribute == ""
    with pytest.raises(ValidationError, match="put {attribute} in the pattern"):
        update_link_rule(catalog, "r", {"pattern": "{identifier}.jpg"})
    update_link_rule(catalog, "r", {"pattern": "{identifier}.jpg", "attribute": "images"})


def test_a_folder_and_a_zip_are_ingested_and_linked(rules, local_storage, policy, tmp_path):
    session = rules
    product(session, "boot-1")
    product(session, "Ζεύς-2")
    folder = tmp_path / "drop"
    (folder / "boot-1" / "picture").mkdir(parents=True)
    (folder / "boot-1" / "picture" / "front.jpg").write_bytes(image_bytes(color=(1, 2, 3)))
    (folder / "Ζεύς-2_1.jpg").write_bytes(image_bytes(color=(4, 5, 6)))
    (folder / "notes.txt").write_bytes(b"plain words, not an asset")
    seen = []
    done = ingest_path(session, local_storage, folder, policy=policy, author="ann",
                       source="cli", tags=["drop"], progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (3, 3)
    summary = done.as_dict()
    assert (summary["created"], summary["refused"]) == (2, 1)
    assert summary["refusals"][0]["name"] == "notes.txt"
    assert summary["links"]["linked"] == 2
    assert s.get_product(session, "Ζεύς-2").values["images"][0]["data"] == ["Ζεύς_2_1"]
    assert s.get_product(session, "boot-1").values["picture"][0]["data"].startswith(
        "originals/")
    archive = tmp_path / "drop.zip"
    archive.write_bytes(zip_bytes({"boot-1_1.jpg": image_bytes(color=(7, 8, 9))}))
    zipped = ingest_path(session, local_storage, archive, policy=policy, author="ann",
                         source="cli")
    assert zipped.links.as_dict()["linked"] == 1
    assert s.get_product(session, "boot-1").values["images"][0]["data"] == ["boot_1_1"]


def test_refused_types_are_told_apart_from_bad_files(catalog, local_storage, policy):
    with pytest.raises(MediaTypeRefused, match="markup"):
        _upload(catalog, local_storage, policy, "x.jpg", b"<svg xmlns='x'/>")
    with pytest.raises(AssetRejected) as caught:
        _upload(catalog, local_storage, policy, "x.png", image_bytes())
    assert not isinstance(caught.value, MediaTypeRefused)
