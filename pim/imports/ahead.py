"""Read and check a large product file in a second process, ahead of the one that writes.

Reading a row and checking it on its own (`pim.imports.prechecks`) only reads the catalog;
it is most of an import's work. For a large file a second process does it, a few batches
ahead: it reads the file, builds each item, and for each new product that passes its own
checks, prepares the rows it writes. Where a row's values are just what its cells say, they
are not read on their own first: the one pass of `pim.imports.creation` takes them from the
cells, and a row left to the importing process has them read there. The importing process
receives the items in file order and does the rest as always: the checks against other rows
(unique values, axis values), the writes, the report. An item the second process did not
prepare (refused, already in the catalog, holding a media file) arrives whole and goes the
usual way, so the second process never has the last word on a refusal. Rows that cannot be
read and a file that stops being readable are passed on at the place they occur.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from pim.collector import young_collections
from pim.errors import PrismError
from pim.imports.bulk import PREPARED, parent_of
from pim.imports.bulk_rows import Prepared, astuple
from pim.imports.cells import MEDIA_TYPES, ValuePlan, is_blank
from pim.imports.errors import UnreadableFile
from pim.imports.items import Item, Problem, SourceRow
from pim.imports.report import IssueLog
from pim.jsontext import dumps

# batches the second process may be ahead: it waits for the importing one beyond that
AHEAD = 3
# how many rows the second process checks between two looks at whether the other waits
LOOK_EVERY = 20
# batches the importing process reads and checks itself at most while the second one
# starts (it goes on until the second one says it is ready)
HEAD = 10
# a file of fewer rows is read and checked in the importing process itself (the second
# process takes about a second to start); PRISM_IMPORT_AHEAD_ROWS sets it for the app
AHEAD_ROWS = 20_000


def can_check_ahead(session: Session, task: Any, estimated_rows: int | None,
                    min_rows: int) -> bool:
    """Tell whether a task's rows are worth checking in a second process, and can be."""
    if not min_rows or (estimated_rows or 0) < min_rows:
        return False
    if not hasattr(task.converter, "restore") or task.kind != "products":
        return False
    bind = session.get_bind()
    # a connection's open transaction is not seen by another process; nor is memory
    return not isinstance(bind, Connection) and bind.url.database not in (None, "", ":memory:")


