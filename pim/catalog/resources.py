"""What versioning and the trash need to know about each kind of entity."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pim.errors import NotFound


def flatten_top(data: dict[str, Any]) -> dict[str, Any]:
    """The flat form of reference data: its top-level properties."""
    return dict(data)


@dataclass(frozen=True)
class ResourceKind:
    """One versioned, trashable kind of entity and how to read and write it."""

    name: str
    label: str
    model: type
    code_attr: str
    dump: Callable[[Any], dict[str, Any]]
    # write a whole state back (restore, revert): (session, code, data, **stamp) -> entity
    replace: Callable[..., Any]
    # recreate from the trash keeping the id: (session, data, entity_id, **stamp) -> entity
    recreate: Callable[..., Any]
    # remove for good from the live tables (the trash keeps a copy)
    remove: Callable[[Session, Any], None]
    flatten: Callable[[dict[str, Any]], dict[str, Any]] = flatten_top
    unflatten: Callable[[Session, dict[str, Any]], dict[str, Any]] = field(
        default=lambda session, flat: dict(flat)
    )
    versioned: bool = True

    def code_of(self, entity: Any) -> str:
        return getattr(entity, self.code_attr)

    def find(self, session: Session, code: str) -> Any:
        column = getattr(self.model, self.code_attr)
        entity = session.scalar(select(self.model).where(column == code))
        if entity is None:
            raise NotFound(self.label, code)
        return entity


KINDS: dict[str, ResourceKind] = {}


def register_kind(kind: ResourceKind) -> ResourceKind:
    """Register a kind of entity for versioning and the trash."""
    KINDS[kind.name] = kind
    return kind


def kind(name: str) -> ResourceKind:
    """Return the registered kind `name`."""
    import pim.catalog.services  # noqa: F401  (registers every kind)

    try:
        return KINDS[name]
    except KeyError:
        raise NotFound("resource type", name) from None
