"""Land items in the catalog in batches: partial, atomic or dry run, one changeset.

- partial: each item in its own savepoint; a batch is committed whole, so an import
  stopped midway leaves whole batches, and running it again completes it (upsert).
- atomic: every item is still tried (the report is complete); the transaction is
  committed only if no item failed.
- dry run: like atomic, then rolled back whatever happened.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Protocol

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from pim.catalog.structure_cache import forget_structure
from pim.collector import young_collections
from pim.errors import PrismError, ValidationError
from pim.imports.items import FAILED, OUTCOMES, Item, Problem, field_problems
from pim.imports.writing import WriteContext

PARTIAL = "partial"
ATOMIC = "atomic"
MODES = (PARTIAL, ATOMIC)
BATCH_SIZE = 1000
CONTENT_KINDS = frozenset({"product", "product_model"})


class Converter(Protocol):
    """Turns one file's rows into items and writes them."""

    entity: str

    def items(self, rows: Callable[[], Iterable[tuple[int, dict[str, str]]]]
              ) -> Iterator[Item]: ...

    def write(self, session: Session, item: Item, ctx: WriteContext) -> str: ...


class IssueSink(Protocol):
    """Where refused items and warnings go."""

    def failed(self, item: Item, problems: list[Problem]) -> None: ...

    def warned(self, item: Item) -> None: ...


@dataclass
class Task:
    """One file to import: its name, kind, converter and a way to read its rows."""

    name: str
    kind: str
    converter: Any
    rows: Callable[[], Iterable[tuple[int, dict[str, str]]]]
    # the items read and checked by another process, when one does (pim.imports.ahead)
    ahead: Iterable[Item] | None = None


@dataclass
class Tally:
    """What the import did so far."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    rows: int = 0
    failed_rows: int = 0
    warned_rows: int = 0

    def add(self, kind: str, outcome: str, rows: int) -> None:
        kinds = self.counts.setdefault(kind, dict.fromkeys(OUTCOMES, 0))
        kinds[outcome] += 1
        self.rows += rows
        if outcome == FAILED:
            self.failed_rows += rows

    @property
    def failed_items(self) -> int:
        return sum(kinds[FAILED] for kinds in self.counts.values())


BatchHook = Callable[["Engine"], None]


class Engine:
    """Write the items of each task through its converter, batch after batch."""

    def __init__(self, session: Session, ctx: WriteContext, sink: IssueSink, *,
                 mode: str = PARTIAL, dry_run: bool = False, batch_size: int = BATCH_SIZE,
                 after_batch: BatchHook | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown import mode {mode!r}")
        self.session = session
        self.ctx = ctx
        self.sink = sink
        self.mode = mode
        self.dry_run = dry_run
        self.batch_size = max(1, batch_size)
        self.after_batch = after_batch or (lambda engine: None)
        self.tally = Tally()
        self.batches = 0

    @property
    def commits_batches(self) -> bool:
        return self.mode == PARTIAL and not self.dry_run

    def run(self, tasks: list[Task]) -> bool:
        """Import every task; return whether the writes were kept (committed)."""
        try:
            # a batch's rows, values and checks are freed by reference counting; full
            # collections over them would only rescan the heap, batch after batch
            with young_collections(every=2) as collected:
                for task in tasks:
                    self._run_task(task, collected)
        except BaseException:
            self.session.rollback()
            raise
        if self.dry_run or (self.mode == ATOMIC and self.tally.failed_items):
            self.session.rollback()
            return False
        self.session.commit()
        return True

    def _run_task(self, task: Task, collected: Callable[[], None]) -> None:
        self.ctx.new_task()
        items = iter(task.ahead if task.ahead is not None else task.converter.items(task.rows))
        try:
            while batch := list(islice(items, self.batch_size)):
                self._write_batch(task, batch)
                if self.commits_batches:
                    self.session.commit()
                self.batches += 1
                self.after_batch(self)
                del batch  # freed before the collector looks at young objects
                collected()
        finally:
            close = getattr(items, "close", None)
            if close is not None:  # a reader ahead stops its process at once
                close()

    def _write_batch(self, task: Task, batch: list[Item]) -> None:
        bulk = getattr(task.converter, "write_many", None)
        if bulk is not None:
            ready = [item for item in batch if not self._refused(task.converter, item)]
            for item, outcome in bulk(self.session, ready, self.ctx, self._write_one):
                self._settle(item, outcome)
            return
        for item in batch:
            if not self._refused(task.converter, item):
                self._settle(item, self._write_one(task.converter, item))

    def _refused(self, converter: Any, item: Item) -> bool:
        """Settle an item refused while reading; the service still checks the rest of it."""
        if not item.problems:
            return False
        found = self._write_one(converter, item, keep=False)
        self._settle(item, item.problems + (found if isinstance(found, list) else []))
        return True

    def _write_one(self, converter: Any, item: Item, keep: bool = True) -> str | list[Problem]:
        """Write one item in its own savepoint; return its outcome or its problems."""
        effects = dict(self.ctx.side_effects)
        savepoint = self.session.begin_nested()
        try:
            outcome = converter.write(self.session, item, self.ctx)
            if not keep:
                raise _Checked
            savepoint.commit()
            return outcome
        except _Checked:
            problems = []
        except ValidationError as exc:
            problems = field_problems(item, exc.errors)
        except PrismError as exc:
            problems = [Problem(None, exc.message)]
        except SQLAlchemyError as exc:
            problems = [Problem(None, f"the database refused the row: {_first_line(exc)}")]
        savepoint.rollback()
        self.ctx.side_effects = effects
        if item.kind not in CONTENT_KINDS:
            forget_structure(self.session)
        return problems

    def _settle(self, item: Item, outcome: str | list[Problem]) -> None:
        rows = len(item.rows) - item.shared_rows
        if isinstance(outcome, list):
            self.tally.add(item.kind, FAILED, rows)
            self.sink.failed(item, outcome)
            return
        self.tally.add(item.kind, outcome, rows)
        if item.warnings:
            self.tally.warned_rows += rows
            self.sink.warned(item)


class _Checked(Exception):
    """Raised to roll back an item written only to check it."""


def _first_line(exc: Exception) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__
