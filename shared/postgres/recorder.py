"""The application recorder: appends in one round trip, with the idempotent answer beside.

A request carrying an ``Idempotency-Key`` stores its answer next to its events: either both are
committed or neither is, so a retry after a crash can never store the events twice. Who recorded
the events (``actor_id``) is stored beside them in ``nguon_event_actors`` in the same way.

Appending calls ``nguon_append`` (see ``migrate.py``) on an autocommit connection: one statement
takes the table lock, notifies listeners, inserts the events from binary arrays and commits.
The library's own append pipelines several statements and a composite array in text; besides
holding the lock across more round trips, that pipeline stalled for ever on a Unix-domain
socket (how the embedded server listens) once a bulk request passed about 1,000 events.
Concurrent requests of one process share that statement (``group_commit``): one waits for
another's append at most once, and they commit together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    ApplicationRecorder,
    InterfaceError,
    OperationalError,
    StoredEvent,
    Subscription,
)
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresSubscription
from eventsourcing.utils import retry
from psycopg.sql import SQL, Identifier

from shared.postgres.group_commit import GroupCommit

IDEMPOTENCY_TABLE = "nguon_idempotency"
_APPEND = "SELECT * FROM nguon_append(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"


@dataclass(frozen=True)
class IdempotencyClaim:
    scope: str  # who asked: the token's id, so clients never collide
    key: str
    request_hash: str
    answer: str  # the results as JSON; the position is stored beside them


@dataclass(frozen=True)
class _Appending:
    """One request's part of a group: its events, its idempotent answer, who recorded it."""

    events: Sequence[StoredEvent]
    claim: IdempotencyClaim | None
    actor_id: UUID | None  # an account's or token's id; None: the platform itself, no row
    reads: dict[UUID, int]  # aggregates read from memory, at their version (shared.records.warm)


class CaptureRecorder(PostgresApplicationRecorder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._group_commit = GroupCommit(self._append_group)

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int]:
        if not stored_events:
            return []
        work = _Appending(
            stored_events,
            kwargs.get("idempotency"),
            kwargs.get("actor_id"),
            kwargs.get("reads") or {},
        )
        return self._group_commit.append(work, len(stored_events))

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def _append_group(self, group: Sequence[_Appending]) -> list[list[int]]:
        events = [(member, e) for member, w in enumerate(group, 1) for e in w.events]
        params = (
            [e.originator_id for _, e in events],
            [e.originator_version for _, e in events],
            [e.topic for _, e in events],
            [e.state for _, e in events],
            [member for member, _ in events],
            [w.claim.scope if w.claim else None for w in group],
            [w.claim.key if w.claim else None for w in group],
            [w.claim.request_hash if w.claim else None for w in group],
            [w.claim.answer if w.claim else None for w in group],
            [w.actor_id for w in group],
            [read for w in group for read in w.reads],
            [version for w in group for version in w.reads.values()],
        )
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(_APPEND, params, binary=True, prepare=True)
            positions = iter([row["nguon_append"] for row in curs.fetchall()])
        return [[next(positions) for _ in w.events] for w in group]

    def positions_of(self, originator_id: UUID) -> dict[int, int]:
        """Version → notification-log position of each stored event of one aggregate.

        A domain event does not know its position (the notification id is assigned on insert):
        one indexed query on the events' primary key finds them.
        """
        query = SQL("SELECT originator_version, notification_id FROM {} WHERE originator_id = %s")
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(query.format(Identifier(self.events_table_name)), (originator_id,))
            return {int(r["originator_version"]): int(r["notification_id"]) for r in curs}

    def stored_among(self, originator_ids: Sequence[UUID]) -> set[UUID]:
        """Those of the aggregates with at least one stored event: one query on the primary
        key's first column, however many are asked."""
        query = SQL("SELECT DISTINCT originator_id FROM {} WHERE originator_id = ANY(%s)")
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(query.format(Identifier(self.events_table_name)), (list(originator_ids),))
            return {UUID(str(r["originator_id"])) for r in curs}

    def subscribe(
        self, gt: int | None = None, topics: Sequence[str] = ()
    ) -> Subscription[ApplicationRecorder]:
        return _Subscription(recorder=self, gt=gt, topics=topics)


class _Subscription(PostgresSubscription):
    """The library's LISTEN/NOTIFY subscription, without its lost wake-up at start.

    The library reads what is stored and starts LISTENing in two threads at once: an event
    committed between its first read and its LISTEN wakes nobody, and a projection then waits
    for the next event (seen as a read-your-writes wait timing out). Pulling once more right
    after LISTEN is established closes that window.
    """

    def _listen(self) -> None:
        try:
            with self._recorder.datastore.get_connection() as conn:
                conn.execute(SQL("LISTEN {0}").format(Identifier(self._recorder.channel_name)))
                self._has_been_notified.set()  # anything committed before LISTEN took hold
                while not self._has_been_stopped and not self._thread_error:
                    # Wake at least every 0.1 s to notice a stop; the payload is not needed.
                    for _ in conn.notifies(timeout=0.1, stop_after=1):
                        self._has_been_notified.set()
        except BaseException as e:
            if self._thread_error is None:
                self._thread_error = e
            self.stop()
