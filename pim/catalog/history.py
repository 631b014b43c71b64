"""Versions: record every change, rebuild any version, diff, restore."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pim.catalog.models import Changeset, Version
from pim.catalog.models.history import creation_changes
from pim.catalog.resources import ResourceKind, kind
from pim.errors import NotFound

SNAPSHOT_KEY = "prism.snapshot_every"
MISSING = object()


def diff_flat(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return {key: {"old", "new"}} for every key whose value differs."""
    if not before:  # a creation: every value is new
        return creation_changes(after)
    changes = {}
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        if old != new:
            changes[key] = {"old": old, "new": new}
    return changes


def new_changeset(session: Session, author: str, source: str, description: str = "") -> str:
    """Open a changeset for a bulk operation and return its id."""
    changeset = Changeset(
        id=str(uuid.uuid4()), author=author, source=source, description=description
    )
    session.add(changeset)
    session.flush()
    return changeset.id


def record(
    session: Session,
    resource: ResourceKind,
    entity: Any,
    before: dict[str, Any] | None,
    *,
    author: str,
    source: str,
    comment: str | None = None,
    changeset_id: str | None = None,
) -> Version | None:
    """Write a version of `entity` if its state differs from `before` (flat)."""
    session.flush()
    after = resource.flatten(resource.dump(entity))
    changes = diff_flat(before or {}, after)
    if before is not None and not changes:
        return None
    number = _last_number(session, resource.name, entity.id) + 1
    every = session.info.get(SNAPSHOT_KEY, 10)
    version = Version(
        resource_type=resource.name,
        resource_id=entity.id,
        resource_code=resource.code_of(entity),
        number=number,
        author=author,
        source=source,
        comment=comment,
        # a creation's changes are its snapshot's values: not stored twice
        stored_changes=None if number == 1 and not before else changes,
        snapshot=after if number == 1 or number % every == 0 else None,
        changeset_id=changeset_id,
    )
    session.add(version)
    return version


def _last_number(session: Session, resource_type: str, resource_id: int) -> int:
    return session.scalar(
        select(func.coalesce(func.max(Version.number), 0)).where(
            Version.resource_type == resource_type, Version.resource_id == resource_id
        )
    )


def versions_of(session: Session, resource_type: str, code: str) -> list[Version]:
    """List the versions of one entity, newest first."""
    entity_id = _entity_id(session, resource_type, code)
    return list(session.scalars(
        select(Version)
        .where(Version.resource_type == resource_type, Version.resource_id == entity_id)
        .order_by(Version.number.desc())
    ))


def _entity_id(session: Session, resource_type: str, code: str) -> int:
    resource = kind(resource_type)
    column = getattr(resource.model, resource.code_attr)
    entity_id = session.scalar(select(resource.model.id).where(column == code))
    if entity_id is None:
        entity_id = session.scalar(
            select(Version.resource_id)
            .where(Version.resource_type == resource_type, Version.resource_code == code)
            .order_by(Version.id.desc())
            .limit(1)
        )
    if entity_id is None:
        raise NotFound(resource.label, code)
    return entity_id


def get_version(session: Session, resource_type: str, code: str, number: int) -> Version:
    """Return version `number` of an entity."""
    entity_id = _entity_id(session, resource_type, code)
    version = session.scalar(
        select(Version).where(
            Version.resource_type == resource_type,
            Version.resource_id == entity_id,
            Version.number == number,
        )
    )
    if version is None:
        raise NotFound("version", f"{resource_type} {code} #{number}")
    return version


def rebuild(session: Session, resource_type: str, entity_id: int, number: int) -> dict[str, Any]:
    """Rebuild the flat state of an entity as of version `number`."""
    base = session.scalar(
        select(Version)
        .where(
            Version.resource_type == resource_type,
            Version.resource_id == entity_id,
            Version.number <= number,
            Version.snapshot.is_not(None),
        )
        .order_by(Version.number.desc())
        .limit(1)
    )
    if base is None:
        raise NotFound("version", f"{resource_type} #{entity_id} v{number}")
    state = dict(base.snapshot)
    later = session.scalars(
        select(Version)
        .where(
            Version.resource_type == resource_type,
            Version.resource_id == entity_id,
            Version.number > base.number,
            Version.number <= number,
        )
        .order_by(Version.number)
    )
    for version in later:
        apply_changes(state, version.changes)
    return state


def apply_changes(state: dict[str, Any], changes: dict[str, dict[str, Any]], side: str = "new"
                  ) -> None:
    """Move `state` along a changeset (side "new") or back (side "old")."""
    for key, change in changes.items():
        if change[side] is None:
            state.pop(key, None)
        else:
            state[key] = change[side]


def state_at(session: Session, resource_type: str, code: str, number: int) -> dict[str, Any]:
    """Return the entity as it was at version `number`, in its API shape."""
    entity_id = _entity_id(session, resource_type, code)
    resource = kind(resource_type)
    return resource.unflatten(session, rebuild(session, resource_type, entity_id, number))


def diff_versions(
    session: Session, resource_type: str, code: str, first: int, second: int
) -> dict[str, dict[str, Any]]:
    """Return what differs between two versions of an entity."""
    entity_id = _entity_id(session, resource_type, code)
    return diff_flat(
        rebuild(session, resource_type, entity_id, first),
        rebuild(session, resource_type, entity_id, second),
    )


def restore_version(
    session: Session, resource_type: str, code: str, number: int, *, author: str,
    comment: str | None = None,
) -> Any:
    """Put an entity back as it was at version `number`, as a new version."""
    resource = kind(resource_type)
    data = state_at(session, resource_type, code, number)
    return resource.replace(
        session, code, data, author=author, source=f"restore:{number}", comment=comment
    )
