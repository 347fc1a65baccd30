"""The in-process source (embedded mode): the event store's notification log, live.

Consumes the records' notification log through the recorder's subscription, which wakes on
the event store's ``NOTIFY`` (no blind polling) and yields notifications in position order.
Produces pages of ``(position, Envelope)``: whatever has arrived, up to ``page_size``, so a burst
is applied in few transactions and a single event without delay. Delivery: the runner applies
each page to each projection in one transaction with that projection's position, and resumes
from the lowest stored position (each projection skips what it has), so after a crash it
re-reads at most the page it had not committed.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass

import psycopg
from eventsourcing import persistence
from eventsourcing.persistence import Notification

from shared.readmodels.notification_log import Page, envelopes_of
from shared.readmodels.projections import Projections, RebuildInProgress
from shared.readmodels.rebuild import rebuild
from shared.readmodels.tracking import Position
from shared.records.application import Records

log = logging.getLogger(__name__)

_STOP_CHECK_SECONDS = 0.2  # how soon a blocked reader notices the stop event; no DB traffic
_RETRY_SECONDS = (0.5, 1.0, 2.0, 5.0)
TRANSIENT = (psycopg.OperationalError, persistence.OperationalError, persistence.InterfaceError)


@dataclass(frozen=True)
class _End:
    error: BaseException | None = None


Arrival = Notification | _End


class NotificationLogSource:
    def __init__(self, records: Records, page_size: int = 500) -> None:
        self._records = records
        self._page_size = page_size

    def pages(
        self, after: int, stop: threading.Event, *, until: threading.Event | None = None
    ) -> Generator[Page, None, None]:
        """Pages of new events after ``after``, until ``stop`` (or ``until``) is set."""
        ended = until or stop
        arrived: queue.Queue[Arrival] = queue.Queue(maxsize=self._page_size * 10)
        with self._records.recorder.subscribe(gt=after) as subscription:
            pump = threading.Thread(
                target=_pump, args=(subscription, arrived), name="nguon-log-pump", daemon=True
            )
            pump.start()
            try:
                yield from self._drain(arrived, lambda: stop.is_set() or ended.is_set())
            finally:
                subscription.stop()
                _discard(arrived)
                pump.join()

    def _drain(self, arrived: queue.Queue[Arrival], stopped: Callable[[], bool]) -> Iterator[Page]:
        while not stopped():
            try:
                first = arrived.get(timeout=_STOP_CHECK_SECONDS)
            except queue.Empty:
                continue
            batch: list[Notification] = []
            end = self._fill(first, batch, arrived)
            if batch:
                yield envelopes_of(self._records, batch)
            if end is not None:
                if end.error is not None:
                    raise end.error
                return

    def _fill(
        self, item: Arrival, batch: list[Notification], arrived: queue.Queue[Arrival]
    ) -> _End | None:
        while True:
            if isinstance(item, _End):
                return item
            batch.append(item)
            if len(batch) >= self._page_size:
                return None
            try:
                item = arrived.get_nowait()
            except queue.Empty:
                return None


def _pump(subscription: Iterator[Notification], arrived: queue.Queue[Arrival]) -> None:
    error: BaseException | None = None
    try:
        for notification in subscription:
            arrived.put(notification)
    except BaseException as failure:  # handed to the reading thread, which raises it
        error = failure
    finally:
        arrived.put(_End(error))


def _discard(arrived: queue.Queue[Arrival]) -> None:
    """Unblocks the pump if it waits on a full queue, so it can see the subscription stopped."""
    while True:
        try:
            arrived.get_nowait()
        except queue.Empty:
            return


def project_until_stopped(
    records: Records, projections: Projections, stop: threading.Event
) -> None:
    """Follows the log with every projection that is ready until ``stop``; rebuilds the others
    beside it.

    One subscription feeds the ready projections, each applying a page in its own transaction
    from its own position. A projection that needs a rebuild (a new version) is rebuilt alone,
    in another thread, while the others go on; once it is done, the follower starts again from
    the lowest position, and each projection skips what it already has.

    A lost database connection is transient, and so is a rebuild run by another process: both
    are waited out with a growing pause, then the follower starts again from the stored
    positions. Anything else is a bug and ends the runner (an event a projection cannot apply
    is quarantined by the engine, never raised here).
    """
    failures = 0
    rebuilding: _Rebuilding | None = None
    while not stop.is_set():
        try:
            stale = projections.stale()
            if rebuilding is not None and rebuilding.failed.is_set():
                rebuilding = None
                stop.wait(_pause(failures))  # a rebuild that failed is tried again, not in a spin
                failures += 1
                continue
            if stale and (rebuilding is None or rebuilding.done.is_set()):
                rebuilding = _Rebuilding.start(records, projections.only(stale))
            ready = projections.only(n for n in projections.names if n not in stale)
            until = rebuilding.done if rebuilding and not rebuilding.done.is_set() else None
            _follow(records, ready, stop, until)
            failures = 0
        except RebuildInProgress:
            log.info("another process rebuilds a projection: following again after it")
            stop.wait(_pause(failures))
            failures += 1
        except TRANSIENT:
            log.exception("projections lost the database; retrying in %.1f s", _pause(failures))
            stop.wait(_pause(failures))
            failures += 1
    if rebuilding is not None:
        rebuilding.thread.join()


def _follow(
    records: Records,
    ready: Projections,
    stop: threading.Event,
    until: threading.Event | None,
) -> None:
    if not ready.units:
        (until or stop).wait()
        return
    source = NotificationLogSource(records)
    for page in source.pages(ready.position(), stop, until=until):
        ready.apply([envelope for _, envelope in page], Position(page[-1][0]))


@dataclass(frozen=True)
class _Rebuilding:
    """A rebuild of some projections in its own thread; ``done`` is set when it ends."""

    thread: threading.Thread
    done: threading.Event
    failed: threading.Event

    @classmethod
    def start(cls, records: Records, stale: Projections) -> _Rebuilding:
        done, failed = threading.Event(), threading.Event()

        def run() -> None:
            try:
                rebuild(records, stale, progress=False, only_if_needed=True)
            except Exception:
                log.exception("rebuilding %s failed; the runner will try again", stale.names)
                failed.set()
            finally:
                done.set()

        thread = threading.Thread(target=run, name="nguon-rebuild", daemon=True)
        thread.start()
        return cls(thread, done, failed)


def _pause(failures: int) -> float:
    return _RETRY_SECONDS[min(failures, len(_RETRY_SECONDS) - 1)]


def run_embedded(
    records: Records, projections: Projections, stop: threading.Event
) -> threading.Thread:
    """Starts the embedded projections in a daemon thread; set ``stop`` and join to end it."""

    def run() -> None:
        try:
            project_until_stopped(records, projections, stop)
        except Exception:
            log.exception("the embedded projections stopped on an error")
            raise

    thread = threading.Thread(target=run, name="nguon-projections", daemon=True)
    thread.start()
    return thread
