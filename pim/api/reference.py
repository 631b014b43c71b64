"""Reference data routes built from one description per kind: list, get, create, upsert,
collection PATCH and delete, as Akeneo's API has them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Response
from marshmallow import Schema
from sqlalchemy.orm import Session

from pim import get_session
from pim.api import http
from pim.api.blueprint import api, endpoint, principal
from pim.api.collection import patch_collection
from pim.api.errors import ApiError
from pim.api.paging import page_envelope, paging, read_query, self_link, slice_page
from pim.api.schemas.common import CollectionLine, PageQuery, list_of
from pim.auth.roles import MANAGE_STRUCTURE, READ
from pim.catalog import queries
from pim.errors import NotFound

WRITE_ERRORS = {400: "Malformed JSON", 415: "Wrong content type", 422: "Invalid data"}


@dataclass
class Kind:
    """One kind of reference data and the services that read and write it."""

    name: str
    plural: str
    path: str
    tag: str
    schema_in: type[Schema]
    schema_out: type[Schema]
    # (session, parents, code) -> entity ; (session, parents) -> entities
    get: Callable[[Session, dict, str], Any]
    all: Callable[[Session, dict], list[Any]]
    dump: Callable[[Session, Any], dict[str, Any]]
    # (session, parents, code or None, data, stamp) -> (entity, created)
    save: Callable[..., tuple[Any, bool]] | None = None
    delete: Callable[..., None] | None = None
    filters: tuple[str, ...] = ()
    write: str = MANAGE_STRUCTURE
    parents: tuple[str, ...] = field(default=())

    @property
    def item_endpoint(self) -> str:
        return f"api.get_{self.name}"


def render(kind: Kind, session: Session, entity: Any, parents: dict) -> dict[str, Any]:
    """Dump an entity with its self link through the kind's output schema."""
    data = kind.dump(session, entity)
    data["_links"] = self_link(kind.item_endpoint, code=entity.code, **parents)
    return kind.schema_out().dump(data)


def _stamp() -> dict[str, str]:
    return {"author": principal().username, "source": "api"}


def register(kind: Kind) -> Kind:
    """Add the kind's routes to the API blueprint."""
    item = f"{kind.path}/<code>"
    page = list_of(kind.schema_out, kind.name.title().replace("_", ""))
    missing = {404: f"Unknown {kind.name.replace('_', ' ')}"} if kind.parents else {}
    _route(kind.path, "GET", f"list_{kind.plural}", _lister(kind), endpoint(
        f"List {kind.plural.replace('_', ' ')}", tag=kind.tag, action=READ, query=PageQuery,
        responses={200: page, 422: "Bad filter or page", **missing}))
    _route(item, "GET", f"get_{kind.name}", _getter(kind), endpoint(
        f"Get a {kind.name.replace('_', ' ')}", tag=kind.tag, action=READ,
        responses={200: kind.schema_out, 404: "Not found"}))
    if kind.save is not None:
        _register_writes(kind, item)
    if kind.delete is not None:
        _route(item, "DELETE", f"delete_{kind.name}", _deleter(kind), endpoint(
            f"Delete a {kind.name.replace('_', ' ')} (to the trash)", tag=kind.tag,
            action=kind.write, responses={204: None, 404: "Not found", 422: "In use"}))
    return kind


def _register_writes(kind: Kind, item: str) -> None:
    label = kind.name.replace("_", " ")
    _route(kind.path, "POST", f"create_{kind.name}", _creator(kind), endpoint(
        f"Create a {label}", tag=kind.tag, action=kind.write, body=kind.schema_in,
        responses={201: None, **WRITE_ERRORS}))
    _route(item, "PATCH", f"patch_{kind.name}", _upserter(kind), endpoint(
        f"Update or create a {label}", tag=kind.tag, action=kind.write, body=kind.schema_in,
        responses={201: None, 204: None, **WRITE_ERRORS}))
    _route(kind.path, "PATCH", f"patch_{kind.plural}", _collection(kind), endpoint(
        f"Update or create several {kind.plural.replace('_', ' ')}", tag=kind.tag,
        action=kind.write, body=kind.schema_in, body_type=http.COLLECTION,
        responses={200: CollectionLine, 413: "More than 100 lines",
                   415: "Wrong content type"}))


def _route(rule: str, method: str, name: str, view: Callable, doc: Callable) -> None:
    view.__name__ = name
    api.add_url_rule(rule, endpoint=name, view_func=doc(view), methods=[method])


def _lister(kind: Kind) -> Callable[..., Response]:
    def view(**parents: str) -> Response:
        session = get_session()
        args = read_query(PageQuery)
        page = paging(args)
        entities = queries.filter_reference(kind.all(session, parents), args.get("search"),
                                            kind.filters)
        items, more = slice_page(entities, page)
        body = page_envelope([render(kind, session, e, parents) for e in items], page, more,
                             lambda: len(entities))
        return http.ok(body)

    return view


def _getter(kind: Kind) -> Callable[..., Response]:
    def view(code: str, **parents: str) -> Response:
        session = get_session()
        return http.ok(render(kind, session, kind.get(session, parents, code), parents))

    return view


def _creator(kind: Kind) -> Callable[..., Response]:
    def view(**parents: str) -> Response:
        data = http.json_body(kind.schema_in)
        entity, _ = kind.save(get_session(), parents, None, data, _stamp())
        return http.created(kind.item_endpoint, code=entity.code, **parents)

    return view


def _exists(kind: Kind, session: Session, parents: dict, code: str) -> bool:
    try:
        kind.get(session, parents, code)
    except NotFound:
        return False
    return True


def _upsert(kind: Kind, parents: dict, code: str, data: dict, commit: bool) -> int:
    session = get_session()
    if data.get("code", code) != code:
        raise ApiError(422, f'The code "{data["code"]}" provided in the request body must '
                            f'match the code "{code}" provided in the url.')
    data = {**data, "code": code}
    existing = code if _exists(kind, session, parents, code) else None
    _, created = kind.save(session, parents, existing, data, {**_stamp(), "commit": commit})
    return 201 if created else 204


def _upserter(kind: Kind) -> Callable[..., Response]:
    def view(code: str, **parents: str) -> Response:
        data = http.json_body(kind.schema_in)
        status = _upsert(kind, parents, code, data, True)
        reply = http.created if status == 201 else http.updated
        return reply(kind.item_endpoint, code=code, **parents)

    return view


def _collection(kind: Kind) -> Callable[..., Response]:
    def view(**parents: str) -> Response:
        def handle(data: dict[str, Any]) -> int:
            http.check(kind.schema_in, data)
            return _upsert(kind, parents, data["code"], data, False)

        return patch_collection("code", handle)

    return view


def _deleter(kind: Kind) -> Callable[..., Response]:
    def view(code: str, **parents: str) -> Response:
        session = get_session()
        kind.get(session, parents, code)
        kind.delete(session, parents, code, _stamp()["author"])
        return http.no_content()

    return view
