"""Rebuilding projections from the first event: after a version change, or on request.

Consumes the whole notification log in pages (one transaction each, documents materialized
once per page); produces the same read models as incremental application would, because it
goes through the same ``Projections.apply``. Stops when it has caught up with the log.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from tqdm import tqdm

from shared.readmodels.notification_log import LogReader
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Connect, Position, session
from shared.records.application import Records
from shared.wire.envelope import Envelope

PAGE_SIZE = 2000
_REBUILD_LOCK = 0x6E52  # "nR": with hashtext(name), one rebuild lock per projection


@dataclass(frozen=True)
class Rebuilt:
    events: int
    position: int
    seconds: float

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else float("inf")


def rebuild(
    records: Records,
    projections: Projections | None = None,
    *,
    progress: bool = True,
    page_size: int = PAGE_SIZE,
    only_if_needed: bool = False,
    only: Sequence[str] | None = None,
) -> Rebuilt:
    """Empties the projections' tables, then replays every stored event into them.

    ``only`` names the projections to rebuild (default: all); with ``only_if_needed``, only
    those that need it (``Projections.stale``). The others are not touched: they keep their
    rows and tracking, and keep applying while this runs.

    Pages store facts and tracking only; what is composed from them (documents, catalogue rows)
    is composed once, at the end. Until then a rebuilt projection says it is incomplete
    (``wait_for`` waits, ``needs_rebuild`` holds), so an interrupted rebuild is started again
    rather than resumed. One rebuild of a projection runs at a time (a session advisory lock
    per projection, released if its process dies); a caller that waited for another's rebuild
    with ``only_if_needed`` does not start a second one. Without ``projections``, they connect
    as the records application does.
    """
    connect = connections_of(records)
    projections = projections or Projections(connect)
    chosen = projections.only(only) if only is not None else projections
    started = time.perf_counter()
    position = count = 0
    with _exclusive(connect, chosen.names):
        targets = chosen.only(chosen.stale()) if only_if_needed else chosen
        if not targets.units:
            return Rebuilt(0, chosen.position(), time.perf_counter() - started)
        targets.reset(complete=False)
        total = records.position()
        with tqdm(total=total, disable=not progress, unit="ev", desc="rebuild") as bar:
            # The next page is read and decoded while this one is applied. The projections
            # apply one after the other: side by side (tried, in threads) they were slower, as
            # composing documents is Python's work and the threads only took turns at it.
            for position, page in _prefetched(_pages(records, page_size)):
                targets.apply(page, Position(position), materialize=False)
                count += len(page)
                bar.total = max(bar.total or 0, position)
                bar.update(len(page))
            bar.set_postfix_str("composing documents")
            targets.finish_rebuild()
    return Rebuilt(count, position, time.perf_counter() - started)


def _prefetched(pages: Iterator[_Page]) -> Iterator[_Page]:
    """The pages, read one ahead in another thread (which ends when the consumer does)."""
    ahead: queue.Queue[_Page | BaseException | None] = queue.Queue(maxsize=1)
    done = threading.Event()

    def hand_over(item: _Page | BaseException | None) -> bool:
        while not done.is_set():
            try:
                ahead.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for page in pages:
                if not hand_over(page):
                    return
            hand_over(None)
        except BaseException as error:  # handed to the consumer, which raises it
            hand_over(error)

    reader = threading.Thread(target=read, name="nguon-rebuild-reader", daemon=True)
    reader.start()
    try:
        while (item := ahead.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        done.set()
        reader.join()


@contextmanager
def _exclusive(connect: Connect, names: Sequence[str]) -> Iterator[None]:
    with session(connect) as conn:
        previous = conn.autocommit
        conn.autocommit = True  # session locks, with no transaction left open meanwhile
        for name in sorted(names):  # one order for everyone: two rebuilds never deadlock
            conn.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", (_REBUILD_LOCK, name))
        try:
            yield
        finally:
            for name in sorted(names):
                conn.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", (_REBUILD_LOCK, name))
            conn.autocommit = previous


_Page = tuple[int, list[Envelope]]


def _pages(records: Records, page_size: int) -> Iterator[_Page]:
    """Pages of the log, in position order."""

    reader = LogReader(records)  # the same envelopes as the live source's, decoded faster

    def read(after: int) -> tuple[int, list[Envelope]]:
        found = records.recorder.select_notifications(after, page_size, inclusive_of_start=False)
        return (found[-1].id if found else after), reader.envelopes(found)

    position = 0
    while True:
        position, page = read(position)
        if not page:
            return
        yield position, page


def connections_of(records: Records) -> Connect:
    """The records application's own pool, as a ``Connect`` for the projections."""
    datastore = records.recorder.datastore  # type: ignore[attr-defined]
    connect: Connect = datastore.get_connection
    return connect
