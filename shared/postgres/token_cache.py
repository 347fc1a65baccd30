"""The in-memory cache of resolved tokens, and the listener that keeps it honest.

Resolving a token is on every request's hot path, so hits are cached. A cached answer must
never outlive a revocation, in this process or any other: every change to a token row makes
PostgreSQL NOTIFY ``nguon_tokens`` with the token's hash (a trigger, :data:`TOKENS_DDL`, so a
revocation by hand in ``psql`` counts too), and a listener thread drops that entry the moment
the notification arrives. The cache is trusted only while the listener holds LISTEN: when it
does not (no listener given, or its connection lost) every lookup goes to the database, and the
cache starts empty when it is back, so a notification missed while disconnected can never leave
a revoked token working. An expiry is checked on every hit, against the wall clock.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg

from shared.records.actors import Actor

log = logging.getLogger(__name__)

TABLE = "nguon_tokens"
CHANNEL = "nguon_tokens"
LISTEN_RETRY_SECONDS = 1.0

TOKENS_DDL = [
    f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS expires_at timestamptz",
    f"""CREATE OR REPLACE FUNCTION nguon_tokens_notify() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         PERFORM pg_notify('{CHANNEL}', OLD.token_hash);
         RETURN NULL;
       END $$""",
    f"""DO $$ BEGIN
         IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'nguon_tokens_changed') THEN
           CREATE TRIGGER nguon_tokens_changed AFTER UPDATE OR DELETE ON {TABLE}
             FOR EACH ROW EXECUTE FUNCTION nguon_tokens_notify();
         END IF;
       END $$""",
]
"""Run by the migration after the table exists: the expiry column and the revocation signal."""

ListenerFactory = Callable[[], psycopg.Connection[Any]]
"""Opens a dedicated autocommit connection for the listener (never a pooled one: it is held for
the life of the process)."""


def listening_on(url: str) -> ListenerFactory:
    """A :data:`ListenerFactory` for a database URL (the services' own role suffices).

    TCP keepalives notice a silently dropped connection within about 10 s (an idle listener
    otherwise sends nothing that could fail), so the cache stops being trusted soon after.
    """
    return lambda: psycopg.connect(
        url,
        autocommit=True,
        keepalives=1,
        keepalives_idle=5,
        keepalives_interval=2,
        keepalives_count=2,
    )


@dataclass(frozen=True)
class Hit:
    actor: Actor
    fresh_until: float  # on the cache's monotonic clock
    expires_at: datetime | None


class TokenCache:
    def __init__(
        self,
        listen: ListenerFactory | None,
        *,
        ttl_seconds: float,
        max_cached: int,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime],
    ) -> None:
        self._ttl = ttl_seconds
        self._max_cached = max_cached
        self._clock = clock
        self._wall_clock = wall_clock
        self._hits: dict[str, Hit] = {}  # token hash -> hit
        self._lock = threading.Lock()  # guards the hits, the generation and the counters
        self._changed = threading.Condition(self._lock)
        self._generation = 0  # bumped by every notification: a load that spans one is not kept
        self._listening = False
        self.listens = 0
        """How many times the listener has taken hold of LISTEN (1, plus one per reconnection)."""
        self.revocations_heard = 0
        """Notifications the listener has applied (tests wait on it, by count, not by time)."""
        self._stopping = threading.Event()
        self._listener: threading.Thread | None = None
        if listen is not None:
            self._listener = threading.Thread(
                target=self._listen_until_closed,
                args=(listen,),
                name="token-revocations",
                daemon=True,
            )
            self._listener.start()

    @property
    def generation(self) -> int:
        """Read before a database lookup, handed back to :meth:`put` with its answer."""
        return self._generation

    def get(self, hashed: str) -> Actor | None:
        """The cached actor, if the cache is trusted now and the hit neither stale nor expired."""
        hit = self._hits.get(hashed)
        if hit is None or not self._listening or hit.fresh_until <= self._clock():
            return None
        if hit.expires_at is not None and self._wall_clock() >= hit.expires_at:
            return None
        return hit.actor

    def put(self, hashed: str, actor: Actor, expires_at: datetime | None, generation: int) -> None:
        now = self._clock()
        with self._lock:
            if not self._listening or generation != self._generation:
                return  # a revocation may have been heard while this was loading
            if len(self._hits) >= self._max_cached:
                self._hits = {h: old for h, old in self._hits.items() if old.fresh_until > now}
                if len(self._hits) >= self._max_cached:
                    self._hits.clear()
            self._hits[hashed] = Hit(actor, now + self._ttl, expires_at)

    def forget(self, hashed: str) -> None:
        with self._lock:
            self._generation += 1
            self._hits.pop(hashed, None)

    def close(self) -> None:
        self._stopping.set()
        if self._listener is not None:
            self._listener.join(timeout=5)

    def wait_until_listening(self, timeout: float, times: int = 1) -> bool:
        """Blocks until the listener holds LISTEN, for the ``times``-th time (hits are cached)."""
        with self._changed:
            return self._changed.wait_for(
                lambda: self._listening and self.listens >= times, timeout
            )

    def wait_until_heard(self, revocations: int, timeout: float) -> bool:
        """Blocks until the listener has applied ``revocations`` notifications in all."""
        with self._changed:
            return self._changed.wait_for(lambda: self.revocations_heard >= revocations, timeout)

    # The listener thread ---------------------------------------------------------------------

    def _listen_until_closed(self, listen: ListenerFactory) -> None:
        failed = False
        while not self._stopping.is_set():
            try:
                with listen() as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._set_listening(True)
                    for hashed in self._notifications(conn):
                        self._heard_of(hashed)
            except psycopg.Error as error:
                if self._listening or not failed:  # once per outage, not once a second
                    log.warning(
                        "token revocations: not listening (%s); every request asks the database",
                        error,
                    )
                failed = True
            else:
                failed = False
            finally:
                self._set_listening(False)
            self._stopping.wait(LISTEN_RETRY_SECONDS)

    def _notifications(self, conn: psycopg.Connection[Any]) -> Iterator[str]:
        while not self._stopping.is_set():
            # A short timeout, so close() is noticed; psycopg returns at once on a notification.
            for notify in conn.notifies(timeout=0.5):
                yield notify.payload

    def _set_listening(self, listening: bool) -> None:
        with self._changed:
            # Starting or stopping, the cache is emptied: what it held was not covered by LISTEN.
            self._generation += 1
            self._hits.clear()
            self._listening = listening
            if listening:
                self.listens += 1
            self._changed.notify_all()

    def _heard_of(self, hashed: str) -> None:
        with self._changed:
            self._generation += 1
            self._hits.pop(hashed, None)
            self.revocations_heard += 1
            self._changed.notify_all()
