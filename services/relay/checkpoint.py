"""The relay's progress in ``nguon_relay_checkpoint``, and the lock that keeps one relay per topic.

A row per topic: the last position Kafka acknowledged, and for each partition the offset after
the last record acknowledged there (merged over time, so partitions a round did not touch keep
their value). Readers compare projector offsets with these to know they have caught up.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field

import psycopg

log = logging.getLogger(__name__)

_UPSERT = """
INSERT INTO nguon_relay_checkpoint AS c (topic, position, offsets, updated_at)
VALUES (%(topic)s, %(position)s, %(offsets)s::jsonb, now())
ON CONFLICT (topic) DO UPDATE
   SET position = GREATEST(c.position, EXCLUDED.position),
       offsets = c.offsets || (
           SELECT coalesce(jsonb_object_agg(n.key, GREATEST(n.value::bigint,
                                            coalesce((c.offsets ->> n.key)::bigint, 0))), '{}')
             FROM jsonb_each_text(EXCLUDED.offsets) AS n),
       updated_at = now()
"""


@dataclass(frozen=True)
class Checkpoint:
    position: int = 0
    offsets: dict[int, int] = field(default_factory=dict)


class CheckpointStore:
    """One autocommit connection: the checkpoint row, and a session lock naming the active relay."""

    def __init__(self, url: str, topic: str) -> None:
        self.topic = topic
        self._conn = psycopg.connect(url, autocommit=True)

    def load(self) -> Checkpoint:
        row = self._conn.execute(
            "SELECT position, offsets FROM nguon_relay_checkpoint WHERE topic = %s", (self.topic,)
        ).fetchone()
        if row is None:
            return Checkpoint()
        position, offsets = row
        return Checkpoint(int(position), {int(k): int(v) for k, v in dict(offsets).items()})

    def save(self, position: int, offsets: dict[int, int]) -> None:
        """Called only after Kafka acknowledged every event up to ``position``."""
        self._conn.execute(
            _UPSERT,
            {
                "topic": self.topic,
                "position": position,
                "offsets": json.dumps({str(p): o for p, o in offsets.items()}),
            },
        )

    def lock(self, stop: threading.Event, poll_seconds: float = 1.0) -> bool:
        """Waits to be the only relay of this topic (a session advisory lock); False if stopped.

        Two relays would interleave the same events; the lock goes when this connection does,
        so a killed relay never blocks its successor.
        """
        waited = False
        while not stop.is_set():
            row = self._conn.execute(
                "SELECT pg_try_advisory_lock(hashtextextended(%s, 0))",
                (f"nguon_relay:{self.topic}",),
            ).fetchone()
            if row is not None and row[0]:
                return True
            if not waited:
                log.warning("another relay publishes to %s: waiting for it to stop", self.topic)
                waited = True
            stop.wait(poll_seconds)
        return False

    def unlock(self) -> None:
        """Lets another relay take over; a broken connection has released the lock already."""
        try:
            self._conn.execute(
                "SELECT pg_advisory_unlock(hashtextextended(%s, 0))",
                (f"nguon_relay:{self.topic}",),
            )
        except psycopg.Error:
            log.warning("could not unlock the relay of %s", self.topic, exc_info=True)

    def close(self) -> None:
        self._conn.close()
