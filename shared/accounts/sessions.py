"""Sessions in PostgreSQL behind a signed cookie, and the ``Gate`` other apps ask.

The cookie carries a random 32-byte token, signed with ``itsdangerous`` so that an edited or
forged cookie is refused before any query; the database keeps only the token's SHA-256, so a
leaked sessions table opens no session. A session ends when its person signs out (its row is
deleted: the old cookie opens nothing), after ``idle`` without a request, ``absolute`` after
sign-in, or when its account is disabled or reset. ``last_seen_at`` is written at most once a
minute, so reading a page is not a write each time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from itsdangerous import BadSignature, Signer
from psycopg.rows import dict_row
from starlette.requests import Request
from starlette.responses import Response

from shared.accounts.gate import SESSION_COOKIE, Person
from shared.accounts.names import names_of
from shared.accounts.store import ACCOUNTS, SESSIONS, Account, AccountStore
from shared.postgres.tokens import ConnectionFactory
from shared.settings import NguonSettings

FULL = "full"
NEW_PASSWORD = "new_password"  # noqa: S105 - a purpose, not a secret; signed in with a one-time code: may only set a password
TOUCH_EVERY = timedelta(minutes=1)
_SALT = "nguon.session"


@dataclass(frozen=True)
class SessionPolicy:
    secret: str
    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=12)
    https_only: bool = False  # the public address is https: every cookie is Secure

    @classmethod
    def from_settings(cls, settings: NguonSettings) -> SessionPolicy:
        return cls(
            secret=settings.session_secret.get_secret_value(),
            idle=timedelta(minutes=settings.session_idle_minutes),
            absolute=timedelta(hours=settings.session_absolute_hours),
            https_only=settings.public_base_url.startswith("https://"),
        )


@dataclass(frozen=True)
class Session:
    token_hash: str
    account: Account
    csrf_token: str
    purpose: str
    created_at: datetime
    last_seen_at: datetime

    @property
    def person(self) -> Person:
        return Person(
            account_id=self.account.id,
            username=self.account.username,
            display_name=self.account.display_name,
            actor=self.account.actor,
            csrf_token=self.csrf_token,
        )


def _hash(token: str) -> str:
    # SHA-256 suffices: the token is 256 random bits (see shared.postgres.tokens.token_hash).
    return hashlib.sha256(token.encode()).hexdigest()


class SessionStore:
    def __init__(
        self,
        connect: ConnectionFactory,
        policy: SessionPolicy,
        *,
        wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._connect = connect
        self.policy = policy
        self._signer = Signer(policy.secret, salt=_SALT)
        self.now = wall_clock

    def start(self, account_id: UUID, purpose: str = FULL) -> str:
        """A new session; returns the cookie's value (the signed token)."""
        token = secrets.token_urlsafe(32)
        now = self.now()
        with self._connect() as conn, conn.transaction():
            self._forget_ended(conn, now)
            conn.execute(
                f"INSERT INTO {SESSIONS} (token_hash, account_id, csrf_token, purpose,"
                " created_at, last_seen_at) VALUES (%s, %s, %s, %s, %s, %s)",
                (_hash(token), account_id, secrets.token_urlsafe(32), purpose, now, now),
            )
        return self._signer.sign(token).decode()

    def find(self, cookie: str | None) -> Session | None:
        """The live session a cookie names, on an account that is not disabled; else None."""
        token = self._unsigned(cookie)
        if token is None:
            return None
        hashed, now = _hash(token), self.now()
        with self._connect() as conn:
            row = (
                conn.cursor(row_factory=dict_row)
                .execute(
                    f"SELECT s.csrf_token, s.purpose, s.created_at AS session_created_at,"
                    f" s.last_seen_at, a.* FROM {SESSIONS} s JOIN {ACCOUNTS} a"
                    " ON a.id = s.account_id WHERE s.token_hash = %s AND a.disabled_at IS NULL",
                    (hashed,),
                )
                .fetchone()
            )
        if row is None:
            return None
        session = _session(hashed, row)
        if self._has_ended(session, now):
            self.end_hash(hashed)
            return None
        if now - session.last_seen_at >= TOUCH_EVERY:
            self._touch(hashed, now)
        return session

    def names_of(self, ids: Iterable[UUID]) -> dict[UUID, str]:
        return names_of(self._connect, ids)

    def end(self, cookie: str | None) -> None:
        token = self._unsigned(cookie)
        if token is not None:
            self.end_hash(_hash(token))

    def end_hash(self, token_hash: str) -> None:
        with self._connect() as conn, conn.transaction():
            conn.execute(f"DELETE FROM {SESSIONS} WHERE token_hash = %s", (token_hash,))

    def end_all(self, account_id: UUID, *, but: str | None = None) -> None:
        """Ends every session of an account (but one: the session that changed the password)."""
        with self._connect() as conn, conn.transaction():
            conn.execute(
                f"DELETE FROM {SESSIONS} WHERE account_id = %s AND token_hash IS DISTINCT FROM %s",
                (account_id, but),
            )

    # The cookie ---------------------------------------------------------------------------

    def set_cookie(self, response: Response, request: Request, value: str) -> None:
        response.set_cookie(
            SESSION_COOKIE,
            value,
            max_age=int(self.policy.absolute.total_seconds()),
            path="/",
            secure=self.policy.https_only or request.url.scheme == "https",
            httponly=True,
            samesite="lax",
        )

    def clear_cookie(self, response: Response, request: Request) -> None:
        response.delete_cookie(
            SESSION_COOKIE,
            path="/",
            secure=self.policy.https_only or request.url.scheme == "https",
            httponly=True,
            samesite="lax",
        )

    def _unsigned(self, cookie: str | None) -> str | None:
        if not cookie or len(cookie) > 200:
            return None
        try:
            return self._signer.unsign(cookie).decode()
        except BadSignature:
            return None

    def _has_ended(self, session: Session, now: datetime) -> bool:
        return (
            now - session.last_seen_at >= self.policy.idle
            or now - session.created_at >= self.policy.absolute
        )

    def _touch(self, token_hash: str, now: datetime) -> None:
        with self._connect() as conn, conn.transaction():
            conn.execute(
                f"UPDATE {SESSIONS} SET last_seen_at = %s WHERE token_hash = %s",
                (now, token_hash),
            )

    def _forget_ended(self, conn: Any, now: datetime) -> None:
        # Sessions nobody signed out of would otherwise pile up; signing in sweeps them.
        conn.execute(
            f"DELETE FROM {SESSIONS} WHERE last_seen_at <= %s OR created_at <= %s",
            (now - self.policy.idle, now - self.policy.absolute),
        )


