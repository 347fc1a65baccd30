"""Where the projections are in their source, stored with the read models in one transaction.

Each projection keeps its own tracking (see :mod:`shared.readmodels.engine`). Embedded mode reads
one ordered stream, the notification log: a position per projection says what it applied.
Production reads Kafka partitions: the next offset of each (topic, partition) per projection.
The Kafka consumer commits its offsets only after our commit, and on start seeks to
``kafka_offsets(topic, group)``: what the database says it applied wins over what Kafka says.

Waiting by position (read your writes) listens on ``NOTIFY nguon_projections``, sent by every
apply on commit, and re-checks at a bounded, growing interval too: in Kafka mode the other half
of the condition (the relay's checkpoint) moves without telling us.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg.rows import tuple_row

Connect = Callable[[], AbstractContextManager[psycopg.Connection[Any]]]
"""Gives a connection for one unit of work, e.g. ``pool.connection`` or ``connector(url)``."""

CHANNEL = "nguon_projections"
ALL_PROJECTIONS = (
    "provenance",
    "lineage",
    "directory",
    "catalogue",
    "monitoring",
    "households",
    "recalls",
    "trace",
    "epcis",
)
"""The platform's projections, by name (``shared.readmodels.units`` defines each; a test keeps
the two lists alike, since this module sits below the units and cannot import them)."""
_MAX_RECHECK_SECONDS = 0.5


@contextmanager
def session(connect: Connect) -> Iterator[psycopg.Connection[Any]]:
    """A connection from ``connect`` that returns rows as tuples, as every query here expects.

    Pools are shared: a pool configured with another row factory gets its own back after use.
    """
    with connect() as conn:
        previous = conn.row_factory
        conn.row_factory = tuple_row
        try:
            yield conn
        finally:
            conn.row_factory = previous


def connector(url: str) -> Connect:
    """A ``Connect`` that opens a new connection each time (tests, tools, benchmarks)."""

    def connect() -> AbstractContextManager[psycopg.Connection[Any]]:
        return psycopg.connect(url)

    return connect


@dataclass(frozen=True)
class Position:
    """Embedded mode: every event up to this notification-log position has been applied."""

    position: int


@dataclass(frozen=True)
class KafkaOffsets:
    """Production: for each (topic, partition), the offset of the next record to consume."""

    group: str
    offsets: Mapping[tuple[str, int], int] = field(default_factory=dict)


Tracking = Position | KafkaOffsets


def store(conn: psycopg.Connection[Any], name: str, tracking: Tracking, *, highest: int) -> None:
    """Records a projection's progress and notifies ``CHANNEL``; never moves backwards (a stale
    duplicate cannot rewind it). With Kafka, the position row keeps the highest position
    applied, for the health check.
    """
    position = tracking.position if isinstance(tracking, Position) else highest
    # The notification goes out on commit: waiters by position then look again at once.
    conn.execute(
        "WITH tracked AS (INSERT INTO rm_tracking_position (name, position) VALUES (%s, %s)"
        " ON CONFLICT (name) DO UPDATE"
        " SET position = GREATEST(rm_tracking_position.position, excluded.position)"
        " RETURNING position) SELECT pg_notify(%s, position::text) FROM tracked",
        (name, position, CHANNEL),
    )
    if isinstance(tracking, Position):
        return
    rows = [(name, tracking.group, t, p, o) for (t, p), o in sorted(tracking.offsets.items())]
    if rows:
        conn.cursor().executemany(
            "INSERT INTO rm_tracking_offsets (projection, consumer_group, topic, partition,"
            " next_offset) VALUES (%s, %s, %s, %s, %s)"
            " ON CONFLICT (projection, consumer_group, topic, partition) DO UPDATE"
            " SET next_offset = GREATEST(rm_tracking_offsets.next_offset, excluded.next_offset)",
            rows,
        )


def stored_position(conn: psycopg.Connection[Any], name: str) -> int:
    row = conn.execute(
        "SELECT position FROM rm_tracking_position WHERE name = %s", (name,)
    ).fetchone()
    return int(row[0]) if row else 0


def lowest_position(conn: psycopg.Connection[Any], names: Sequence[str]) -> int:
    """The position every one of these projections has reached (0 if one has none)."""
    row = conn.execute(
        "SELECT CASE WHEN count(*) = %s THEN min(position) ELSE 0 END"
        " FROM rm_tracking_position WHERE name = ANY(%s)",
        (len(set(names)), list(set(names))),
    ).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def stored_offsets(
    conn: psycopg.Connection[Any], topic: str, group: str, names: Sequence[str]
) -> dict[int, int]:
    """Per partition, the next offset every one of these projections has reached; a partition
    that one of them has not started is left out (consume it from its beginning)."""
    rows = conn.execute(
        "SELECT partition, min(next_offset) FROM rm_tracking_offsets"
        " WHERE consumer_group = %s AND topic = %s AND projection = ANY(%s)"
        " GROUP BY partition HAVING count(*) = %s ORDER BY partition",
        (group, topic, list(set(names)), len(set(names))),
    ).fetchall()
    return {int(p): int(o) for p, o in rows}


def complete(conn: psycopg.Connection[Any], names: Sequence[str]) -> bool:
    """False while a rebuild of one of them has stored facts but not yet composed."""
    row = conn.execute(
        "SELECT count(*) = %s AND bool_and(complete) FROM rm_projections WHERE name = ANY(%s)",
        (len(set(names)), list(set(names))),
    ).fetchone()
    return bool(row and row[0])


class Waiter(ABC):
    """Blocks until the read models reflect a position of the event store.

    ``projections`` names those to wait for (by default every projection of the platform).
    """

    def __init__(self, connect: Connect, projections: Sequence[str] | None = None) -> None:
        self._connect = connect
        self._names = list(projections) if projections is not None else list(ALL_PROJECTIONS)

    @abstractmethod
    def reached(self, conn: psycopg.Connection[Any], position: int) -> bool:
        """Whether every event up to ``position`` has been applied."""

    def wait_for(self, position: int, timeout: float) -> bool:
        deadline = time.monotonic() + max(0.0, timeout)
        with session(self._connect) as conn:
            previous = conn.autocommit
            conn.autocommit = True  # notifications arrive only between transactions
            try:
                conn.execute(f"LISTEN {CHANNEL}")
                return self._wait(conn, position, deadline)
            finally:
                conn.execute(f"UNLISTEN {CHANNEL}")
                conn.autocommit = previous

    def _wait(self, conn: psycopg.Connection[Any], position: int, deadline: float) -> bool:
        recheck = 0.01
        while not self.reached(conn, position):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            for _ in conn.notifies(timeout=min(recheck, remaining), stop_after=1):
                pass
            recheck = min(recheck * 2, _MAX_RECHECK_SECONDS)
        return True


class PositionWaiter(Waiter):
    """Embedded mode: the tracked notification-log position has reached the one asked for."""

    def reached(self, conn: psycopg.Connection[Any], position: int) -> bool:
        return position <= 0 or (
            complete(conn, self._names) and lowest_position(conn, self._names) >= position
        )


class KafkaWaiter(Waiter):
    """Production: the relay has published ``position`` and this group consumed that far.

    The relay's checkpoint row says the last position Kafka acknowledged and each partition's
    end offset at that moment (the offset of the next record to be written). Once the
    checkpoint covers ``position`` and this group's stored next offsets reach those end
    offsets, every event up to ``position`` has been applied.
    """

    def __init__(
        self, connect: Connect, topic: str, group: str, projections: Sequence[str] | None = None
    ) -> None:
        super().__init__(connect, projections)
        self._topic = topic
        self._group = group

    def reached(self, conn: psycopg.Connection[Any], position: int) -> bool:
        if position <= 0:
            return True
        row = conn.execute(
            "SELECT c.position >= %(position)s AND NOT EXISTS ("
            "  SELECT 1 FROM jsonb_each_text(c.offsets) AS e(partition, end_offset)"
            "  CROSS JOIN unnest(%(names)s::text[]) AS p(name)"
            "  LEFT JOIN rm_tracking_offsets t ON t.projection = p.name"
            "   AND t.consumer_group = %(group)s"
            "   AND t.topic = c.topic AND t.partition = e.partition::integer"
            "  WHERE COALESCE(t.next_offset, 0) < e.end_offset::bigint)"
            " FROM nguon_relay_checkpoint c WHERE c.topic = %(topic)s",
            {
                "position": position,
                "group": self._group,
                "topic": self._topic,
                "names": self._names,
            },
        ).fetchone()
        return bool(row and row[0]) and complete(conn, self._names)


def waiter_for(
    connect: Connect,
    *,
    kafka_topic: str | None,
    group: str,
    projections: Sequence[str] | None = None,
) -> Waiter:
    """How a reader waits for a position: on the tracked position in embedded mode; with Kafka,
    on the relay's checkpoint and the consumer group's stored offsets."""
    if kafka_topic is None:
        return PositionWaiter(connect, projections)
    return KafkaWaiter(connect, kafka_topic, group, projections)
