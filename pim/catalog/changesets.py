"""Bulk changesets: list what one import or bulk edit changed, and revert it as one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pim.catalog import history, trash
from pim.catalog.models import Changeset, Version
from pim.catalog.resources import kind
from pim.errors import NotFound, PrismError


@dataclass
class RevertReport:
    """What a revert did and what it had to leave alone."""

    changeset_id: str
    revert_id: str
    reverted: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "changeset": self.changeset_id,
            "revert_changeset": self.revert_id,
            "reverted": self.reverted,
            "removed": self.removed,
            "conflicts": self.conflicts,
        }


def get_changeset(session: Session, changeset_id: str) -> Changeset:
    """Return the changeset `changeset_id`."""
    changeset = session.get(Changeset, changeset_id)
    if changeset is None:
        raise NotFound("changeset", changeset_id)
    return changeset


def list_changesets(session: Session, limit: int = 50) -> list[tuple[Changeset, int]]:
    """List recent changesets with how many versions each wrote."""
    counts = (select(Version.changeset_id, func.count().label("n"))
              .group_by(Version.changeset_id).subquery())
    rows = session.execute(
        select(Changeset, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.changeset_id == Changeset.id)
        .order_by(Changeset.created.desc()).limit(limit)
    ).all()
    return [(row[0], row[1]) for row in rows]


def revert_changeset(session: Session, changeset_id: str, *, author: str) -> RevertReport:
    """Undo every change of a changeset as a new changeset; later edits are kept."""
    changeset = get_changeset(session, changeset_id)
    if changeset.reverted_by:
        raise PrismError(f"changeset {changeset_id} was already reverted by "
                         f"{changeset.reverted_by}")
    revert_id = history.new_changeset(session, author, f"revert:{changeset_id}",
                                      f"Revert of {changeset.description or changeset_id}")
    report = RevertReport(changeset_id, revert_id)
    for (resource_type, entity_id), versions in _versions_by_entity(session, changeset_id):
        _revert_entity(session, resource_type, entity_id, versions, report, author)
    changeset.reverted_by = revert_id
    session.commit()
    return report


def _versions_by_entity(session: Session, changeset_id: str) -> list:
    grouped: dict[tuple[str, int], list[Version]] = {}
    for version in session.scalars(select(Version).where(Version.changeset_id == changeset_id)
                                   .order_by(Version.id)):
        grouped.setdefault((version.resource_type, version.resource_id), []).append(version)
    # undo children before parents: products, then models, then structure
    order = {"product": 0, "product_model": 1}
    return sorted(grouped.items(), key=lambda item: (order.get(item[0][0], 2), -item[1][0].id))


def _revert_entity(session: Session, resource_type: str, entity_id: int,
                   versions: list[Version], report: RevertReport, author: str) -> None:
    resource = kind(resource_type)
    first, last = versions[0], versions[-1]
    code = last.resource_code
    entity = session.get(resource.model, entity_id)
    if entity is None:
        report.conflicts.append({"resource": resource_type, "code": code,
                                 "reason": "it was deleted since"})
        return
    newest = history._last_number(session, resource_type, entity_id)
    changed_later = _keys_changed_after(session, resource_type, entity_id, last.number)
    touched = {key for v in versions for key in v.changes}
    clashes = sorted(touched & changed_later)
    if first.number == 1:
        _revert_creation(session, resource, entity, code, newest, last, report, author)
        return
    target = history.rebuild(session, resource_type, entity_id, newest)
    before = history.rebuild(session, resource_type, entity_id, first.number - 1)
    for key in touched - set(clashes):
        if key in before:
            target[key] = before[key]
        else:
            target.pop(key, None)
    if clashes:
        report.conflicts.append({"resource": resource_type, "code": code,
                                 "reason": "changed again since", "keys": clashes})
    resource.replace(session, code, resource.unflatten(session, target), author=author,
                     source=f"revert:{report.changeset_id}", changeset_id=report.revert_id,
                     commit=False)
    report.reverted.append(f"{resource_type}:{code}")


def _revert_creation(session: Session, resource: Any, entity: Any, code: str, newest: int,
                     last: Version, report: RevertReport, author: str) -> None:
    if newest != last.number:
        report.conflicts.append({"resource": resource.name, "code": code,
                                 "reason": "created by the changeset and edited since"})
        return
    trash.put(session, resource, entity, author=author)
    report.removed.append(f"{resource.name}:{code}")


def _keys_changed_after(session: Session, resource_type: str, entity_id: int, number: int
                        ) -> set[str]:
    keys: set[str] = set()
    for version in session.scalars(select(Version).where(
            Version.resource_type == resource_type, Version.resource_id == entity_id,
            Version.number > number)):
        keys.update(version.changes)
    return keys
