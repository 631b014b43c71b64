"""Writes that span the database and the storage: objects put for a failed write are removed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.orm import Session

from assets.models import Rendition, StoredFile
from assets.storage import Storage


@contextmanager
def writing(session: Session, storage: Storage, commit: bool) -> Iterator[list[str]]:
    """Run DB writes in a savepoint; on failure delete the storage keys staged meanwhile."""
    staged: list[str] = []
    try:
        with session.begin_nested():
            yield staged
    except BaseException:
        drop_orphans(session, storage, staged)
        raise
    if commit:
        try:
            session.commit()
        except BaseException:
            session.rollback()
            drop_orphans(session, storage, staged)
            raise


def drop_orphans(session: Session, storage: Storage, keys: list[str]) -> None:
    """Delete the storage objects among `keys` that no file or rendition row refers to."""
    for key in keys:
        used = session.scalar(select(StoredFile.id).where(StoredFile.storage_key == key))
        used = used or session.scalar(select(Rendition.id).where(Rendition.storage_key == key))
        if used is None:
            storage.delete(key)
