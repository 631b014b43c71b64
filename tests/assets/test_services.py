"""Asset services: get, list with filters, update, delete; link rules matched and planned."""

from __future__ import annotations

import io

import pytest

from assets.ingest import ingest_upload, replace_file
from assets.links import (
    PlannedLink,
    Rule,
    create_link_rule,
    delete_link_rule,
    list_link_rules,
    match_link_rule,
    plan_links,
    plan_links_for_assets,
    update_link_rule,
)
from assets.renditions import rendition_for
from assets.services import count_assets, delete_asset, get_asset, list_assets, update_asset
from pim.errors import AlreadyExists, NotFound, ValidationError
from tests.assets.images import image_bytes, jpeg_with_metadata, pdf_bytes


def upload(session, storage, policy, name, data=None, **fields):
    data = data or image_bytes(color=(len(name) * 7 % 255, 10, 10))
    return ingest_upload(session, storage, io.BytesIO(data), name, policy=policy, **fields)


def test_list_filters_by_words_type_and_tag(session, local_storage, policy):
    upload(session, local_storage, policy, "red.jpg", title={"pl_PL": "Szkarłatny BUT"},
           tags=["summer", "shoes"])
    upload(session, local_storage, policy, "meta.jpg", jpeg_with_metadata(), tags=["shoes"])
    upload(session, local_storage, policy, "manual.pdf", pdf_bytes())
    codes = lambda **f: [a.code for a in list_assets(session, **f)]  # noqa: E731
    assert codes() == ["manual", "meta", "red"]
    assert codes(text="szkarłatny but") == ["red"]
    assert codes(text="czerwony") == ["meta"]  # from the EXIF XPTitle
    assert codes(text="ΘΕΣΣΑΛΟΝΊΚΗ") == ["meta"]  # from the XMP, any case
    assert codes(text="ПОДПИСЬ") == ["meta"]
    assert codes(text="100%_") == []
    assert codes(media_type="application/pdf") == ["manual"]
    assert codes(media_type="image/*") == ["meta", "red"]
    assert codes(tag="shoes") == ["meta", "red"]
    assert codes(tag="summer", text="red") == ["red"]
    assert codes(after="manual", limit=1) == ["meta"]
    assert count_assets(session, tag="shoes") == 2


def test_update_patches_texts_tags_and_focal_point(session, local_storage, policy):
    upload(session, local_storage, policy, "boot.jpg", title={"en_US": "Boot"})
    asset = update_asset(session, "boot", {
        "title": {"fr_FR": "Botte", "en_US": None}, "alt_text": {"el_GR": "Μπότα"},
        "tags": ["Zima ", "zima", "Zima"], "focal_point": {"x": 0.25, "y": 1},
    })
    assert asset.title == {"fr_FR": "Botte"}
    assert asset.alt_text == {"el_GR": "Μπότα"}
    assert asset.tags == ["Zima", "zima"]
    assert asset.focal_point == (0.25, 1.0)
    assert [a.code for a in list_assets(session, text="μπότα")] == ["boot"]
    cleared = update_asset(session, "boot", {"focal_point": None})
    assert cleared.focal_point is None


def test_update_lists_every_error_and_changes_nothing(session, local_storage, policy):
    upload(session, local_storage, policy, "boot.jpg", title={"en_US": "Boot"})
    with pytest.raises(ValidationError) as caught:
        update_asset(session, "boot", {"title": {"en_US": 3}, "tags": "x", "code": "other",
                                       "focal_point": {"x": 1.5, "y": -1}})
    assert sorted(e.field for e in caught.value.errors) == [
        "code", "focal_point.x", "focal_point.y", "tags", "title"]
    session.expire_all()
    assert get_asset(session, "boot").title == {"en_US": "Boot"}
    with pytest.raises(NotFound, match="Asset 'nope' does not exist"):
        update_asset(session, "nope", {})


def test_delete_keeps_files_other_assets_use(session, local_storage, policy):
    shared = image_bytes((31, 31))
    upload(session, local_storage, policy, "a.jpg", shared)
    upload(session, local_storage, policy, "b.jpg", shared)
    replace_file(session, local_storage, "a", io.BytesIO(image_bytes((32, 32))), "a2.jpg",
                 policy=policy)
    rendition = rendition_for(session, local_storage, "a", "max-10x10")
    second_file = get_asset(session, "a").file.storage_key
    gone = delete_asset(session, local_storage, "a")
    # the second file and its rendition go; the file "b" shares stays
    assert sorted(gone.storage_keys) == sorted([rendition.storage_key, second_file])
    keys = list(local_storage.list())
    assert keys == [get_asset(session, "b").file.storage_key]
    with pytest.raises(NotFound):
        get_asset(session, "a")


