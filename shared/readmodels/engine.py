"""The projection engine: each read model a unit with its own name, version, tables and tracking.

A :class:`~shared.readmodels.projection.Projection` says what a read model is; a :class:`Unit`
runs one over a database. A unit is the projection's ``TrackingRecorder`` (eventsourcing's own
interface: ``insert_tracking``, ``max_tracking_id``, ``wait``) for the notification log, and
keeps besides the next offset of every Kafka partition, which one position cannot hold.

:class:`Unit` runs one projection. Every ``apply`` is one PostgreSQL transaction that holds the
projection's own advisory lock, checks its version, applies the events and stores its tracking:
the read-model change and its tracking commit together, and two projections never wait for each
other. Bumping one projection's ``version`` makes ``nguon db migrate`` drop that projection's
tables alone (their shape may differ) and makes its runner rebuild it alone from the first event.

An event a projection cannot apply is set aside (:mod:`shared.readmodels.quarantine`).

Commits do not wait for the disk (``synchronous_commit off``, this transaction only): a crash
may lose the last few applies, never half of one, and the tracking lost with them makes the
source deliver those events again. Read models are derived; the event store keeps its fsync.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from eventsourcing.persistence import Tracking as LogTracking
from eventsourcing.persistence import TrackingRecorder

from shared.errors import NguonError
from shared.readmodels import quarantine
from shared.readmodels.projection import Projection
from shared.readmodels.quarantine import Quarantined
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

ENGINE_DDL: list[str] = [
    # Left by the single-version read models (before projections were units): start afresh.
    """DO $$ BEGIN
      IF to_regclass('public.rm_version') IS NOT NULL THEN
        DROP TABLE IF EXISTS rm_version, rm_tracking_position, rm_tracking_offsets, rm_events,
          rm_organisations, rm_org_certifications, rm_cooperative_support, rm_plots,
          rm_plot_certifications, rm_value_chains, rm_chain_participants, rm_linkage_contracts,
          rm_lineage, rm_batches, rm_provenance, rm_document_refs, rm_projections, rm_quarantine;
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


class ProjectionVersionMismatch(NguonError, RuntimeError):
    """A projection's tables were built by another version of it: rebuild before applying."""


class RebuildInProgress(NguonError, RuntimeError):
    """A rebuild is replaying the log: live applies wait for it, then resume from its position."""


@dataclass(frozen=True)
class Status:
    name: str
    version: int
    stored_version: int | None
    complete: bool
    position: int
    quarantined: int


class Unit(TrackingRecorder):
    """Runs one projection over a database: its transactions, lock, version and tracking."""

    def __init__(self, projection: Projection, connect: Connect) -> None:
        self.projection = projection
        self.name = projection.name
        self._connect = connect

    def apply(
        self,
        envelopes: Sequence[Envelope],
        tracking: Tracking,
        *,
        materialize: bool = True,
        wait: bool = True,
    ) -> bool:
        """Applies a batch of envelopes and records ``tracking``, in one transaction.

        ``wait=False``: if another process holds the projection's lock (another projector of
        the group), do nothing and answer False, so the caller can apply another projection
        meanwhile."""
        with session(self._connect) as conn, conn.transaction():
            if not self._lock(conn, wait=wait):
                return False
            # One round trip for what the checks need: live traffic applies a handful of
            # events per transaction, four projections each, and every round trip shows.
            row = conn.execute(_STATE, {"name": self.name}).fetchone()
            version, complete, position, has_quarantine = row if row else (None, True, 0, False)
            self._refuse_another(version, complete, during_rebuild=not materialize)
            after = position if isinstance(tracking, Position) else 0
            unique = {e.position: e for e in envelopes if e.position > after}
            fresh = [unique[p] for p in sorted(unique)]
            if fresh:
                quarantine.apply_or_quarantine(
                    conn,
                    self.projection,
                    fresh,
                    materialize=materialize,
                    check_queue=has_quarantine,
                )
            highest = max((e.position for e in envelopes), default=0)
            store(conn, self.name, tracking, highest=highest)
        return True

    def position(self) -> int:
        with session(self._connect) as conn:
            return stored_position(conn, self.name)

    def insert_tracking(self, tracking: LogTracking) -> None:
        """Records that the log was applied up to ``tracking`` (nothing there to apply)."""
        self.apply([], Position(tracking.notification_id))

    def max_tracking_id(self, application_name: str) -> int | None:
        """The notification-log position applied (None: nothing yet). One log feeds every
        projection, so the application's name does not change the answer."""
        del application_name
        with session(self._connect) as conn:
            row = conn.execute(
                "SELECT position FROM rm_tracking_position WHERE name = %s", (self.name,)
            ).fetchone()
        return int(row[0]) if row else None

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
            return quarantine.listed(conn, self.name)

    def retry(self) -> tuple[int, int]:
        """Re-applies its quarantined events: (applied, still quarantined); see
        :func:`shared.readmodels.quarantine.retry`."""
        with self.writing() as conn:
            return quarantine.retry(conn, self.projection)

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

    def _lock(self, conn: psycopg.Connection[Any], *, wait: bool = True) -> bool:
        # Two transactions of one projection that each saw only their half of a lineage (a
        # child here, its parent there) would both commit a document missing the other half.
        # Its own statement: what is read after it must be read in a snapshot taken after it.
        take = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
        row = conn.execute(
            f"SELECT {take}(%s, hashtext(%s))::text, set_config('synchronous_commit', 'off', true)",
            (_LOCK_CLASS, self.name),
        ).fetchone()
        return wait or (row is not None and row[0] == "true")

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


_STATE = """
SELECT (SELECT version FROM rm_projections WHERE name = %(name)s),
       coalesce((SELECT complete FROM rm_projections WHERE name = %(name)s), true),
       coalesce((SELECT position FROM rm_tracking_position WHERE name = %(name)s), 0),
       EXISTS (SELECT 1 FROM rm_quarantine WHERE projection = %(name)s)"""


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
