"""What products and product models share: categories, stamps, saving with a version."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from pim.catalog import history
from pim.catalog.codes import Collector, check_code_list
from pim.catalog.models import Category
from pim.catalog.resources import ResourceKind
from pim.db import utcnow
from pim.errors import AlreadyExists, ConflictError

READ_ONLY = frozenset({"created", "updated", "metadata", "_links", "uuid", "completeness"})


@dataclass(frozen=True)
class Stamp:
    """Who changes something, from where, and under which bulk changeset."""

    author: str
    source: str = "ui"
    comment: str | None = None
    changeset_id: str | None = None


def resolve_categories(session: Session, value: Any, errors: Collector) -> list[Category]:
    """Return the categories named by `value`, reporting unknown codes."""
    codes = check_code_list(value, errors, "categories")
    if not codes:
        return []
    found = {c.code: c for c in session.scalars(select(Category).where(Category.code.in_(codes)))}
    for code in codes:
        if code not in found:
            errors.add("categories", f"category {code!r} does not exist")
    return [found[c] for c in codes if c in found]


def check_expected_version(entity: Any, expected: int | None, label: str, code: str) -> None:
    """Refuse a write based on a version that is no longer current."""
    if expected is not None and entity.version != expected:
        raise ConflictError(label, code, expected, entity.version)


def save(
    session: Session,
    resource: ResourceKind,
    entity: Any,
    before: dict[str, Any] | None,
    stamp: Stamp,
    *,
    commit: bool,
) -> bool:
    """Version the change of `entity` and commit; return whether anything changed."""
    after = resource.flatten(resource.dump(entity))
    changed = before is None or history.diff_flat(before, after) != {}
    if changed and before is not None and hasattr(type(entity), "updated"):
        entity.updated = utcnow()
    try:
        if resource.versioned:
            history.record(
                session, resource, entity, before, author=stamp.author, source=stamp.source,
                comment=stamp.comment, changeset_id=stamp.changeset_id,
            )
        else:
            session.flush()
        if commit:
            session.commit()
    except StaleDataError:
        if commit:
            session.rollback()
        raise ConflictError(resource.label, resource.code_of(entity), entity.version, -1)
    except IntegrityError as exc:
        if commit:
            session.rollback()
        raise AlreadyExists(resource.label, resource.code_of(entity)) from exc
    return changed
