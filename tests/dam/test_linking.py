"""Link plans applied to products and models: positions, file keys, reports, changesets."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from assets.links import PlannedLink, Rule, plan_links
from pim.catalog import services as s
from pim.catalog.models import Changeset, Version
from pim.dam.linking import apply_links, insert_code, link_assets
from pim.errors import NotFound
from tests.builders import attribute, product, value
from tests.dam.conftest import add_asset

NUMBERED = Rule("numbered", "{identifier}_{position}.jpg", "images")


@pytest.mark.parametrize("codes, code, position, expected", [
    ([], "a", 1, ["a"]),
    (["x", "y"], "a", 1, ["a", "x", "y"]),
    (["x", "y"], "a", 2, ["x", "a", "y"]),
    (["x", "y"], "a", 9, ["x", "y", "a"]),
    (["x", "y"], "a", 0, ["a", "x", "y"]),
    (["x", "a", "y"], "a", 1, ["a", "x", "y"]),
    (["x", "a", "y"], "a", 3, ["x", "y", "a"]),
    (["x", "a"], "a", None, ["x", "a"]),
    (["x"], "a", None, ["x", "a"]),
])
def test_insert_code_keeps_order_and_never_duplicates(codes, code, position, expected):
    assert insert_code(codes, code, position) == expected


def _images(session, identifier: str) -> list[str]:
    entries = s.get_product(session, identifier).values.get("images", [])
    return entries[0]["data"] if entries else []


def _versions(session) -> int:
    return session.scalar(select(func.count(Version.id)))


def test_collection_links_go_to_their_positions_in_one_changeset(catalog, local_storage,
                                                                 policy):
    session = catalog
    product(session, "boot-1", values={"images": value(["old"])})
    product(session, "boot-2")
    names = [(add_asset(session, local_storage, policy, name).code, name)
             for name in ("boot-1_3.jpg", "boot-1_1.jpg", "boot-2_2.jpg")]
    report = apply_links(session, plan_links(names, [NUMBERED]), author="ann", source="test")
    assert _images(session, "boot-1") == ["boot_1_1", "old", "boot_1_3"]
    assert _images(session, "boot-2") == ["boot_2_2"]
    assert [o.status for o in report.outcomes] == ["linked"] * 3
    assert {o.owner for o in report.outcomes} == {"product"}
    changeset = session.get(Changeset, report.changeset_id)
    assert (changeset.author, changeset.source) == ("ann", "test")
    stamped = session.scalars(select(Version.resource_code)
                              .where(Version.changeset_id == report.changeset_id))
    assert sorted(stamped) == ["boot-1", "boot-2"]

    versions = _versions(session)
    again = apply_links(session, plan_links(names, [NUMBERED]), author="ann", source="test")
    assert [o.status for o in again.outcomes] == ["unchanged"] * 3
    assert again.changeset_id is None and _versions(session) == versions


def test_a_link_moves_an_asset_already_in_the_collection(catalog, local_storage, policy):
    session = catalog
    asset = add_asset(session, local_storage, policy, "boot-1_1.jpg")
    product(session, "boot-1", values={"images": value(["x", asset.code, "y"])})
    apply_links(session, plan_links([(asset.code, "boot-1_1.jpg")], [NUMBERED]),
                author="ann", source="test")
    assert _images(session, "boot-1") == [asset.code, "x", "y"]


def test_image_and_file_values_get_the_media_file_key(catalog, local_storage, policy, client,
                                                      app):
    session = catalog
    product(session, "boot-1")
    first = add_asset(session, local_storage, policy, "boot-1.jpg")
    second = add_asset(session, local_storage, policy, "boot-1.png", data=_png())
    rules = [Rule("pictures", "{identifier}.{*}", "picture")]
    report = apply_links(session, plan_links([(first.code, "boot-1.jpg"),
                                              (second.code, "boot-1.png")], rules),
                         author="ann", source="test")
    key = s.get_product(session, "boot-1").values["picture"][0]["data"]
    assert key == first.file.storage_key and key.endswith(".jpg")
    outcomes = {o.link.asset_code: o for o in report.outcomes}
    assert (outcomes[first.code].status, outcomes[second.code].status) == ("linked", "failed")
    assert "holds one file; 'boot-1.jpg' was linked instead" in outcomes[second.code].message
    app.extensions["prism.storage"] = local_storage
    served = client.get(f"/media/files/{key}", buffered=True)
    with local_storage.open(key) as original:
        assert served.status_code == 200 and served.data == original.read()
    assert "immutable" in served.headers["Cache-Control"]
    assert client.get("/media/files/originals/00/00/nothing.jpg").status_code == 404


def _png() -> bytes:
    from tests.assets.images import image_bytes

    return image_bytes((20, 20), "PNG")


def test_what_cannot_be_linked_is_reported_and_the_rest_applied(catalog, local_storage, policy):
    session = catalog
    product(session, "boot-1")
    pdf = add_asset(session, local_storage, policy, "boot-1.jpg")
    links = [
        PlannedLink("nobody", "images", 1, pdf.code, "r", "nobody_1.jpg"),
        PlannedLink("boot-1", "colour", 1, pdf.code, "r", "boot-1_1.jpg"),
        PlannedLink("boot-1", "name", 1, pdf.code, "r", "boot-1_1.jpg"),
        PlannedLink("boot-1", "images", 1, "ghost", "r", "ghost.jpg"),
        PlannedLink("boot-1", "manual", None, pdf.code, "r", "boot-1.jpg"),
        PlannedLink("boot-1", "images", 2, pdf.code, "r", "boot-1_2.jpg"),
    ]
    report = apply_links(session, links, author="ann", source="test")
    messages = {(o.link.identifier, o.link.attribute, o.link.asset_code): (o.status, o.message)
                for o in report.outcomes}
    assert messages[("nobody", "images", pdf.code)] == (
        "failed", "no product or product model has the identifier 'nobody'")
    assert messages[("boot-1", "colour", pdf.code)] == (
        "failed", "no attribute has the code 'colour'")
    assert messages[("boot-1", "name", pdf.code)][1].startswith(
        "attribute 'name' is a pim_catalog_text; links go to asset collection")
    assert messages[("boot-1", "images", "ghost")] == ("failed", "asset 'ghost' does not exist")
    assert messages[("boot-1", "manual", pdf.code)][0] == "failed"
    assert "extension 'jpg' is not allowed" in messages[("boot-1", "manual", pdf.code)][1]
    assert messages[("boot-1", "images", pdf.code)] == ("linked", "")
    assert _images(session, "boot-1") == [pdf.code]
    assert report.as_dict()["failed"] == 5 and report.as_dict()["linked"] == 1


def test_product_models_are_linked_and_variants_told_what_they_cannot_hold(
        catalog, local_storage, policy):
    session = catalog
    s.create_product_model(session, {"code": "trail", "family_variant": "shoes_size"},
                           author="ann")
    product(session, "trail-s", parent="trail", values={"size": value("s")})
    model_asset = add_asset(session, local_storage, policy, "trail_1.jpg")
    variant_asset = add_asset(session, local_storage, policy, "trail-s_1.jpg")
    plan = plan_links([(model_asset.code, "trail_1.jpg"),
                       (variant_asset.code, "trail-s_1.jpg")], [NUMBERED])
    report = apply_links(session, plan, author="ann", source="test")
    by_target = {o.link.identifier: o for o in report.outcomes}
    assert (by_target["trail"].status, by_target["trail"].owner) == ("linked", "product_model")
    assert s.get_product_model(session, "trail").values["images"][0]["data"] == [
        model_asset.code]
    assert by_target["trail-s"].status == "failed"
    assert by_target["trail-s"].message == (
        "attribute 'images' is not a variant attribute of 'shoes_size' at level 1")


def test_localizable_values_need_a_locale_and_per_channel_values_are_refused(
        catalog, local_storage, policy):
    session = catalog
    attribute(session, "gallery", "pim_catalog_asset_collection", localizable=True)
    attribute(session, "banners", "pim_catalog_asset_collection", scopable=True)
    s.create_product(session, {"identifier": "lamp"}, author="ann")
    polish = add_asset(session, local_storage, policy, "lamp-pl_PL_1.jpg")
    plain = add_asset(session, local_storage, policy, "lamp_1.jpg")
    rules = [Rule("by_locale", "{identifier}-{locale}_{position}.jpg", "gallery")]
    links = plan_links([(polish.code, "lamp-pl_PL_1.jpg")], rules) + [
        PlannedLink("lamp", "gallery", 1, plain.code, "plain", "lamp_1.jpg"),
        PlannedLink("lamp", "banners", 1, plain.code, "plain", "lamp_1.jpg")]
    report = apply_links(session, links, author="ann", source="test")
    assert s.get_product(session, "lamp").values["gallery"] == [
        {"locale": "pl_PL", "scope": None, "data": [polish.code]}]
    failed = {o.link.attribute: o.message for o in report.failed}
    assert "is localizable: put {locale} in the rule's pattern" in failed["gallery"]
    assert "has a value per channel" in failed["banners"]


def test_link_assets_plans_with_named_or_enabled_rules(catalog, local_storage, policy):
    from assets.links import create_link_rule

    session = catalog
    product(session, "boot-1")
    create_link_rule(session, {"code": "numbered", "pattern": "{identifier}_{position}.jpg",
                               "attribute": "images", "enabled": False})
    asset = add_asset(session, local_storage, policy, "boot-1_1.jpg")
    assert link_assets(session, author="ann", source="test").outcomes == []
    report = link_assets(session, rule_codes=["numbered"], author="ann", source="test")
    assert [o.status for o in report.outcomes] == ["linked"]
    assert _images(session, "boot-1") == [asset.code]
    with pytest.raises(NotFound, match="Link rule 'nope'"):
        link_assets(session, rule_codes=["nope"], author="ann", source="test")


def test_models_go_first_and_a_variant_leaves_its_models_file_alone(catalog, local_storage,
                                                                    policy):
    session = catalog
    s.create_product_model(session, {"code": "trail", "family_variant": "shoes_size"},
                           author="ann")
    product(session, "trail-s", parent="trail", values={"size": value("s")})
    photo = add_asset(session, local_storage, policy, "trail.jpg")
    links = [PlannedLink("trail-s", "images", 1, photo.code, "r", "trail-s/images/a.jpg"),
             PlannedLink("trail", "images", 1, photo.code, "r", "trail/images/a.jpg")]
    report = apply_links(session, links, author="ann", source="test")
    by_target = {o.link.identifier: (o.status, o.message) for o in report.outcomes}
    assert by_target == {"trail": ("linked", ""),
                         "trail-s": ("unchanged", "already held by its product model")}
    assert "images" not in s.get_product(session, "trail-s").values