def _session(token_hash: str, row: dict[str, Any]) -> Session:
    fields = dict(row)
    csrf, purpose = fields.pop("csrf_token"), fields.pop("purpose")
    created, seen = fields.pop("session_created_at"), fields.pop("last_seen_at")
    account = AccountStore.account_of(fields)
    return Session(token_hash, account, csrf, purpose, created, seen)


class AccountsGate:
    """The ``Gate`` every app for people asks: who sent this request, and is its form theirs."""

    def __init__(self, sessions: SessionStore) -> None:
        self.sessions = sessions

    def session(self, request: Request) -> Session | None:
        # Asked several times per request (a dependency, then the page): one query.
        if "nguon_session" not in request.scope:
            request.scope["nguon_session"] = self.sessions.find(request.cookies.get(SESSION_COOKIE))
        found: Session | None = request.scope["nguon_session"]
        return found

    def person(self, request: Request) -> Person | None:
        session = self.session(request)
        if session is None or session.purpose != FULL:
            return None
        return session.person

    def names_of(self, ids: Iterable[UUID]) -> dict[UUID, str]:
        """Who recorded events (accounts' names, tokens' labels): for staff pages only."""
        return self.sessions.names_of(ids)

    def csrf_ok(self, person: Person, submitted: str | None) -> bool:
        return submitted is not None and hmac.compare_digest(
            person.csrf_token.encode(), submitted.encode()
        )
