"""The trash: deleted entities are kept whole and can be put back."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pim.catalog.models import TrashItem
from pim.catalog.resources import ResourceKind, kind
from pim.errors import AlreadyExists, NotFound


def put(session: Session, resource: ResourceKind, entity: Any, *, author: str) -> TrashItem:
    """Move `entity` to the trash (the caller commits)."""
    item = TrashItem(
        resource_type=resource.name,
        resource_id=entity.id,
        code=resource.code_of(entity),
        snapshot=resource.dump(entity),
        deleted_by=author,
    )
    stale = session.scalar(
        select(TrashItem).where(
            TrashItem.resource_type == resource.name, TrashItem.resource_id == entity.id
        )
    )
    if stale is not None:
        session.delete(stale)
        session.flush()
    resource.remove(session, entity)
    session.add(item)
    session.flush()
    return item


def list_trash(session: Session, resource_type: str | None = None) -> list[TrashItem]:
    """List what is in the trash, newest first."""
    query = select(TrashItem).order_by(TrashItem.deleted.desc(), TrashItem.id.desc())
    if resource_type:
        query = query.where(TrashItem.resource_type == resource_type)
    return list(session.scalars(query))


def restore(session: Session, resource_type: str, code: str, *, author: str) -> Any:
    """Put a deleted entity back, with its id, and record it as a new version."""
    resource = kind(resource_type)
    item = session.scalar(
        select(TrashItem)
        .where(TrashItem.resource_type == resource_type, TrashItem.code == code)
        .order_by(TrashItem.deleted.desc())
        .limit(1)
    )
    if item is None:
        raise NotFound(f"{resource.label} in the trash", code)
    column = getattr(resource.model, resource.code_attr)
    if session.scalar(select(resource.model.id).where(column == code)) is not None:
        raise AlreadyExists(resource.label, code)
    try:
        entity = resource.recreate(
            session, item.snapshot, item.resource_id, author=author, source="trash"
        )
        session.delete(item)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return entity


def purge(session: Session, resource_type: str, code: str) -> None:
    """Remove an entity from the trash for good."""
    items = session.scalars(
        select(TrashItem).where(TrashItem.resource_type == resource_type, TrashItem.code == code)
    ).all()
    if not items:
        raise NotFound("trash item", code)
    for item in items:
        session.delete(item)
    session.commit()


__all__ = ["list_trash", "purge", "put", "restore"]
