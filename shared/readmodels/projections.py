"""The projection engine: one code path for both sources (notification log and Kafka).

Consumes envelopes, produces the read models of :mod:`shared.readmodels.schema`. Delivery:
each ``apply`` is one PostgreSQL transaction that records the new events, updates the facts,
re-materializes the affected documents and stores the tracking (position or Kafka offsets);
then it notifies ``nguon_projections``. A duplicate envelope is a no-op; an unknown event type
is recorded and advances tracking; arrival order across aggregates does not change the result.

Commits do not wait for the disk (``synchronous_commit off``, this transaction only): a crash
may lose the last few applies, never half of one, and the tracking lost with them makes the
source deliver those events again. Read models are derived; the event store keeps its fsync.

Projector processes serialize their transactions on an advisory lock: two transactions that
each saw only their own half of a lineage (a child here, its parent there) would otherwise
both commit a document missing the other half.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

import psycopg

from shared.domain.clock import today_in_vietnam
from shared.readmodels import facts, tracking
from shared.readmodels.materialize import affected
from shared.readmodels.materialize import materialize as compose_documents
from shared.readmodels.schema import PROJECTION_VERSION, READ_MODEL_TABLES
from shared.readmodels.tracking import CHANNEL, Connect, Tracking, session
from shared.wire.envelope import Envelope

log = logging.getLogger(__name__)

_LOCK = 0x6E67756F6E  # "nguon": one writer of the read models at a time


class ProjectionVersionMismatch(RuntimeError):
    """The read models were built by another projection version: rebuild before applying."""


class RebuildInProgress(RuntimeError):
    """A rebuild is replaying the log: live applies wait for it, then resume from its position."""


class Projections:
    def __init__(self, connect: Connect, today: Callable[[], date] = today_in_vietnam) -> None:
        self._connect = connect
        self._today = today

    def apply(
        self, envelopes: Sequence[Envelope], tracking_: Tracking, *, materialize: bool = True
    ) -> None:
        """Applies a batch of envelopes and records ``tracking_``, in one transaction.

        ``materialize=False`` stores facts and tracking only: a rebuild composes every document
        once at its end (``finish_rebuild``) rather than once per page that touches it.
        """
        with self._writing(during_rebuild=not materialize) as conn:
            new = facts.record_new(conn, envelopes)
            facts.store_facts(conn, new)
            if materialize:
                compose_documents(conn, affected(conn, new), self._today())
            tracking.store(conn, tracking_)
            highest = max((e.position for e in envelopes), default=0)
            conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(highest)))

    def position(self) -> int:
        """Embedded mode: the notification-log position applied so far (0: nothing)."""
        with session(self._connect) as conn:
            return tracking.stored_position(conn)

    def kafka_offsets(self, topic: str, group: str) -> dict[int, int]:
        """Production: partition → next offset to consume, as committed with the read models.

        A partition missing here has nothing applied: consume it from its beginning.
        """
        with session(self._connect) as conn:
            return tracking.stored_offsets(conn, topic, group)

    def stored_version(self) -> int | None:
        with session(self._connect) as conn:
            row = conn.execute("SELECT version FROM rm_version").fetchone()
            return int(row[0]) if row else None

    def needs_rebuild(self) -> bool:
        """Another version's read models, none yet, or a rebuild that did not finish."""
        with session(self._connect) as conn:
            row = conn.execute("SELECT version, complete FROM rm_version").fetchone()
        return row is None or row[0] != PROJECTION_VERSION or not row[1]

    def reset(self, *, complete: bool = True) -> None:
        """Empties every read model and its tracking, and marks them as this version's.

        ``complete=False`` (a rebuild starting) keeps ``wait_for`` from answering, and
        ``needs_rebuild`` true, until ``finish_rebuild``.
        """
        with session(self._connect) as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
            conn.execute(f"TRUNCATE {', '.join(READ_MODEL_TABLES)}")
            conn.execute(
                "INSERT INTO rm_version (version, complete) VALUES (%s, %s)"
                " ON CONFLICT (singleton) DO UPDATE SET version = excluded.version,"
                " complete = excluded.complete, reset_at = now()",
                (PROJECTION_VERSION, complete),
            )
        log.info("read models reset for projection version %s", PROJECTION_VERSION)

    def finish_rebuild(self, chunk: int = 2_000) -> int:
        """Composes every batch's document from the stored facts; returns how many.

        Only after ``reset(complete=False)`` and applies with ``materialize=False``: the
        documents and catalogue are empty and are filled here, each batch once.
        """
        with session(self._connect) as conn:
            ids = [str(r[0]) for r in conn.execute(_CREATED_BATCHES).fetchall()]
        for start in range(0, len(ids), chunk):
            with self._writing(during_rebuild=True) as conn:
                compose_documents(conn, ids[start : start + chunk], self._today(), fresh=True)
        with self._writing(during_rebuild=True) as conn:
            conn.execute("UPDATE rm_version SET complete = true")
            conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(tracking.stored_position(conn))))
        return len(ids)

    @contextmanager
    def _writing(self, *, during_rebuild: bool = False) -> Iterator[psycopg.Connection[Any]]:
        with session(self._connect) as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
            conn.execute("SET LOCAL synchronous_commit TO OFF")
            _check_version(conn, during_rebuild=during_rebuild)
            yield conn


# In creation order: a chunk then holds batches and their near ancestors, loaded once for all.
_CREATED_BATCHES = (
    "SELECT aggregate_id FROM rm_events WHERE type IN ('Batch.Harvested', 'Batch.Produced')"
    " ORDER BY position"
)


def _check_version(conn: psycopg.Connection[Any], *, during_rebuild: bool) -> None:
    row = conn.execute("SELECT version, complete FROM rm_version").fetchone()
    stored, complete = row if row else (None, True)
    if stored == PROJECTION_VERSION and not (complete or during_rebuild):
        raise RebuildInProgress("the read models are being rebuilt: apply after it finishes")
    if stored != PROJECTION_VERSION:
        msg = (
            f"read models are at projection version {stored}, this code is at"
            f" {PROJECTION_VERSION}: rebuild them (nguon projections rebuild)"
        )
        raise ProjectionVersionMismatch(msg)
