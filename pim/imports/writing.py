"""How items reach the catalog: the stamp of the import, and upsert through services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from pim.errors import NotFound
from pim.imports.items import CREATED, UNCHANGED, UPDATED


@dataclass
class WriteContext:
    """Who writes, under which changeset, and the options that change how rows land."""

    author: str
    source: str
    changeset_id: str | None = None
    create_missing_options: bool = False
    media: Any = None
    # what the import created on the side (options, ...): {kind: count}
    side_effects: dict[str, int] = field(default_factory=dict)
    # bulk creation: the axis values taken under each parent id, as this import has read
    # and written them, and the creator that keeps them (see pim.imports.bulk)
    siblings: dict[int, set[tuple[Any, ...]]] = field(default_factory=dict)
    bulk: Any = None

    def new_task(self) -> None:
        """Forget what bulk creation kept: the next file may follow other writes."""
        self.bulk = None
        self.siblings.clear()

    def stamp(self) -> dict[str, Any]:
        """Keyword arguments every service call of the import takes."""
        return {"author": self.author, "source": self.source,
                "changeset_id": self.changeset_id, "commit": False}

    def memo(self, session: Session, name: str, load: Callable[[], Any]) -> Any:
        """Keep what `load` reads for the rest of the import's transaction."""
        memos = session.info.setdefault("prism.import.memo", {})
        if name not in memos:
            memos[name] = load()
        return memos[name]

    def note(self, what: str, count: int = 1) -> None:
        """Count something the import did besides writing its rows."""
        self.side_effects[what] = self.side_effects.get(what, 0) + count


def upsert(
    session: Session, code: str, data: dict[str, Any], *,
    find: Callable[[Session, str], Any], dump: Callable[[Any], dict[str, Any]],
    create: Callable[..., Any], update: Callable[..., Any], stamp: dict[str, Any],
) -> str:
    """Create the entity `code` or patch it; say whether it was created, updated or not."""
    try:
        existing = find(session, code)
    except NotFound:
        create(session, data, **stamp)
        return CREATED
    before = dump(existing)
    update(session, code, data, **stamp)
    return UNCHANGED if dump(existing) == before else UPDATED
