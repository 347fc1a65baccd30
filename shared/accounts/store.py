"""People's accounts in PostgreSQL: creating, resetting, disabling, and what sign-in keeps.

Creating or resetting an account makes a one-time code, shown once to the person who made it
(only its Argon2id hash is kept, in ``password_hash``, with ``must_set_password``): its first use
signs in to set a password and voids it. Disabling or resetting ends the account's sessions.
Who may manage whose account is ``permissions``' rule; which organisation an account may name,
``organisations``'.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import psycopg
from psycopg.rows import dict_row

from shared.accounts.names import names_of
from shared.accounts.organisations import Organisations, check_binding
from shared.accounts.passwords import Passwords, new_one_time_code
from shared.accounts.permissions import require_may_manage
from shared.accounts.usernames import normalise_username
from shared.domain.errors import InvalidValue, NotFound, NotPermitted
from shared.postgres.tokens import ConnectionFactory
from shared.records.actors import Actor, Role

ACCOUNTS = "nguon_accounts"
SESSIONS = "nguon_sessions"
LOCK_AFTER_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
MAX_NAME_LENGTH = 120
_COLUMNS = (
    "id, username, display_name, role, organisation_id, household_ref, password_hash,"
    " must_set_password, code_expires_at, failed_attempts, locked_until, disabled_at,"
    " created_by, created_at"
)


@dataclass(frozen=True)
class NewAccount:
    username: str  # as typed: normalised on creation
    display_name: str
    role: Role
    organisation_id: UUID | None = None
    household_ref: str | None = None


@dataclass(frozen=True)
class IssuedCode:
    account_id: UUID
    username: str
    code: str  # shown once, to hand over in person: only its hash is stored
    expires_at: datetime


@dataclass(frozen=True)
class Account:
    id: UUID
    username: str
    display_name: str
    role: Role
    organisation_id: UUID | None
    household_ref: str | None
    password_hash: str | None
    must_set_password: bool
    code_expires_at: datetime | None
    failed_attempts: int
    locked_until: datetime | None
    disabled_at: datetime | None
    created_by: UUID | None
    created_at: datetime

    @property
    def actor(self) -> Actor:
        return Actor(
            self.role, self.organisation_id, account_id=self.id, household_ref=self.household_ref
        )

    def state(self, at: datetime) -> str:
        """``disabled``, ``locked``, ``awaiting_first_sign_in`` or ``active``."""
        if self.disabled_at is not None:
            return "disabled"
        if self.locked_until is not None and self.locked_until > at:
            return "locked"
        if self.must_set_password:
            return "awaiting_first_sign_in"
        return "active"


class AccountStore:
    def __init__(
        self,
        connect: ConnectionFactory,
        organisations: Organisations,
        passwords: Passwords,
        *,
        code_lifetime: timedelta = timedelta(hours=72),
        wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._connect = connect
        self.organisations = organisations
        self.passwords = passwords
        self._code_lifetime = code_lifetime
        self.now = wall_clock

    # Managing -----------------------------------------------------------------------------

    def create(self, manager: Actor, new: NewAccount) -> IssuedCode:
        username = normalise_username(new.username)
        name = _display_name(new.display_name)
        household = new.household_ref.strip() if new.household_ref else None
        require_may_manage(manager, new.role, new.organisation_id)
        check_binding(self.organisations, new.role, new.organisation_id, household)
        account_id = uuid4()
        code, expires_at = new_one_time_code(), self.now() + self._code_lifetime
        try:
            with self._connect() as conn, conn.transaction():
                conn.execute(
                    f"INSERT INTO {ACCOUNTS} (id, username, display_name, role, organisation_id,"
                    " household_ref, password_hash, must_set_password, code_expires_at,"
                    " created_by, created_at)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, true, %s, %s, %s)",
                    (
                        account_id,
                        username,
                        name,
                        new.role.value,
                        new.organisation_id,
                        household,
                        self.passwords.hash(code),
                        expires_at,
                        manager.actor_id,
                        self.now(),
                    ),
                )
        except psycopg.errors.UniqueViolation:
            msg = f"{username} already has an account: reset its password instead"
            raise InvalidValue(
                "username", msg, code="username_taken", params={"username": username}
            ) from None
        return IssuedCode(account_id, username, code, expires_at)

    def reset(self, manager: Actor, account_id: UUID) -> IssuedCode:
        """A new one-time code; the old password and every session of the account end."""
        account = self._managed(manager, account_id)
        code, expires_at = new_one_time_code(), self.now() + self._code_lifetime
        with self._connect() as conn, conn.transaction():
            conn.execute(
                f"UPDATE {ACCOUNTS} SET password_hash = %s, must_set_password = true,"
                " code_expires_at = %s, failed_attempts = 0, locked_until = NULL,"
                " disabled_at = NULL WHERE id = %s",
                (self.passwords.hash(code), expires_at, account_id),
            )
            conn.execute(f"DELETE FROM {SESSIONS} WHERE account_id = %s", (account_id,))
        return IssuedCode(account_id, account.username, code, expires_at)

    def disable(self, manager: Actor, account_id: UUID) -> None:
        """The account can no longer sign in, and its sessions end at once."""
        self._managed(manager, account_id)
        if manager.account_id == account_id:
            msg = "you cannot disable your own account: ask another administrator"
            raise NotPermitted(msg, code="disable_own_account")
        with self._connect() as conn, conn.transaction():
            conn.execute(
                f"UPDATE {ACCOUNTS} SET disabled_at = COALESCE(disabled_at, %s) WHERE id = %s",
                (self.now(), account_id),
            )
            conn.execute(f"DELETE FROM {SESSIONS} WHERE account_id = %s", (account_id,))

    def _managed(self, manager: Actor, account_id: UUID) -> Account:
        account = self.get(account_id)
        require_may_manage(manager, account.role, account.organisation_id)
        return account

    # Reading ------------------------------------------------------------------------------

    def get(self, account_id: UUID) -> Account:
        found = self._one("id = %s", account_id)
        if found is None:
            msg = f"no account {account_id}: `nguon user list` shows every account"
            raise NotFound(msg, params={"id": account_id})
        return found

    def find(self, id_or_username: str) -> Account:
        """An account named by its id or by its username (in any form it may be typed)."""
        try:
            return self.get(UUID(id_or_username))
        except ValueError:
            pass
        found = self.by_username(normalise_username(id_or_username))
        if found is None:
            msg = f"no account {id_or_username}: `nguon user list` shows every account"
            raise NotFound(msg, params={"id": id_or_username})
        return found

    def by_username(self, username: str) -> Account | None:
        return self._one("username = %s", username)

    def of_organisation(self, organisation_id: UUID) -> list[Account]:
        return self._many("WHERE organisation_id = %s", (organisation_id,))

    def all(self) -> list[Account]:
        return self._many("", ())

    def names_of(self, ids: Iterable[UUID]) -> dict[UUID, str]:
        """Who recorded events, for staff pages: accounts' display names, tokens' labels."""
        return names_of(self._connect, ids)

    # What signing in keeps ----------------------------------------------------------------

    def record_failure(self, account_id: UUID) -> None:
        """One more failed sign-in; the fifth in a row locks the account for a while."""
        now = self.now()
        with self._connect() as conn, conn.transaction():
            conn.execute(
                f"UPDATE {ACCOUNTS} SET failed_attempts = CASE"
                " WHEN failed_attempts + 1 >= %s THEN 0 ELSE failed_attempts + 1 END,"
                " locked_until = CASE WHEN failed_attempts + 1 >= %s THEN %s"
                " ELSE locked_until END WHERE id = %s",
                (LOCK_AFTER_FAILURES, LOCK_AFTER_FAILURES, now + LOCK_FOR, account_id),
            )

    def record_success(self, account: Account, typed_password: str) -> None:
        """Clears the failures; rehashes a password hashed with older parameters."""
        rehash = (
            account.password_hash is not None
            and not account.must_set_password
            and self.passwords.needs_rehash(account.password_hash)
        )
        with self._connect() as conn, conn.transaction():
            conn.execute(
                f"UPDATE {ACCOUNTS} SET failed_attempts = 0, locked_until = NULL,"
                " password_hash = COALESCE(%s, password_hash) WHERE id = %s",
                (self.passwords.hash(typed_password) if rehash else None, account.id),
            )

    def use_code(self, account_id: UUID) -> None:
        """The one-time code has signed in once: it is void from now on."""
        with self._connect() as conn, conn.transaction():
            conn.execute(
                f"UPDATE {ACCOUNTS} SET password_hash = NULL, failed_attempts = 0,"
                " locked_until = NULL WHERE id = %s AND must_set_password",
                (account_id,),
            )

    def set_password(self, account_id: UUID, password: str) -> None:
        with self._connect() as conn, conn.transaction():
            conn.execute(
                f"UPDATE {ACCOUNTS} SET password_hash = %s, must_set_password = false,"
                " code_expires_at = NULL, password_changed_at = %s WHERE id = %s",
                (self.passwords.hash(password), self.now(), account_id),
            )

    @staticmethod
    def account_of(row: dict[str, Any]) -> Account:
        """An account from a row of ``nguon_accounts`` (its own columns only)."""
        return _account(row)

    def _one(self, where: str, value: object) -> Account | None:
        with self._connect() as conn:
            row = (
                conn.cursor(row_factory=dict_row)
                .execute(f"SELECT {_COLUMNS} FROM {ACCOUNTS} WHERE {where}", (value,))
                .fetchone()
            )
        return None if row is None else _account(row)

    def _many(self, where: str, params: tuple[object, ...]) -> list[Account]:
        with self._connect() as conn:
            rows = (
                conn.cursor(row_factory=dict_row)
                .execute(
                    f"SELECT {_COLUMNS} FROM {ACCOUNTS} {where} ORDER BY display_name, username",
                    params,
                )
                .fetchall()
            )
        return [_account(row) for row in rows]


def _account(row: dict[str, Any]) -> Account:
    wanted = {name: row[name] for name in Account.__dataclass_fields__}
    return Account(**{**wanted, "role": Role(row["role"])})


def _display_name(typed: str) -> str:
    name = " ".join(typed.split())
    if not name:
        raise InvalidValue("display_name", "type the person's name", code="name_missing")
    if len(name) > MAX_NAME_LENGTH:
        msg = f"a name has at most {MAX_NAME_LENGTH} characters"
        params = {"max": MAX_NAME_LENGTH}
        raise InvalidValue("display_name", msg, code="name_too_long", params=params)
    return name
