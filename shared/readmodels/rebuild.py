"""Rebuilding the read models from the first event: after a version change, or on request.

Consumes the whole notification log in pages (one transaction each, documents materialized
once per page); produces the same read models as incremental application would, because it
goes through the same ``Projections.apply``. Stops when it has caught up with the log.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from tqdm import tqdm

from shared.readmodels.notification_log import envelopes_of
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Connect, Position, session
from shared.records.application import Records
from shared.wire.envelope import Envelope

PAGE_SIZE = 2000
_REBUILD_LOCK = 0x6E67756F6E52  # "nguonR"


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
) -> Rebuilt:
    """Empties the read models, then replays every stored event into them.

    Pages store facts and tracking only; the documents are composed once, at the end. Until
    then the read models say they are incomplete (``wait_for`` waits, ``needs_rebuild`` holds),
    so a rebuild that is interrupted is started again rather than resumed.

    One rebuild runs at a time (a session advisory lock, released if its process dies); with
    ``only_if_needed`` a caller that waited for another's rebuild does not start a second one.
    Without ``projections``, they connect as the records application does.
    """
    connect = connections_of(records)
    projections = projections or Projections(connect)
    started = time.perf_counter()
    position = count = 0
    with _exclusive(connect):
        if only_if_needed and not projections.needs_rebuild():
            return Rebuilt(0, projections.position(), time.perf_counter() - started)
        projections.reset(complete=False)
        total = records.position()
        with tqdm(total=total, disable=not progress, unit="ev", desc="rebuild") as bar:
            for position, page in _pages(records, page_size):
                projections.apply(page, Position(position), materialize=False)
                count += len(page)
                bar.total = max(bar.total or 0, position)
                bar.update(len(page))
            bar.set_postfix_str("composing documents")
            projections.finish_rebuild()
    return Rebuilt(count, position, time.perf_counter() - started)


@contextmanager
def _exclusive(connect: Connect) -> Iterator[None]:
    with session(connect) as conn:
        previous = conn.autocommit
        conn.autocommit = True  # a session lock, with no transaction left open meanwhile
        conn.execute("SELECT pg_advisory_lock(%s)", (_REBUILD_LOCK,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_REBUILD_LOCK,))
            conn.autocommit = previous


def _pages(records: Records, page_size: int) -> Iterator[tuple[int, list[Envelope]]]:
    """Pages of the log, in position order."""

    def read(after: int) -> tuple[int, list[Envelope]]:
        found = records.recorder.select_notifications(after, page_size, inclusive_of_start=False)
        return (found[-1].id if found else after), [e for _, e in envelopes_of(records, found)]

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
