"""Link rules (CRUD and runs), channel image presets, and pre-generating a channel's
renditions: the asset settings of the API."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app

from assets.links import create_link_rule, delete_link_rule, list_link_rules, update_link_rule
from assets.models import LinkRule
from pim import get_session
from pim.api import http
from pim.api.blueprint import api, endpoint, principal
from pim.api.errors import ApiError
from pim.api.paging import page_envelope, paging, read_query, self_link, slice_page
from pim.api.schemas.assets import LinkRuleIn, LinkRuleOut, LinkRunIn, PresetsIn, PresetsOut
from pim.api.schemas.common import PageQuery, list_of
from pim.api.schemas.history import JobOut
from pim.api.uploads import job_started
from pim.auth.roles import MANAGE_STRUCTURE, READ, WRITE_CONTENT
from pim.catalog import services as s
from pim.dam.jobs import start_linking, start_pregenerate
from pim.dam.presets import IMAGE_RULES, channel_presets, recommended_presets, save_image_presets
from pim.errors import NotFound

TAG = "Assets"
JOB_STARTED = {202: JobOut, 404: "Unknown channel or rule", 422: "Nothing to do"}


def _rule(rule: LinkRule) -> dict[str, Any]:
    return LinkRuleOut().dump({
        "_links": self_link("api.get_asset_link_rule", code=rule.code), "code": rule.code,
        "pattern": rule.pattern, "attribute": rule.attribute, "enabled": rule.enabled,
        "sort_order": rule.sort_order})


def _find_rule(code: str) -> LinkRule:
    for rule in list_link_rules(get_session()):
        if rule.code == code:
            return rule
    raise NotFound("Link rule", code)


@api.get("/asset-link-rules")
@endpoint("List the link rules, in the order they are tried", tag=TAG, action=READ,
          query=PageQuery, responses={200: list_of(LinkRuleOut, "AssetLinkRule")})
def list_asset_link_rules() -> Response:
    page = paging(read_query(PageQuery))
    rules = list_link_rules(get_session())
    items, more = slice_page(rules, page)
    return http.ok(page_envelope([_rule(r) for r in items], page, more, lambda: len(rules)))


@api.get("/asset-link-rules/<code>")
@endpoint("Get a link rule", tag=TAG, action=READ, responses={200: LinkRuleOut})
def get_asset_link_rule(code: str) -> Response:
    return http.ok(_rule(_find_rule(code)))


@api.post("/asset-link-rules")
@endpoint("Create a link rule", tag=TAG, action=MANAGE_STRUCTURE, body=LinkRuleIn,
          responses={201: None})
def create_asset_link_rule() -> Response:
    data = _rule_data(http.json_body(LinkRuleIn))
    rule = create_link_rule(get_session(), data)
    return http.created("api.get_asset_link_rule", code=rule.code)


@api.patch("/asset-link-rules/<code>")
@endpoint("Update or create a link rule", tag=TAG, action=MANAGE_STRUCTURE, body=LinkRuleIn,
          responses={201: None, 204: None})
def patch_asset_link_rule(code: str) -> Response:
    data = _rule_data(http.json_body(LinkRuleIn))
    if data.get("code", code) != code:
        raise ApiError(422, f'The code "{data["code"]}" provided in the request body must '
                            f'match the code "{code}" provided in the url.')
    try:
        _find_rule(code)
    except NotFound:
        create_link_rule(get_session(), {**data, "code": code})
        return http.created("api.get_asset_link_rule", code=code)
    update_link_rule(get_session(), code, {k: v for k, v in data.items() if k != "code"})
    return http.updated("api.get_asset_link_rule", code=code)


def _rule_data(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != "_links"}


@api.delete("/asset-link-rules/<code>")
@endpoint("Delete a link rule", tag=TAG, action=MANAGE_STRUCTURE, responses={204: None})
def delete_asset_link_rule(code: str) -> Response:
    delete_link_rule(get_session(), code)
    return http.no_content()


@api.post("/asset-link-rules/run")
@endpoint("Apply link rules to stored assets, as a job (default: the enabled rules, every "
          "asset)", tag=TAG, action=WRITE_CONTENT, body=LinkRunIn, responses=JOB_STARTED)
def run_asset_link_rules() -> Response:
    data = http.json_body(LinkRunIn)
    job = start_linking(current_app._get_current_object(), asset_codes=data.get("assets"),
                        rule_codes=data.get("rules") or None,
                        created_by=principal().username)
    return job_started(job)


def _presets(code: str) -> dict[str, Any]:
    session = get_session()
    channel = s.get_channel(session, code)
    rules = IMAGE_RULES.get(channel.exporter or "", {})
    return PresetsOut().dump({
        "channel": code, "exporter": channel.exporter,
        "image_presets": channel_presets(session, code),
        "own": dict((channel.settings or {}).get("image_presets") or {}),
        "recommended": recommended_presets(channel.exporter),
        "rules": {name: rule.note for name, rule in rules.items()}})


@api.get("/channels/<code>/image-presets")
@endpoint("The rendition spec of each image field of a channel, and the channel's image "
          "rules", tag="Channels", action=READ, responses={200: PresetsOut})
def get_image_presets(code: str) -> Response:
    return http.ok(_presets(code))


@api.put("/channels/<code>/image-presets")
@endpoint("Set the presets a channel names (checked against the spec grammar and the "
          "channel's image rules)", tag="Channels", action=MANAGE_STRUCTURE, body=PresetsIn,
          responses={200: PresetsOut})
def put_image_presets(code: str) -> Response:
    data = http.json_body(PresetsIn, partial=False)
    save_image_presets(get_session(), code, data["image_presets"],
                       author=principal().username, source="api")
    return http.ok(_presets(code))


@api.post("/channels/<code>/renditions")
@endpoint("Pre-generate a channel's renditions (its presets over the assets its products "
          "show) as a job", tag="Channels", action=WRITE_CONTENT, responses=JOB_STARTED)
def pregenerate_channel(code: str) -> Response:
    s.get_channel(get_session(), code)
    job = start_pregenerate(current_app._get_current_object(), channel=code,
                            created_by=principal().username)
    return job_started(job)