LINK_CASES = [
    ("{identifier}_{position}.jpg", "SKU1_2.jpg", {"identifier": "SKU1", "position": 2}),
    ("{identifier}_{position}.jpg", "SKU_1_10.JPG", {"identifier": "SKU_1", "position": 10}),
    ("{identifier}_{position}.jpg", "folder/ABC_3.jpg", {"identifier": "ABC", "position": 3}),
    ("{identifier}_{position}.jpg", "SKU1_x.jpg", None),
    ("{identifier}_{position}.jpg", "SKU1_2.png", None),
    ("{identifier}.jpg", "Ζεύς-42.jpg", {"identifier": "Ζεύς-42"}),
    ("{identifier}-{locale}.pdf", "manual-9-pl_PL.pdf", {"identifier": "manual-9",
                                                          "locale": "pl_PL"}),
    ("{identifier}/picture/{*}", "10794815/picture/10794815-5420.jpg",
     {"identifier": "10794815"}),
    ("{identifier}/picture/{*}", "10794815/image/x.jpg", None),
    ("{**}/{identifier}_{position}.{*}", "a/b/SKU9_1.webp", {"identifier": "SKU9",
                                                              "position": 1}),
]


@pytest.mark.parametrize("pattern, filename, expected", LINK_CASES)
def test_match_link_rule(pattern, filename, expected):
    assert match_link_rule(pattern, filename) == expected


@pytest.mark.parametrize("pattern, message", [
    ("", "the pattern is empty"),
    ("{position}.jpg", "needs an {identifier}"),
    ("{identifier}_{pos}.jpg", "unknown placeholder {pos}"),
    ("{identifier}_{identifier}.jpg", "{identifier} appears more than once"),
])
def test_bad_link_patterns(pattern, message):
    with pytest.raises(ValueError, match=message.replace("{", r"\{").replace("}", r"\}")):
        match_link_rule(pattern, "x.jpg")


def test_plan_links_orders_by_product_and_position_first_rule_wins():
    rules = [Rule("numbered", "{identifier}_{position}.jpg", "images"),
             Rule("manuals", "{identifier}.pdf", "manuals"),
             Rule("any_jpg", "{identifier}.jpg", "main_image")]
    names = [("b3", "SKU2_3.jpg"), ("b1", "SKU2_1.jpg"), ("a1", "SKU1_1.jpg"),
             ("m", "SKU1.pdf"), ("x", "notes.txt"), ("main", "SKU1.jpg")]
    assert plan_links(names, rules) == [
        PlannedLink("SKU1", "images", 1, "a1", "numbered", "SKU1_1.jpg"),
        PlannedLink("SKU1", "main_image", None, "main", "any_jpg", "SKU1.jpg"),
        PlannedLink("SKU1", "manuals", None, "m", "manuals", "SKU1.pdf"),
        PlannedLink("SKU2", "images", 1, "b1", "numbered", "SKU2_1.jpg"),
        PlannedLink("SKU2", "images", 3, "b3", "numbered", "SKU2_3.jpg"),
    ]


def test_link_rules_are_stored_checked_and_planned_for_assets(session, local_storage, policy):
    create_link_rule(session, {"code": "numbered", "pattern": "{identifier}_{position}.jpg",
                               "attribute": "images"})
    create_link_rule(session, {"code": "off", "pattern": "{identifier}.jpg",
                               "attribute": "x", "enabled": False})
    with pytest.raises(AlreadyExists):
        create_link_rule(session, {"code": "off", "pattern": "{identifier}.jpg",
                                   "attribute": "x"})
    with pytest.raises(ValidationError) as caught:
        create_link_rule(session, {"code": "bad rule", "pattern": "{x}", "attribute": "",
                                   "colour": 1})
    assert sorted(e.field for e in caught.value.errors) == [
        "attribute", "code", "colour", "pattern"]
    upload(session, local_storage, policy, "SKU7_2.jpg")
    upload(session, local_storage, policy, "SKU7.jpg")
    assert plan_links_for_assets(session) == [
        PlannedLink("SKU7", "images", 2, "SKU7_2", "numbered", "SKU7_2.jpg")]
    update_link_rule(session, "off", {"enabled": True})
    assert [p.asset_code for p in plan_links_for_assets(session, ["SKU7"])] == ["SKU7"]
    delete_link_rule(session, "off")
    assert [r.code for r in list_link_rules(session)] == ["numbered"]


def test_sweep_removes_only_objects_no_row_refers_to(session, storage, policy):
    from assets.services import sweep_orphans

    asset = upload(session, storage, policy, "kept.jpg")
    kept = rendition_for(session, storage, "kept", "width-8")
    storage.put("originals/00/00/stray.jpg", b"left by a crashed upload")
    storage.put("renditions/00/stray.png", b"left by a crashed render")
    storage.put("elsewhere/notes.txt", b"not ours to judge")
    assert sweep_orphans(session, storage) == ["originals/00/00/stray.jpg",
                                               "renditions/00/stray.png"]
    assert list(storage.list()) == sorted([asset.file.storage_key, kept.storage_key,
                                           "elsewhere/notes.txt"])
