"""Bearer tokens for the capture API: issued once, stored only as a hash, revocable.

Resolving a token is on every request's hot path, so hits are cached in memory for a short
time (``ttl_seconds``). A revoked token stops working at once in the process that revoked it
and within ``ttl_seconds`` everywhere else.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import psycopg
from psycopg.rows import tuple_row

from shared.domain.errors import InvalidValue, NotFound
from shared.records.actors import STAFF, Actor, Role

PREFIX = "ng_"
TABLE = "nguon_tokens"
MAX_TOKEN_LENGTH = 200

ConnectionFactory = Callable[[], AbstractContextManager[psycopg.Connection[Any]]]
"""Lends a connection for one block, e.g. eventsourcing's ``datastore.get_connection``."""


@dataclass(frozen=True)
class IssuedToken:
    id: UUID
    token: str  # shown once: only its hash is stored


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
        raise InvalidValue("organisation_id", f"a {role.value} token names its organisation")


class TokenStore:
    def __init__(
        self,
        connect: ConnectionFactory,
        *,
        ttl_seconds: float = 30.0,
        max_cached: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._connect = connect
        self._ttl = ttl_seconds
        self._max_cached = max_cached
        self._clock = clock
        self._cache: dict[str, tuple[Actor, float]] = {}  # token hash -> (actor, expires at)
        self._lock = threading.Lock()  # guards pruning against concurrent inserts

    def issue(
        self, role: Role | str, organisation_id: UUID | None = None, label: str | None = None
    ) -> IssuedToken:
        checked = _role(role)
        _check_organisation(checked, organisation_id)
        issued = IssuedToken(uuid4(), PREFIX + secrets.token_urlsafe(32))
        with self._connect() as conn, conn.transaction():
            conn.execute(
                f"INSERT INTO {TABLE} (id, token_hash, role, organisation_id, label)"
                " VALUES (%s, %s, %s, %s, %s)",
                (issued.id, token_hash(issued.token), checked.value, organisation_id, label),
            )
        return issued

    def create(
        self, role: Role | str, organisation_id: UUID | None = None, label: str | None = None
    ) -> str:
        """A new token for ``role`` (and the organisation it acts for): copy it now."""
        return self.issue(role, organisation_id, label).token

    def cached(self, token: str) -> Actor | None:
        """The token's actor if a recent lookup is still fresh; never touches the database."""
        hit = self._cache.get(token_hash(token))
        if hit is None or hit[1] <= self._clock():
            return None
        return hit[0]

    def resolve(self, token: str) -> Actor | None:
        """Who the token acts for; None when it is unknown or revoked."""
        if not token.startswith(PREFIX) or len(token) > MAX_TOKEN_LENGTH:
            return None
        hashed = token_hash(token)
        hit = self._cache.get(hashed)
        if hit is not None and hit[1] > self._clock():
            return hit[0]
        actor = self._load(hashed)
        if actor is not None:
            self._remember(hashed, actor)
        return actor

    def revoke(self, token_id: UUID) -> None:
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
            raise NotFound(f"no token {token_id}")
        with self._lock:
            self._cache.pop(row[0], None)

    def _load(self, hashed: str) -> Actor | None:
        with self._connect() as conn:
            row = (
                conn.cursor(row_factory=tuple_row)
                .execute(
                    f"SELECT id, role, organisation_id FROM {TABLE}"
                    " WHERE token_hash = %s AND revoked_at IS NULL",
                    (hashed,),
                )
                .fetchone()
            )
        if row is None:
            return None
        token_id, role, organisation_id = row
        return Actor(Role(role), organisation_id, token_id)

    def _remember(self, hashed: str, actor: Actor) -> None:
        now = self._clock()
        with self._lock:
            if len(self._cache) >= self._max_cached:
                self._cache = {h: hit for h, hit in self._cache.items() if hit[1] > now}
                if len(self._cache) >= self._max_cached:
                    self._cache.clear()
            self._cache[hashed] = (actor, now + self._ttl)
