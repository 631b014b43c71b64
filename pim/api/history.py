"""Prism's own resources: versions (list, get, diff, restore), changesets, the trash, jobs."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request, url_for

from pim import get_session
from pim.api import http
from pim.api.blueprint import api, endpoint, principal
from pim.api.errors import ApiError
from pim.api.paging import page_envelope, paging, read_query, self_link, slice_page
from pim.api.schemas.common import PageQuery, list_of
from pim.api.schemas.history import (
    ChangesetOut,
    DiffOut,
    JobOut,
    RestoreIn,
    RevertOut,
    TrashItemOut,
    TrashRestoreIn,
    VersionDetail,
    VersionOut,
)
from pim.auth.roles import MANAGE_STRUCTURE, READ, WRITE_CONTENT
from pim.catalog import queries
from pim.catalog import services as s
from pim.jobs import cancel_job, list_jobs, stale_after
from pim.jobs import get_job as read_job

TAG = "History"
VERSIONED = {"products": "product", "product-models": "product_model", "families": "family",
             "attributes": "attribute", "categories": "category", "channels": "channel"}
CONTENT = ("product", "product_model")
ITEM_ENDPOINTS = {"product": ("api.get_product", "identifier"),
                  "product_model": ("api.get_product_model", "code")}


def writer_action(kinds: Any) -> str:
    """Content may be put back by editors; anything else needs an admin."""
    return WRITE_CONTENT if set(kinds) <= set(CONTENT) else MANAGE_STRUCTURE


def _iso(moment: Any) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def _version(version: Any, path: str, code: str) -> dict[str, Any]:
    return {"_links": self_link(f"api.get_version_{VERSIONED[path]}", code=code,
                                number=version.number),
            "number": version.number, "author": version.author, "source": version.source,
            "created": _iso(version.created), "comment": version.comment,
            "changeset": version.changeset_id, "changes": version.changes}


def _register_versions(path: str, kind: str) -> None:
    base = f"/{path}/<code>/versions"
    label = kind.replace("_", " ")

    def list_view(code: str) -> Response:
        page = paging(read_query(PageQuery))
        versions = s.versions_of(get_session(), kind, code)
        items, more = slice_page(versions, page)
        return http.ok(page_envelope([VersionOut().dump(_version(v, path, code)) for v in items],
                                     page, more, lambda: len(versions)))

    def get_view(code: str, number: int) -> Response:
        session = get_session()
        data = _version(s.get_version(session, kind, code, number), path, code)
        data["snapshot"] = s.state_at(session, kind, code, number)
        return http.ok(VersionDetail().dump(data))

    def diff_view(code: str, number: int, other: int) -> Response:
        changes = s.diff_versions(get_session(), kind, code, number, other)
        return http.ok(DiffOut().dump({"resource": kind, "code": code, "first": number,
                                       "second": other, "changes": changes}))

    def restore_view(code: str, number: int) -> Response:
        body = http.json_body(RestoreIn) if http.raw_text().strip() else {}
        entity = s.restore_version(get_session(), kind, code, number,
                                   author=principal().username, comment=body.get("comment"))
        response = http.no_content()
        target, key = ITEM_ENDPOINTS.get(kind, (f"api.get_{kind}", "code"))
        response.headers["Location"] = url_for(target, _external=True,
                                               **{key: getattr(entity, key, code)})
        return response

    page = list_of(VersionOut, f"Version{kind.title().replace('_', '')}")
    routes = [
        (base, "GET", f"list_versions_{kind}", list_view, endpoint(
            f"List the versions of a {label}", tag=TAG, action=READ, query=PageQuery,
            responses={200: page, 404: "Unknown entity"})),
        (f"{base}/<int:number>", "GET", f"get_version_{kind}", get_view, endpoint(
            f"Get one version of a {label}, with the whole {label} as it was", tag=TAG,
            action=READ, responses={200: VersionDetail, 404: "Unknown version"})),
        (f"{base}/<int:number>/diff/<int:other>", "GET", f"diff_versions_{kind}", diff_view,
         endpoint(f"What differs between two versions of a {label}", tag=TAG, action=READ,
                  responses={200: DiffOut, 404: "Unknown version"})),
        (f"{base}/<int:number>/restore", "POST", f"restore_version_{kind}", restore_view,
         endpoint(f"Put a {label} back as it was at a version (a new version)", tag=TAG,
                  action=writer_action([kind]), body=RestoreIn,
                  responses={204: None, 404: "Unknown version", 422: "Cannot restore"})),
    ]
    for rule, method, name, view, doc in routes:
        view.__name__ = name
        api.add_url_rule(rule, endpoint=name, view_func=doc(view), methods=[method])


for _path, _kind in VERSIONED.items():
    _register_versions(_path, _kind)


def _changeset(changeset: Any, versions: int) -> dict[str, Any]:
    return {"_links": self_link("api.get_changeset", changeset_id=changeset.id),
            "id": changeset.id, "author": changeset.author, "source": changeset.source,
            "description": changeset.description, "created": _iso(changeset.created),
            "reverted_by": changeset.reverted_by, "versions": versions}


@api.get("/changesets")
@endpoint("List bulk changesets, newest first", tag=TAG, action=READ, query=PageQuery,
          responses={200: list_of(ChangesetOut, "Changeset")})
def list_changesets() -> Response:
    page = paging(read_query(PageQuery))
    rows = s.list_changesets(get_session(), limit=page.offset + page.limit + 1)
    items, more = slice_page(rows, page)
    return http.ok(page_envelope([ChangesetOut().dump(_changeset(c, n)) for c, n in items],
                                 page, more, lambda: len(rows)))


@api.get("/changesets/<changeset_id>")
@endpoint("Get a changeset", tag=TAG, action=READ,
          responses={200: ChangesetOut, 404: "Unknown changeset"})
def get_changeset(changeset_id: str) -> Response:
    session = get_session()
    changeset = s.get_changeset(session, changeset_id)
    count = sum(queries.changeset_kinds(session, changeset_id).values())
    return http.ok(ChangesetOut().dump(_changeset(changeset, count)))


@api.post("/changesets/<changeset_id>/revert")
@endpoint("Revert every change of a changeset, as a new changeset", tag=TAG,
          action=WRITE_CONTENT, responses={200: RevertOut, 404: "Unknown changeset",
                                           422: "Already reverted"})
def revert_changeset(changeset_id: str) -> Response:
    session = get_session()
    s.get_changeset(session, changeset_id)
    principal().require(writer_action(queries.changeset_kinds(session, changeset_id)))
    report = s.revert_changeset(session, changeset_id, author=principal().username)
    return http.ok(RevertOut().dump(report.as_dict()))


@api.get("/trash")
@endpoint("List what is in the trash, newest first", tag=TAG, action=READ, query=PageQuery,
          responses={200: list_of(TrashItemOut, "Trash")})
def list_trash() -> Response:
    page = paging(read_query(PageQuery))
    items_all = s.list_trash(get_session(), request.args.get("resource") or None)
    items, more = slice_page(items_all, page)
    body = [TrashItemOut().dump({"resource": i.resource_type, "code": i.code,
                                 "deleted_by": i.deleted_by, "deleted": _iso(i.deleted),
                                 "snapshot": i.snapshot}) for i in items]
    return http.ok(page_envelope(body, page, more, lambda: len(items_all)))


@api.post("/trash/restore")
@endpoint("Put a deleted entity back from the trash", tag=TAG, action=WRITE_CONTENT,
          body=TrashRestoreIn, responses={201: None, 400: "Malformed JSON",
                                          404: "Not in the trash", 422: "Cannot restore"})
def restore_trash() -> Response:
    data = http.json_body(TrashRestoreIn, partial=False)
    principal().require(writer_action([data["resource"]]))
    s.restore_from_trash(get_session(), data["resource"], data["code"],
                         author=principal().username)
    target, key = ITEM_ENDPOINTS.get(data["resource"], (None, "code"))
    if target is None and f"api.get_{data['resource']}" in current_app.view_functions:
        target = f"api.get_{data['resource']}"
    if target is None:
        raise ApiError(422, f"restored {data['resource']} {data['code']!r}, which has no "
                            "resource of its own")
    return http.created(target, **{key: data["code"]})


def _job(job: Any) -> dict[str, Any]:
    data = job.as_dict(stale_after(current_app))
    data["_links"] = self_link("api.get_job", job_id=job.id)
    return JobOut().dump(data)


@api.get("/jobs")
@endpoint("List jobs, newest first", tag="Jobs", action=READ, query=PageQuery,
          responses={200: list_of(JobOut, "Job")})
def list_jobs_view() -> Response:
    page = paging(read_query(PageQuery))
    jobs = list_jobs(get_session(), limit=page.offset + page.limit + 1)
    items, more = slice_page(jobs, page)
    return http.ok(page_envelope([_job(j) for j in items], page, more, lambda: len(jobs)))


@api.get("/jobs/<job_id>")
@endpoint("Get a job: status, progress, pace and report", tag="Jobs", action=READ,
          responses={200: JobOut, 404: "Unknown job"})
def get_job(job_id: str) -> Response:
    return http.ok(_job(read_job(get_session(), job_id)))


@api.post("/jobs/<job_id>/cancel")
@endpoint("Cancel a job (queued) or ask it to stop (running)", tag="Jobs",
          action=WRITE_CONTENT, responses={200: JobOut, 404: "Unknown job",
                                           422: "Already finished"})
def cancel_job_view(job_id: str) -> Response:
    return http.ok(_job(cancel_job(get_session(), job_id)))