class RowsAhead:
    """The items of one product file, read and checked by a second process."""

    def __init__(self, session: Session, source: Path, options: dict[str, Any],
                 task_number: int, task: Any, issues: IssueLog, batch_size: int, *,
                 share: bool = True, head: int | None = None) -> None:
        # share: when it waits, the importing process checks the next batch itself
        self.share = share
        # head: rows read here at most while the second process starts
        self.head = HEAD * batch_size if head is None else head
        self.url = session.get_bind().url.render_as_string(hide_password=False)
        self.source = str(source)
        self.options = options
        self.task_number = task_number
        self.converter = task.converter
        self.rows = task.rows
        self.name = task.name
        self.issues = issues
        self.batch_size = batch_size
        # what the second process said as it started, when it was not ready
        self._early: tuple[str, Any, list[Any]] | None = None

    def __iter__(self) -> Iterator[Item]:
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        worker = context.Process(
            target=check_ahead, name="prism-import-checks", daemon=True,
            args=(theirs, self.url, self.source, self.options, self.task_number, self.name,
                  self.batch_size))
        worker.start()
        theirs.close()
        try:
            read = yield from self._head(ours, self.head)
            _send(ours, (AHEAD, False, read))
            yield from self._received(ours)
        finally:
            ours.close()
            worker.join(timeout=5)
            if worker.is_alive():
                worker.terminate()
                worker.join()

    def _head(self, pipe: Any, most: int) -> Iterator[Item]:
        """The first items, read and checked here batch after batch until the second
        process has started (or says why it cannot), `most` at most; return how many."""
        items = self.converter.items(self.rows)
        read = 0
        try:
            while read < most and not pipe.poll():
                batch = list(islice(items, min(self.batch_size, most - read)))
                if not batch:
                    break
                read += len(batch)
                yield from batch
        finally:
            items.close()
        try:
            said = pipe.recv()  # ready, or why not
        except (EOFError, OSError):
            return read  # said when the next items are asked for
        if said[0] != "ready":
            self._early = said
        return read

    def _received(self, pipe: Any) -> Iterator[Item]:
        while True:
            kind, payload, unreadable = self._said(pipe)
            for row in unreadable:
                self.issues.unreadable_row(*row)
            if kind == "done":
                return
            if kind == "unreadable":
                raise UnreadableFile(payload["problem"], **payload["where"])
            if kind == "failed":
                raise PrismError(f"the process checking the file ahead failed: {payload}")
            _send(pipe, (1, False))  # one batch more may come; the last may have come
            columns, items = payload
            for packed in items:
                yield self._item(columns, *packed)

    def _said(self, pipe: Any) -> tuple[str, Any, list[Any]]:
        """The second process's next message: what it said instead of being ready, or
        the next one it sends."""
        if self._early is not None:
            said, self._early = self._early, None
            return said
        if self.share and not pipe.poll():
            # about to wait: the second process is behind, and leaves the rest of the
            # batch it is checking to this one
            _send(pipe, (0, True))
        try:
            return pipe.recv()  # type: ignore[no-any-return]
        except (EOFError, OSError):
            raise PrismError("the process checking the file ahead stopped unexpectedly"
                             ) from None

    def _item(self, columns: list[str], key: str, rows: list[tuple[str, int, bytes]],
              problems: list[tuple[Any, ...]], warnings: list[tuple[Any, ...]],
              extra: dict[str, Any], prepared: tuple[Any, ...] | None) -> Item:
        if prepared is not None:
            extra[PREPARED] = Prepared(*prepared)
        item = Item(kind=self.converter.entity, key=key, data={},
                    rows=[SourceRow.under(file, number, columns, cells)
                          for file, number, cells in rows],
                    locate=self.converter.locate, problems=[Problem(*p) for p in problems],
                    warnings=[Problem(*w) for w in warnings], extra=extra)
        # its data is read again from its cells (cheaper than sent), unless it is ready
        return item if prepared is not None else self.converter.restore(item)


class _Forwarded(IssueLog):
    """The second process's log: rows it cannot read go to the importing process."""

    def __init__(self) -> None:
        super().__init__("ahead")
        self.rows: list[tuple[str, int, str, list[str]]] = []

    def unreadable_row(self, file: str, row: int, message: str, cells: list[str]) -> None:
        self.rows.append((file, row, message, cells))

    def taken(self) -> list[tuple[str, int, str, list[str]]]:
        rows, self.rows = self.rows, []
        return rows


def check_ahead(pipe: Any, url: str, source: str, options: dict[str, Any], task_number: int,
                name: str, batch_size: int) -> None:
    """In the second process: read the file's rows, check them, send them on in batches."""
    from pim.db import make_engine, make_session_factory
    from pim.imports.sources import ImportOptions, plan_import

    engine = make_engine(url)
    log = _Forwarded()
    try:
        with make_session_factory(engine)() as session:
            plan = plan_import(session, Path(source), ImportOptions.from_dict(options), log)
            task = plan.tasks[task_number] if task_number < len(plan.tasks) else None
            if task is None or task.name != name:
                raise UnreadableFile("the file is no longer where the import found it",
                                     file=name)
            checks = _checks(session)
            # what is sent on is a row's cells; its values here only serve the checks of
            # a new product, for which an empty cell is no value
            task.converter.reads_blanks = False
            # where they are just what the cells say, values are read from the cells by
            # the checks themselves, and not at all for a row left to the other process
            task.converter.reads_values = False
            items = iter(task.converter.items(task.rows))
            pipe.send(("ready", None, []))
            flow = _Flow(pipe)
            # the first rows are the importing process's, read while this one started; so
            # are the rows it could not read among them
            for _ in islice(items, flow.skip):
                pass
            log.taken()
            with young_collections(every=2) as collected:
                while batch := list(islice(items, batch_size)):
                    packed = _packed(session, checks, batch, flow.hungry,
                                     task.converter.value_plan)
                    # the next batch sees what was written meanwhile; nothing read is
                    # expired (a rollback would expire it)
                    session.commit()
                    flow.wait()
                    pipe.send(("items", packed, log.taken()))
                    del batch, packed  # freed before the collector looks at young objects
                    collected()
        pipe.send(("done", None, log.taken()))
    except UnreadableFile as exc:
        where = {"file": exc.file, "row": exc.row, "column": exc.column}
        _send(pipe, ("unreadable", {"problem": exc.problem, "where": where}, log.taken()))
    except (BrokenPipeError, EOFError, KeyboardInterrupt):
        pass  # the importing process stopped first
    except BaseException as exc:  # noqa: BLE001 - said to the importing process
        _send(pipe, ("failed", f"{type(exc).__name__}: {exc}", log.taken()))
    finally:
        log.close()
        engine.dispose()
        pipe.close()


