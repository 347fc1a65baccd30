"""Bearer tokens for the capture API: issued once, stored only as a hash, revocable, expirable.

Resolving a token is on every request's hot path, so hits are cached in memory. A cached answer
must never outlive a revocation, in this process or any other: every change to a token row makes
PostgreSQL NOTIFY ``nguon_tokens`` with the token's hash (a trigger, so a revocation by hand in
``psql`` counts too), and a listener thread drops that entry the moment the notification arrives.
The cache is used only while the listener is connected: when it is not (no listener given, or its
connection lost), every request asks the database, and the cache starts empty when it is back,
so a notification missed while disconnected can never leave a revoked token working. An expiry
is checked on every hit, against the wall clock, without the database.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import psycopg
from psycopg.rows import tuple_row

from shared.domain.errors import InvalidValue, NotFound
from shared.records.actors import STAFF, Actor, Role

log = logging.getLogger(__name__)

PREFIX = "ng_"
TABLE = "nguon_tokens"
MAX_TOKEN_LENGTH = 200

CHANNEL = "nguon_tokens"
LISTEN_RETRY_SECONDS = 1.0

ConnectionFactory = Callable[[], AbstractContextManager[psycopg.Connection[Any]]]
"""Lends a connection for one block, e.g. eventsourcing's ``datastore.get_connection``."""

ListenerFactory = Callable[[], psycopg.Connection[Any]]
"""Opens a dedicated autocommit connection for the revocation listener (never a pooled one: it
is held for the life of the process)."""

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
class IssuedToken:
    id: UUID
    token: str  # shown once: only its hash is stored


