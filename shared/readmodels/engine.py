"""The projection engine: each read model a unit with its own name, version, tables and tracking.

A :class:`Projection` follows the shape of ``eventsourcing.projection.Projection`` (a ``name``,
an ``apply`` of events with their tracking) and its ``TrackingRecorder`` (``max_tracking_id``,
``insert_tracking``), with what this platform adds: a ``version``, the DDL of the tables it owns,
and tracking for two sources, one position in the notification log (as the library keeps) and
the next offset of every Kafka partition (which the library's single position cannot hold).

:class:`Unit` runs one projection. Every ``apply`` is one PostgreSQL transaction that holds the
projection's own advisory lock, checks its version, applies the events and stores its tracking:
the read-model change and its tracking commit together, and two projections never wait for each
other. Bumping one projection's ``version`` makes ``nguon db migrate`` drop that projection's
tables alone (their shape may differ) and makes its runner rebuild it alone from the first event.

Named policy ``quarantine-unappliable``: an event the projection cannot apply (a value its table
cannot hold, a payload it does not understand) is set aside in ``rm_quarantine`` with its
position, aggregate, type, error and time, together with every later event of the same
aggregate (they queue behind it: their aggregate's state would be wrong without it). A savepoint
per event keeps its batch-mates; the projection goes on with the rest and tells its documents
which aggregates are incomplete (:meth:`Projection.touch`). A lost connection is not a bad event:
it is re-raised, and nothing of the batch is stored. ``retry`` re-applies the quarantined events,
in position order, once the cause is fixed.

Commits do not wait for the disk (``synchronous_commit off``, this transaction only): a crash
may lose the last few applies, never half of one, and the tracking lost with them makes the
source deliver those events again. Read models are derived; the event store keeps its fsync.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar

import psycopg

from shared.readmodels.events import canonical_json
from shared.readmodels.tracking import (
    CHANNEL,
    Connect,
    KafkaOffsets,
    Position,
    Tracking,
    session,
    store,
    stored_position,
)
from shared.wire.envelope import Envelope

log = logging.getLogger(__name__)

_LOCK_CLASS = 0x6E67  # "ng": with hashtext(name), one advisory lock per projection
TRANSIENT = (psycopg.OperationalError, psycopg.InterfaceError)
"""Errors of the connection, not of the event: never a reason to quarantine."""

ENGINE_DDL: list[str] = [
    # Left by the single-version read models (before projections were units): start afresh.
    """DO $$ BEGIN
      IF to_regclass('public.rm_version') IS NOT NULL THEN
        DROP TABLE IF EXISTS rm_version, rm_tracking_position, rm_tracking_offsets, rm_events,
          rm_organisations, rm_org_certifications, rm_cooperative_support, rm_plots,
          rm_plot_certifications, rm_value_chains, rm_chain_participants, rm_linkage_contracts,
          rm_lineage, rm_batches, rm_provenance, rm_document_refs;
      END IF;
    END $$""",
    """CREATE TABLE IF NOT EXISTS rm_projections (
        name text PRIMARY KEY,
        version integer NOT NULL,
        complete boolean NOT NULL DEFAULT true,  -- false while a rebuild runs
        reset_at timestamptz NOT NULL DEFAULT now())""",
    # Embedded mode: each projection's position in the notification log. In Kafka mode the
    # highest position applied, which the health check compares with the log's head.
    """CREATE TABLE IF NOT EXISTS rm_tracking_position (
        name text PRIMARY KEY,
        position bigint NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS rm_tracking_offsets (
        projection text NOT NULL,
        consumer_group text NOT NULL,
        topic text NOT NULL,
        partition integer NOT NULL,
        next_offset bigint NOT NULL,
        PRIMARY KEY (projection, consumer_group, topic, partition))""",
    """CREATE TABLE IF NOT EXISTS rm_quarantine (
        projection text NOT NULL,
        position bigint NOT NULL,
        aggregate_id uuid NOT NULL,
        type text NOT NULL,
        error text NOT NULL,
        quarantined_at timestamptz NOT NULL DEFAULT now(),
        envelope text NOT NULL,  -- the canonical JSON, re-applied by ``retry``
        PRIMARY KEY (projection, position))""",
    """CREATE INDEX IF NOT EXISTS rm_quarantine_aggregate
        ON rm_quarantine (projection, aggregate_id)""",
]


class ProjectionVersionMismatch(RuntimeError):
    """A projection's tables were built by another version of it: rebuild before applying."""


class RebuildInProgress(RuntimeError):
    """A rebuild is replaying the log: live applies wait for it, then resume from its position."""


class Projection(ABC):
    """One read model: what it is called, its version, the tables it owns, how it applies."""

    name: ClassVar[str]
    version: ClassVar[int]
    tables: ClassVar[tuple[str, ...]]
    """Every table it owns, emptied by a reset and dropped by a migration to another version."""

    @abstractmethod
    def ddl(self) -> list[str]:
        """Idempotent statements creating its tables."""

    @abstractmethod
    def apply(
        self, conn: psycopg.Connection[Any], envelopes: Sequence[Envelope], *, materialize: bool
    ) -> None:
        """Applies envelopes (position order) inside the caller's transaction; idempotent.

        ``materialize=False`` (a rebuild's pages): store facts only; ``finish`` composes.
        """

    def finish(self, connect: Connect) -> int:
        """After a rebuild's last page: compose what ``apply`` left for later; how many."""
        del connect
        return 0

    def touch(self, conn: psycopg.Connection[Any], aggregate_ids: set[str]) -> None:
        """Re-derive what depends on these aggregates (their quarantine changed)."""
        del conn, aggregate_ids


@dataclass(frozen=True)
class Quarantined:
    projection: str
    position: int
    aggregate_id: str
    type: str
    error: str


@dataclass(frozen=True)
class Status:
    name: str
    version: int
    stored_version: int | None
    complete: bool
    position: int
    quarantined: int


class Unit:
    """Runs one projection over a database: its transactions, lock, version and tracking."""

    def __init__(self, projection: Projection, connect: Connect) -> None:
        self.projection = projection
        self.name = projection.name
        self._connect = connect

    def apply(
        self, envelopes: Sequence[Envelope], tracking: Tracking, *, materialize: bool = True
    ) -> None:
        """Applies a batch of envelopes and records ``tracking``, in one transaction."""
        with session(self._connect) as conn, conn.transaction():
            self._lock(conn)
            # One round trip for what the checks need: live traffic applies a handful of
            # events per transaction, four projections each, and every round trip shows.
            row = conn.execute(_STATE, {"name": self.name}).fetchone()
            version, complete, position, has_quarantine = row if row else (None, True, 0, False)
            self._refuse_another(version, complete, during_rebuild=not materialize)
            after = position if isinstance(tracking, Position) else 0
            unique = {e.position: e for e in envelopes if e.position > after}
            fresh = [unique[p] for p in sorted(unique)]
            if fresh:
                self._apply_or_quarantine(
                    conn, fresh, materialize=materialize, check_queue=has_quarantine
                )
            highest = max((e.position for e in envelopes), default=0)
            store(conn, self.name, tracking, highest=highest)

    def position(self) -> int:
        with session(self._connect) as conn:
            return stored_position(conn, self.name)

    def stored(self) -> tuple[int | None, bool]:
        """The version its tables were built by (None: never), and whether a rebuild finished."""
        with session(self._connect) as conn:
            row = conn.execute(
                "SELECT version, complete FROM rm_projections WHERE name = %s", (self.name,)
            ).fetchone()
        return (int(row[0]), bool(row[1])) if row else (None, True)

    def needs_rebuild(self) -> bool:
        """Another version's tables, none yet, or a rebuild that did not finish."""
        version, complete = self.stored()
        return version != self.projection.version or not complete

    def reset(self, *, complete: bool = True) -> None:
        """Empties its tables, tracking and quarantine, and marks them as this version's."""
        with session(self._connect) as conn, conn.transaction():
            self._lock(conn)
            conn.execute(f"TRUNCATE {', '.join(self.projection.tables)}")
            for table in ("rm_tracking_position",):
                conn.execute(f"DELETE FROM {table} WHERE name = %s", (self.name,))
            for table in ("rm_tracking_offsets", "rm_quarantine"):
                conn.execute(f"DELETE FROM {table} WHERE projection = %s", (self.name,))
            conn.execute(
                "INSERT INTO rm_projections (name, version, complete) VALUES (%s, %s, %s)"
                " ON CONFLICT (name) DO UPDATE SET version = excluded.version,"
                " complete = excluded.complete, reset_at = now()",
                (self.name, self.projection.version, complete),
            )
        log.info("projection %s reset at version %s", self.name, self.projection.version)

    def finish_rebuild(self) -> int:
        """Composes what the rebuild's pages left, then marks the projection complete."""
        count = self.projection.finish(self.rebuilding_connect)
        with self.writing(during_rebuild=True) as conn:
            conn.execute("UPDATE rm_projections SET complete = true WHERE name = %s", (self.name,))
            position = stored_position(conn, self.name)
            conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(position)))
        return count

    @contextmanager
    def rebuilding_connect(self) -> Iterator[psycopg.Connection[Any]]:
        """A ``Connect`` whose each connection is a rebuild's transaction of this projection."""
        with self.writing(during_rebuild=True) as conn:
            yield conn

    def quarantined(self) -> list[Quarantined]:
        with session(self._connect) as conn:
            rows = conn.execute(
                "SELECT projection, position, aggregate_id, type, error FROM rm_quarantine"
                " WHERE projection = %s ORDER BY position",
                (self.name,),
            ).fetchall()
        return [Quarantined(r[0], int(r[1]), str(r[2]), r[3], r[4]) for r in rows]

    def retry(self) -> tuple[int, int]:
        """Re-applies the quarantined events in position order: (applied, still quarantined).

        An event that applies now leaves the quarantine; one that fails again keeps it, with its
        new error, and so do the later events of its aggregate, which stay queued behind it.
        """
        applied = 0
        with self.writing() as conn:
            rows = conn.execute(
                "SELECT position, aggregate_id, envelope FROM rm_quarantine"
                " WHERE projection = %s ORDER BY position",
                (self.name,),
            ).fetchall()
            blocked: set[str] = set()
            for position, aggregate_id, text in rows:
                if str(aggregate_id) in blocked:
                    continue
                envelope = Envelope.from_json(text)
                try:
                    with conn.transaction():
                        conn.execute(
                            "DELETE FROM rm_quarantine WHERE projection = %s AND position = %s",
                            (self.name, position),
                        )
                        self.projection.apply(conn, [envelope], materialize=True)
                    applied += 1
                except TRANSIENT:
                    raise
                except Exception as error:
                    blocked.add(str(aggregate_id))
                    conn.execute(
                        "UPDATE rm_quarantine SET error = %s, quarantined_at = now()"
                        " WHERE projection = %s AND position = %s",
                        (_describe(error), self.name, position),
                    )
            self.projection.touch(conn, {str(r[1]) for r in rows})
            left = len(rows) - applied
        log.info("projection %s: %d quarantined events applied, %d left", self.name, applied, left)
        return applied, left

    def status(self) -> Status:
        version, complete = self.stored()
        with session(self._connect) as conn:
            row = conn.execute(
                "SELECT count(*) FROM rm_quarantine WHERE projection = %s", (self.name,)
            ).fetchone()
            position = stored_position(conn, self.name)
        return Status(
            self.name,
            self.projection.version,
            version,
            complete,
            position,
            int(row[0]) if row else 0,
        )

    @contextmanager
    def writing(self, *, during_rebuild: bool = False) -> Iterator[psycopg.Connection[Any]]:
        with session(self._connect) as conn, conn.transaction():
            self._lock(conn)
            self._check_version(conn, during_rebuild=during_rebuild)
            yield conn

    def _lock(self, conn: psycopg.Connection[Any]) -> None:
        # Two transactions of one projection that each saw only their half of a lineage (a
        # child here, its parent there) would both commit a document missing the other half.
        # Its own statement: what is read after it must be read in a snapshot taken after it.
        conn.execute(
            "SELECT pg_advisory_xact_lock(%s, hashtext(%s)),"
            " set_config('synchronous_commit', 'off', true)",
            (_LOCK_CLASS, self.name),
        )

    def _check_version(self, conn: psycopg.Connection[Any], *, during_rebuild: bool) -> None:
        row = conn.execute(
            "SELECT version, complete FROM rm_projections WHERE name = %s", (self.name,)
        ).fetchone()
        stored, complete = row if row else (None, True)
        self._refuse_another(stored, complete, during_rebuild=during_rebuild)

    def _refuse_another(self, stored: int | None, complete: bool, *, during_rebuild: bool) -> None:
        expected = self.projection.version
        if stored == expected and not (complete or during_rebuild):
            msg = f"projection {self.name} is being rebuilt: apply after it finishes"
            raise RebuildInProgress(msg)
        if stored != expected:
            msg = (
                f"projection {self.name} is at version {stored}, this code is at {expected}:"
                " rebuild it (nguon projections rebuild)"
            )
            raise ProjectionVersionMismatch(msg)

    def _apply_or_quarantine(
        self,
        conn: psycopg.Connection[Any],
        envelopes: list[Envelope],
        *,
        materialize: bool,
        check_queue: bool,
    ) -> None:
        ids = {e.aggregate_id for e in envelopes}
        first = self._quarantined_aggregates(conn, ids) if check_queue else {}
        # A quarantined event delivered again stays where it is, and its aggregate's later
        # events queue behind it. An earlier one delivered again (Kafka redelivers) was applied
        # before, and applying it again is a no-op.
        queued = [e for e in envelopes if e.position >= first.get(e.aggregate_id, e.position + 1)]
        waiting = {e.position for e in queued}
        rest = [e for e in envelopes if e.position not in waiting]
        for envelope in queued:
            self._quarantine(conn, envelope, "queued behind an earlier quarantined event")
        blocked = set(first)
        try:
            with conn.transaction():  # a savepoint: a failure costs only this attempt
                self.projection.apply(conn, rest, materialize=materialize)
        except TRANSIENT:
            raise
        except Exception:
            log.warning("projection %s: a batch failed; applying it event by event", self.name)
            blocked |= self._one_by_one(conn, rest, materialize=materialize)
        if materialize and (queued or blocked):
            self.projection.touch(conn, blocked)

    def _one_by_one(
        self, conn: psycopg.Connection[Any], envelopes: list[Envelope], *, materialize: bool
    ) -> set[str]:
        bad: set[str] = set()
        for envelope in envelopes:
            if envelope.aggregate_id in bad:
                self._quarantine(conn, envelope, "queued behind an earlier quarantined event")
                continue
            try:
                with conn.transaction():
                    self.projection.apply(conn, [envelope], materialize=materialize)
            except TRANSIENT:
                raise
            except Exception as error:
                bad.add(envelope.aggregate_id)
                self._quarantine(conn, envelope, _describe(error))
        return bad

    def _quarantined_aggregates(
        self, conn: psycopg.Connection[Any], ids: set[str]
    ) -> dict[str, int]:
        """Of these aggregates, those with an event in quarantine: the first one's position."""
        rows = conn.execute(
            "SELECT aggregate_id, min(position) FROM rm_quarantine"
            " WHERE projection = %s AND aggregate_id = ANY(%s::uuid[]) GROUP BY aggregate_id",
            (self.name, list(ids)),
        ).fetchall()
        return {str(r[0]): int(r[1]) for r in rows}

    def _quarantine(self, conn: psycopg.Connection[Any], envelope: Envelope, error: str) -> None:
        log.error(
            "quarantine-unappliable: projection %s sets aside position %d (%s of %s): %s",
            self.name,
            envelope.position,
            envelope.type,
            envelope.aggregate_id,
            error,
        )
        conn.execute(
            "INSERT INTO rm_quarantine (projection, position, aggregate_id, type, error, envelope)"
            " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            (
                self.name,
                envelope.position,
                envelope.aggregate_id,
                envelope.type,
                error,
                canonical_json(envelope),
            ),
        )