class _Flow:
    """The second process's side of the pipe: batches it may send, and whether the
    importing process waits for one (it then checks the rest of the batch itself)."""

    def __init__(self, pipe: Any) -> None:
        self.pipe = pipe
        self.credit, waited, self.skip = pipe.recv()
        self.waits = int(waited)

    def hungry(self) -> bool:
        """Tell whether the importing process waits (once for each time it does)."""
        while self.pipe.poll():
            self._take()
        if self.waits:
            self.waits -= 1
            return True
        return False

    def wait(self) -> None:
        """Wait until one more batch may be sent, and take it."""
        while self.credit == 0:
            self._take()
        self.credit -= 1

    def _take(self) -> None:
        more, waited = self.pipe.recv()
        self.credit += more
        self.waits += int(waited)


def _send(pipe: Any, message: Any) -> None:
    """Send unless the other side has stopped listening."""
    try:
        pipe.send(message)
    except (BrokenPipeError, EOFError, ConnectionResetError):
        pass


def _checks(session: Session) -> Any:
    from pim.imports.prechecks import Prechecks
    from pim.imports.writing import WriteContext

    return Prechecks(session, WriteContext(author="", source=""))


def _packed(session: Session, checks: Any, batch: list[Item], hungry: Callable[[], bool],
            plan: ValuePlan) -> tuple[list[str], list[Any]]:
    """Each item as its rows, problems and warnings; a new product that passes its own
    checks, prepared, until the importing process waits: it checks the rest itself."""
    from pim.catalog.models import Product

    keys = [item.key for item in batch if not item.problems]
    known = set(session.scalars(select(Product.identifier).where(
        Product.identifier.in_(keys)))) if keys else set()
    media = {code for code, a in checks.copy.attributes.items() if a.type in MEDIA_TYPES}
    checks.load_models({parent_of(item) for item in batch} - {None})
    ready = {}
    for number, item in enumerate(batch):
        if number % LOOK_EVERY == 0 and hungry():
            break
        if not item.problems and item.key not in known and not _holds_media(item, media):
            warned = len(item.warnings)
            checked = checks.prepare(item, plan)
            if isinstance(checked, Prepared):
                ready[id(item)] = checked
            else:
                del item.warnings[warned:]  # the importing process checks the row again
    return _pack_all(batch, ready)


def _pack_all(batch: list[Item], ready: dict[int, Prepared]) -> tuple[list[str], list[Any]]:
    """A batch as plain tuples (quick to pickle): its rows' cells under one header."""
    columns = list(batch[0].rows[0].cells) if batch and batch[0].rows else []
    packed = []
    for item in batch:
        prepared = ready.get(id(item))
        packed.append((
            item.key, [(row.file, row.number, _cells(row.cells, columns)) for row in item.rows],
            [(p.column, p.message, p.value) for p in item.problems],
            [(w.column, w.message, w.value) for w in item.warnings], dict(item.extra),
            None if prepared is None else astuple(prepared)))
    return columns, packed


def _cells(cells: dict[str, str], columns: list[str]) -> bytes:
    """A row's cells as one JSON list (one object to send, not one per cell)."""
    if len(cells) != len(columns) or list(cells) != columns:
        raise ValueError("a row's cells are not under the file's header")
    return dumps(list(cells.values()))


def _holds_media(item: Item, media: set[str]) -> bool:
    values = item.data.get("values", {})
    return any(not is_blank(entry["data"]) for code in media & values.keys()
               for entry in values[code])