@dataclass(frozen=True)
class TokenInfo:
    """What staff may see of a token: everything but the secret and its hash."""

    id: UUID
    label: str | None
    role: Role
    organisation_id: UUID | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    def state(self, at: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= at:
            return "expired"
        return "active"


@dataclass(frozen=True)
class _Hit:
    actor: Actor
    fresh_until: float  # on the store's monotonic clock
    expires_at: datetime | None


def token_hash(token: str) -> str:
    # SHA-256 is enough, and its speed is a virtue here: the tokens are 256 random bits, so
    # nobody can guess one from a leaked hash however fast the hash is. Slow password hashes
    # (argon2, bcrypt) protect low-entropy human passwords, and would cost milliseconds on
    # every request whose token is not cached.
    return hashlib.sha256(token.encode()).hexdigest()


def _role(value: Role | str) -> Role:
    try:
        return Role(value)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise InvalidValue("role", f"unknown role {value!r}; use one of {allowed}") from None


def _check_organisation(role: Role, organisation_id: UUID | None) -> None:
    if role in STAFF and organisation_id is not None:
        msg = f"a {role.value} token acts for the province, not for an organisation"
        raise InvalidValue("organisation_id", msg)
    if role not in STAFF and organisation_id is None:
        msg = (
            f"a {role.value} token acts for one organisation: name it"
            f" (the registered {role.value}'s id, e.g. --organisation <uuid>)"
        )
        raise InvalidValue("organisation_id", msg)


class TokenStore:
    def __init__(
        self,
        connect: ConnectionFactory,
        *,
        listen: ListenerFactory | None = None,
        ttl_seconds: float = 30.0,
        max_cached: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._connect = connect
        self._ttl = ttl_seconds
        self._max_cached = max_cached
        self._clock = clock
        self._wall_clock = wall_clock
        self._cache: dict[str, _Hit] = {}  # token hash -> hit
        self._lock = threading.Lock()  # guards the cache, the generation and the counters
        self._generation = 0  # bumped by every notification: a load that spans one is not kept
        self._listening = False
        self.listens = 0
        """How many times the listener has taken hold of LISTEN (1, plus one per reconnection)."""
        self.revocations_heard = 0
        """Notifications the listener has applied (tests wait on it, by count, not by time)."""
        self._heard = threading.Condition(self._lock)
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

    # Issuing, listing, revoking -----------------------------------------------------------

    def issue(
        self,
        role: Role | str,
        organisation_id: UUID | None = None,
        label: str | None = None,
        expires_at: datetime | None = None,
    ) -> IssuedToken:
        checked = _role(role)
        _check_organisation(checked, organisation_id)
        _check_expiry(expires_at, self._wall_clock())
        issued = IssuedToken(uuid4(), PREFIX + secrets.token_urlsafe(32))
        with self._connect() as conn, conn.transaction():
            conn.execute(
                f"INSERT INTO {TABLE} (id, token_hash, role, organisation_id, label, expires_at)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                (
                    issued.id,
                    token_hash(issued.token),
                    checked.value,
                    organisation_id,
                    label,
                    expires_at,
                ),
            )
        return issued

    def create(
        self,
        role: Role | str,
        organisation_id: UUID | None = None,
        label: str | None = None,
        expires_at: datetime | None = None,
    ) -> str:
        """A new token for ``role`` (and the organisation it acts for): copy it now."""
        return self.issue(role, organisation_id, label, expires_at).token

    def list(self) -> list[TokenInfo]:
        """Every token ever issued, oldest first; never the secret nor its hash."""
        with self._connect() as conn:
            rows = (
                conn.cursor(row_factory=tuple_row)
                .execute(
                    "SELECT id, label, role, organisation_id, created_at, expires_at, revoked_at"
                    f" FROM {TABLE} ORDER BY created_at, id"
                )
                .fetchall()
            )
        return [
            TokenInfo(token_id, label, Role(role), organisation, created, expires, revoked)
            for token_id, label, role, organisation, created, expires, revoked in rows
        ]

    def revoke(self, token_id: UUID) -> None:
        """Stops the token at once, here and (through the trigger's NOTIFY) in every process."""
        with self._connect() as conn, conn.transaction():
            row = (
                conn.cursor(row_factory=tuple_row)
                .execute(
                    f"UPDATE {TABLE} SET revoked_at = COALESCE(revoked_at, now())"
                    " WHERE id = %s RETURNING token_hash",
                    (token_id,),
                )
                .fetchone()
            )
        if row is None:
            raise NotFound(f"no token {token_id}: `nguon token list` shows every token's id")
        self._forget(row[0])

    # Resolving ----------------------------------------------------------------------------

    def cached(self, token: str) -> Actor | None:
        """The token's actor if a recent lookup is still fresh; never touches the database."""
        hit = self._cache.get(token_hash(token))
        if hit is None or not self._valid(hit):
            return None
        return hit.actor

    def resolve(self, token: str) -> Actor | None:
        """Who the token acts for; None when it is unknown, revoked or expired."""
        if not token.startswith(PREFIX) or len(token) > MAX_TOKEN_LENGTH:
            return None
        hashed = token_hash(token)
        hit = self._cache.get(hashed)
        if hit is not None and self._valid(hit):
            return hit.actor
        generation = self._generation
        loaded = self._load(hashed)
        if loaded is None:
            return None
        actor, expires_at = loaded
        self._remember(hashed, _Hit(actor, self._clock() + self._ttl, expires_at), generation)
        return actor

    def _valid(self, hit: _Hit) -> bool:
        if not self._listening or hit.fresh_until <= self._clock():
            return False
        return hit.expires_at is None or self._wall_clock() < hit.expires_at

    def _load(self, hashed: str) -> tuple[Actor, datetime | None] | None:
        with self._connect() as conn:
            row = (
                conn.cursor(row_factory=tuple_row)
                .execute(
                    f"SELECT id, role, organisation_id, expires_at FROM {TABLE}"
                    " WHERE token_hash = %s AND revoked_at IS NULL"
                    " AND (expires_at IS NULL OR expires_at > %s)",
                    (hashed, self._wall_clock()),
                )
                .fetchone()
            )
        if row is None:
            return None
        token_id, role, organisation_id, expires_at = row
        return Actor(Role(role), organisation_id, token_id), expires_at

    def _remember(self, hashed: str, hit: _Hit, generation: int) -> None:
        now = self._clock()
        with self._lock:
            if not self._listening or generation != self._generation:
                return  # a revocation may have been heard while this was loading
            if len(self._cache) >= self._max_cached:
                self._cache = {h: old for h, old in self._cache.items() if old.fresh_until > now}
                if len(self._cache) >= self._max_cached:
                    self._cache.clear()
            self._cache[hashed] = hit

    def _forget(self, hashed: str) -> None:
        with self._lock:
            self._generation += 1
            self._cache.pop(hashed, None)

    # Listening for revocations elsewhere -------------------------------------------------

    def close(self) -> None:
        self._stopping.set()
        if self._listener is not None:
            self._listener.join(timeout=5)

    def wait_until_listening(self, timeout: float, times: int = 1) -> bool:
        """Blocks until the listener holds LISTEN, for the ``times``-th time (hits are cached)."""
        with self._heard:
            return self._heard.wait_for(lambda: self._listening and self.listens >= times, timeout)

    def wait_until_heard(self, revocations: int, timeout: float) -> bool:
        """Blocks until the listener has applied ``revocations`` notifications in all."""
        with self._heard:
            return self._heard.wait_for(lambda: self.revocations_heard >= revocations, timeout)

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
        with self._heard:
            # Starting or stopping, the cache is emptied: what it held was not covered by LISTEN.
            self._generation += 1
            self._cache.clear()
            self._listening = listening
            self.listens += listening
            self._heard.notify_all()

    def _heard_of(self, hashed: str) -> None:
        with self._heard:
            self._generation += 1
            self._cache.pop(hashed, None)
            self.revocations_heard += 1
            self._heard.notify_all()


def _check_expiry(expires_at: datetime | None, now: datetime) -> None:
    if expires_at is None:
        return
    if expires_at.tzinfo is None:
        raise InvalidValue("expires_at", "an expiry needs a UTC offset")
    if expires_at <= now:
        msg = f"{expires_at.isoformat()} has passed: choose a later expiry"
        raise InvalidValue("expires_at", msg)
