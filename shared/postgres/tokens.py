"""Bearer tokens for the capture API: issued once, stored only as a hash, revocable, expirable.

Resolving goes through a :class:`~shared.postgres.token_cache.TokenCache`, which a revocation or
an expiry never outlives, in this process or any other (see that module).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import psycopg
from psycopg.rows import tuple_row

from shared.domain.errors import InvalidValue, NotFound
from shared.postgres.token_cache import TABLE, ListenerFactory, TokenCache
from shared.records.actors import STAFF, Actor, Role

PREFIX = "ng_"
MAX_TOKEN_LENGTH = 200

ConnectionFactory = Callable[[], AbstractContextManager[psycopg.Connection[Any]]]
"""Lends a connection for one block, e.g. eventsourcing's ``datastore.get_connection``."""


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
        msg = f"unknown role {value!r}; use one of {allowed}"
        params = {"field": "role", "value": value, "allowed": allowed}
        raise InvalidValue("role", msg, code="unknown_choice", params=params) from None


def _check_organisation(role: Role, organisation_id: UUID | None) -> None:
    if role in STAFF and organisation_id is not None:
        msg = f"a {role.value} token acts for the province, not for an organisation"
        params = {"role": role.value}
        raise InvalidValue("organisation_id", msg, code="staff_token_organisation", params=params)
    if role not in STAFF and organisation_id is None:
        msg = (
            f"a {role.value} token acts for one organisation: name it"
            f" (the registered {role.value}'s id, e.g. --organisation <uuid>)"
        )
        params = {"role": role.value}
        raise InvalidValue("organisation_id", msg, code="token_needs_organisation", params=params)


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
        self._wall_clock = wall_clock
        self.cache = TokenCache(
            listen,
            ttl_seconds=ttl_seconds,
            max_cached=max_cached,
            clock=clock,
            wall_clock=wall_clock,
        )

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
            msg = f"no token {token_id}: `nguon token list` shows every token's id"
            raise NotFound(msg, params={"id": token_id})
        self.cache.forget(row[0])

    # Resolving ----------------------------------------------------------------------------

    def cached(self, token: str) -> Actor | None:
        """The token's actor if the cache may answer; never touches the database."""
        return self.cache.get(token_hash(token))

    def resolve(self, token: str) -> Actor | None:
        """Who the token acts for; None when it is unknown, revoked or expired."""
        if not token.startswith(PREFIX) or len(token) > MAX_TOKEN_LENGTH:
            return None
        hashed = token_hash(token)
        hit = self.cache.get(hashed)
        if hit is not None:
            return hit
        generation = self.cache.generation
        loaded = self._load(hashed)
        if loaded is None:
            return None
        actor, expires_at = loaded
        self.cache.put(hashed, actor, expires_at, generation)
        return actor

    def close(self) -> None:
        """Stops the revocation listener."""
        self.cache.close()

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


def _check_expiry(expires_at: datetime | None, now: datetime) -> None:
    if expires_at is None:
        return
    if expires_at.tzinfo is None:
        raise InvalidValue("expires_at", "an expiry needs a UTC offset", code="time_needs_offset")
    if expires_at <= now:
        msg = f"{expires_at.isoformat()} has passed: choose a later expiry"
        params = {"expires_at": expires_at.isoformat()}
        raise InvalidValue("expires_at", msg, code="expiry_passed", params=params)
