"""Prism's publication resources: start, list, get, report and roll back publications;
preview a product on its channels; compare channels; rotate a channel's feed secret.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request
from marshmallow import Schema, fields, validate

from exporters.consistency import consistency_report
from exporters.errors import PublicationRunning
from exporters.feeds import feed_url, rotate_feed_secret
from exporters.images import AssetImages, media_path_for
from exporters.live import live_outputs
from exporters.models import MODES, STATUSES
from exporters.preview import preview_listing, preview_on_channel
from exporters.publishing import (
    dump_publication,
    get_publication,
    list_publications,
    problems_by_rule,
    publication_problems,
    start_publication,
    start_rollback,
)
from pim import get_session
from pim.api import http
from pim.api.blueprint import api, endpoint, principal
from pim.api.errors import error_response
from pim.api.paging import page_envelope, paging, read_query, self_link, slice_page
from pim.api.schemas.common import Loose, PageQuery, SelfLink, Strict, list_of
from pim.auth.roles import MANAGE_STRUCTURE, READ, WRITE_CONTENT
from pim.catalog.channels import get_channel

TAG = "Publications"


class PublicationOut(Schema):
    """One publication: its run, counts, output and where it went."""

    _links = fields.Nested(SelfLink, data_key="_links")
    id = fields.Integer(required=True)
    channel = fields.String(required=True)
    kind = fields.String(required=True)
    mode = fields.String(required=True, validate=validate.OneOf(MODES))
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    job = fields.String(required=True, allow_none=True)
    created_by = fields.String(required=True, allow_none=True)
    created = fields.String(required=True, allow_none=True)
    started = fields.String(required=True, allow_none=True)
    finished = fields.String(required=True, allow_none=True)
    base = fields.Integer(required=True, allow_none=True,
                          metadata={"description": "a rollback's target publication"})
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    file = fields.String(required=True, allow_none=True)
    media_type = fields.String(required=True, allow_none=True)
    size = fields.Integer(required=True, allow_none=True)
    checksum = fields.String(required=True, allow_none=True)
    deliveries = fields.List(fields.Dict(), required=True)
    isolation = fields.String(required=True, allow_none=True)
    details = fields.Dict(required=True)
    error = fields.String(required=True, allow_none=True)


class PublicationQuery(PageQuery):
    channel = fields.String(metadata={"description": "only this channel's publications"})
    status = fields.String(validate=validate.OneOf(STATUSES))


class PublicationIn(Strict):
    channel = fields.String(required=True)
    mode = fields.String(load_default="full", validate=validate.OneOf(("full", "delta")))


class ProblemOut(Schema):
    id = fields.Integer(required=True)
    identifier = fields.String(required=True)
    field = fields.String(required=True)
    rule = fields.String(required=True)
    message = fields.String(required=True)
    value = fields.Raw(required=True, allow_none=True)


class ReportQuery(Loose):
    after = fields.Integer(load_default=0, validate=validate.Range(min=0),
                           metadata={"description": "problems after this problem id"})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class ReportOut(Schema):
    publication = fields.Nested(PublicationOut, required=True)
    problems_by_rule = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    problems = fields.List(fields.Nested(ProblemOut), required=True)
    next_after = fields.Integer(required=True, allow_none=True)


class PreviewOut(Schema):
    """What one channel would receive of one product, and what blocks it."""

    channel = fields.String(required=True)
    kind = fields.String(required=True, allow_none=True)
    ready = fields.Boolean(required=True)
    included = fields.Boolean(required=True)
    excluded_because = fields.String(required=True, allow_none=True)
    record = fields.Dict(required=True, allow_none=True)
    problems = fields.List(fields.Dict(), required=True)
    live = fields.Dict(required=True, allow_none=True)
    changed_since_live = fields.Boolean(required=True, allow_none=True)
    channel_errors = fields.List(fields.Dict(), required=True)


class ListingsOut(Schema):
    identifier = fields.String(required=True)
    channels = fields.List(fields.Nested(PreviewOut), required=True)


class ConsistencyQuery(Loose):
    identifiers = fields.String(metadata={"description": "comma-separated product identifiers"})
    limit = fields.Integer(load_default=500, validate=validate.Range(min=1, max=5000))


class ConsistencyOut(Schema):
    channels = fields.List(fields.String(), required=True)
    products = fields.Integer(required=True)
    by_role = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    truncated = fields.Boolean(required=True)
    skipped_channels = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    differences = fields.List(fields.Dict(), required=True)


class FeedSecretOut(Schema):
    secret = fields.String(required=True)
    feed_urls = fields.Dict(keys=fields.String(), values=fields.String(), required=True)


def _publication(publication: Any) -> dict[str, Any]:
    data = dump_publication(publication)
    data["_links"] = self_link("api.get_publication_view", publication_id=publication.id)
    return PublicationOut().dump(data)


def _release_request_session() -> None:
    # the publication runs in sessions of its own: end the request's read transaction first
    get_session().commit()


def _started(publication: Any) -> Response:
    response = http.ok(_publication(publication), 202)
    response.headers["Location"] = _publication(publication)["_links"]["self"]["href"]
    return response


@api.errorhandler(PublicationRunning)
def _running(exc: PublicationRunning) -> Response:
    return error_response(409, exc.message)


STARTED = {202: PublicationOut, 404: "Unknown channel", 409: "A publication is running",
           422: "The channel cannot be published"}


@api.get("/publications")
@endpoint("List publications, newest first", tag=TAG, action=READ, query=PublicationQuery,
          responses={200: list_of(PublicationOut, "Publication"), 404: "Unknown channel"})
def list_publications_view() -> Response:
    args = read_query(PublicationQuery)
    page = paging(args)
    rows = list_publications(get_session(), args.get("channel"), status=args.get("status"),
                             limit=page.offset + page.limit + 1)
    items, more = slice_page(rows, page)
    return http.ok(page_envelope([_publication(p) for p in items], page, more,
                                 lambda: len(rows)))


@api.post("/publications")
@endpoint("Publish a channel (full or delta) as a job", tag=TAG, action=WRITE_CONTENT,
          body=PublicationIn, responses=STARTED)
def start_publication_view() -> Response:
    data = http.json_body(PublicationIn, partial=False)
    loaded = PublicationIn().load(data)
    _release_request_session()
    publication = start_publication(current_app._get_current_object(), loaded["channel"],
                                    delta=loaded["mode"] == "delta",
                                    created_by=principal().username)
    return _started(publication)


@api.get("/publications/<int:publication_id>")
@endpoint("Get a publication", tag=TAG, action=READ,
          responses={200: PublicationOut, 404: "Unknown publication"})
def get_publication_view(publication_id: int) -> Response:
    return http.ok(_publication(get_publication(get_session(), publication_id)))


@api.get("/publications/<int:publication_id>/report")
@endpoint("The problems of the products a publication skipped (field, rule, value)",
          tag=TAG, action=READ, query=ReportQuery,
          responses={200: ReportOut, 404: "Unknown publication"})
def publication_report_view(publication_id: int) -> Response:
    args = read_query(ReportQuery)
    session = get_session()
    publication = get_publication(session, publication_id)
    problems = publication_problems(session, publication_id, limit=args["limit"] + 1,
                                    after=args["after"])
    shown = problems[: args["limit"]]
    return http.ok(ReportOut().dump({
        "publication": _publication(publication),
        "problems_by_rule": problems_by_rule(session, publication_id),
        "problems": [{"id": p.id, "identifier": p.identifier, "field": p.field,
                      "rule": p.rule, "message": p.message, "value": p.value} for p in shown],
        "next_after": shown[-1].id if len(problems) > args["limit"] else None}))


@api.post("/publications/<int:publication_id>/rollback")
@endpoint("Put a publication's output back live (as a new publication, run as a job)",
          tag=TAG, action=WRITE_CONTENT,
          responses={**STARTED, 404: "Unknown publication", 422: "Cannot be put back"})
def rollback_publication_view(publication_id: int) -> Response:
    _release_request_session()
    return _started(start_rollback(current_app._get_current_object(), publication_id,
                                   created_by=principal().username))


def _images() -> AssetImages | None:
    if "media.asset_rendition" not in current_app.view_functions:
        return None
    return AssetImages(get_session(), current_app.config["PUBLIC_URL"],
                       media_path_for(current_app))


@api.get("/channels/<code>/preview/<identifier>")
@endpoint("What a channel will receive of a product, and what blocks it", tag=TAG,
          action=READ, responses={200: PreviewOut, 404: "Unknown channel or product"})
def channel_preview_view(code: str, identifier: str) -> Response:
    preview = preview_on_channel(get_session(), code, identifier,
                                 public_url=current_app.config["PUBLIC_URL"], images=_images())
    return http.ok(PreviewOut().dump(preview.as_dict()))


@api.get("/products/<identifier>/listings")
@endpoint("A product on every channel, side by side: records, problems, what is live",
          tag=TAG, action=READ, responses={200: ListingsOut, 404: "Unknown product"})
def product_listings_view(identifier: str) -> Response:
    previews = preview_listing(get_session(), identifier,
                               public_url=current_app.config["PUBLIC_URL"], images=_images())
    return http.ok(ListingsOut().dump({"identifier": identifier,
                                       "channels": [p.as_dict() for p in previews]}))


@api.get("/channels/<code>/consistency")
@endpoint("Where a channel disagrees with the others on price, availability, GTIN, title",
          tag=TAG, action=READ, query=ConsistencyQuery,
          responses={200: ConsistencyOut, 404: "Unknown channel",
                     422: "The channel has no usable exporter"})
def channel_consistency_view(code: str) -> Response:
    args = read_query(ConsistencyQuery)
    session = get_session()
    get_channel(session, code)
    identifiers = http.query_list("identifiers") if "identifiers" in request.args else None
    report = consistency_report(session, code, public_url=current_app.config["PUBLIC_URL"],
                                identifiers=identifiers, limit=args["limit"])
    return http.ok(ConsistencyOut().dump(report.as_dict()))


@api.post("/channels/<code>/feed-secret")
@endpoint("Give a channel a new feed URL secret (the old URLs stop working)", tag=TAG,
          action=MANAGE_STRUCTURE, responses={200: FeedSecretOut, 404: "Unknown channel"})
def feed_secret_view(code: str) -> Response:
    session = get_session()
    secret = rotate_feed_secret(session, code)
    names = live_outputs(session, get_channel(session, code).id).by_file()
    public = current_app.config["PUBLIC_URL"]
    return http.ok(FeedSecretOut().dump({
        "secret": secret,
        "feed_urls": {name: feed_url(public, code, secret, name) for name in names}}))