_STATE = """
SELECT (SELECT version FROM rm_projections WHERE name = %(name)s),
       coalesce((SELECT complete FROM rm_projections WHERE name = %(name)s), true),
       coalesce((SELECT position FROM rm_tracking_position WHERE name = %(name)s), 0),
       EXISTS (SELECT 1 FROM rm_quarantine WHERE projection = %(name)s)"""


def _describe(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}"


def ddl_of(projection: Projection) -> list[str]:
    """Its tables, after dropping those an older (or newer) version of it left behind."""
    tables = ", ".join(projection.tables)
    name = projection.name
    drop = f"""
    DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM rm_projections WHERE name = '{name}'
                 AND version <> {projection.version}) THEN
        DROP TABLE IF EXISTS {tables};
        DELETE FROM rm_projections WHERE name = '{name}';
        DELETE FROM rm_tracking_position WHERE name = '{name}';
        DELETE FROM rm_tracking_offsets WHERE projection = '{name}';
        DELETE FROM rm_quarantine WHERE projection = '{name}';
      END IF;
    END $$"""
    return [drop, *projection.ddl()]


__all__ = [
    "ENGINE_DDL",
    "KafkaOffsets",
    "Position",
    "Projection",
    "ProjectionVersionMismatch",
    "RebuildInProgress",
    "Unit",
    "ddl_of",
]
