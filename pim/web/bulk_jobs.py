"""Bulk edits of products as a job: one changeset, one savepoint per product, a report.

Actions: set one value, add to a category, enable, disable. A product that refuses the
change (a validation rule, a variant attribute) is reported and left as it was; the others
land, stamped with the bulk changeset so the whole edit can be reverted as one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from pim.catalog import services as s
from pim.errors import PrismError
from pim.jobs import JobContext, job_handler

KIND = "bulk_edit"
COMMIT_EVERY = 50
MAX_REPORTED = 500
ACTIONS: dict[str, Callable[[Session, str, dict[str, Any]], dict[str, Any]]] = {}


def action(name: str) -> Callable[[Callable[..., dict]], Callable[..., dict]]:
    """Register how a bulk action turns into a product patch."""

    def register(func: Callable[..., dict]) -> Callable[..., dict]:
        ACTIONS[name] = func
        return func

    return register


@action("set_value")
def _set_value(db: Session, identifier: str, payload: dict[str, Any]) -> dict[str, Any]:
    entry = {"locale": payload.get("locale"), "scope": payload.get("scope"),
             "data": payload.get("data")}
    return {"values": {payload["attribute"]: [entry]}}


@action("add_category")
def _add_category(db: Session, identifier: str, payload: dict[str, Any]) -> dict[str, Any]:
    current = [c.code for c in s.get_product(db, identifier).categories]
    wanted = payload["category"]
    return {"categories": current if wanted in current else [*current, wanted]}


@action("enable")
def _enable(db: Session, identifier: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {"enabled": True}


@action("disable")
def _disable(db: Session, identifier: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {"enabled": False}


def describe(action_name: str, payload: dict[str, Any], count: int) -> str:
    """Say in words what a bulk edit does."""
    what = {
        "set_value": f"set {payload.get('attribute')}",
        "add_category": f"add to category {payload.get('category')}",
        "enable": "enable", "disable": "disable",
    }.get(action_name, action_name)
    return f"Bulk edit: {what} on {count} product{'' if count == 1 else 's'}"


@job_handler(KIND)
def run_bulk_edit(ctx: JobContext, identifiers: list[str], action: str,
                  payload: dict[str, Any], author: str) -> dict[str, Any]:
    """Apply one action to every product named, as one changeset."""
    patch_for = ACTIONS[action]
    failed: list[dict[str, str]] = []
    changed = 0
    with ctx.session() as db:
        changeset = s.new_changeset(db, author, f"bulk:{action}",
                                    describe(action, payload, len(identifiers)))
        db.commit()
        ctx.set_changeset(changeset)
        for done, identifier in enumerate(identifiers, start=1):
            ctx.raise_if_cancelled()
            try:
                with db.begin_nested():
                    s.update_product(db, identifier, patch_for(db, identifier, payload),
                                     author=author, source="ui", changeset_id=changeset,
                                     commit=False)
                changed += 1
            except PrismError as exc:
                failed.append({"identifier": identifier, "error": exc.message})
            if done % COMMIT_EVERY == 0:
                db.commit()
                # progress only between batches: on SQLite an open write would block it
                ctx.progress(done, len(identifiers))
        db.commit()
    ctx.progress(len(identifiers), len(identifiers))
    return {"changeset": changeset, "changed": changed, "failed_count": len(failed),
            "failed": failed[:MAX_REPORTED]}
