"""Signing in, setting a first password, changing it: the rules, without HTTP.

Every refusal of a sign-in is the same answer in about the same time, whether the username is
unknown, the password wrong, the account disabled or locked: one Argon2id verification each, and
nothing that tells whether the account exists. A client address past its failures per window
is throttled (it learns when to try again, nothing about any account). The fifth failure in a
row locks the account for 15 minutes (``store.LOCK_AFTER_FAILURES``, ``LOCK_FOR``).
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.accounts.passwords import check_new_password, typed_code
from shared.accounts.sessions import FULL, NEW_PASSWORD, Session, SessionStore
from shared.accounts.store import Account, AccountStore
from shared.accounts.throttle import AddressThrottle
from shared.accounts.usernames import try_normalise
from shared.domain.errors import InvalidValue, NotPermitted


@dataclass(frozen=True)
class SignedIn:
    cookie: str  # the new session's cookie value
    account: Account
    must_set_password: bool  # signed in with a one-time code: only the new-password page


@dataclass(frozen=True)
class Refused:
    """Wrong username or password, as far as anyone asking can tell."""


@dataclass(frozen=True)
class Throttled:
    retry_after: int  # seconds


class SignIn:
    def __init__(
        self, accounts: AccountStore, sessions: SessionStore, throttle: AddressThrottle
    ) -> None:
        self.accounts = accounts
        self.sessions = sessions
        self.throttle = throttle

    def attempt(self, username: str, password: str, address: str) -> SignedIn | Refused | Throttled:
        wait = self.throttle.retry_after(address)
        if wait is not None:
            return Throttled(wait)
        normalised = try_normalise(username)
        account = self.accounts.by_username(normalised) if normalised else None
        if account is None or not self._may_try(account):
            self.accounts.passwords.spend_the_same_time(password)
            self.throttle.failed(address)
            return Refused()
        typed = typed_code(password) if account.must_set_password else password
        if not self.accounts.passwords.verify(account.password_hash, typed):
            self.accounts.record_failure(account.id)
            self.throttle.failed(address)
            return Refused()
        if account.must_set_password:
            self.accounts.use_code(account.id)  # single use: void from this moment
            return SignedIn(self.sessions.start(account.id, NEW_PASSWORD), account, True)
        self.accounts.record_success(account, password)
        return SignedIn(self.sessions.start(account.id, FULL), account, False)

    def _may_try(self, account: Account) -> bool:
        now = self.accounts.now()
        if account.disabled_at is not None or account.password_hash is None:
            return False
        if account.locked_until is not None and account.locked_until > now:
            return False
        expired = account.code_expires_at is not None and account.code_expires_at <= now
        return not (account.must_set_password and expired)

    def set_first_password(self, session: Session, password: str, confirmation: str) -> str:
        """After a one-time code: the chosen password, and a full session's cookie."""
        if session.purpose != NEW_PASSWORD:
            msg = "a new password is set once, after signing in with a one-time code"
            raise NotPermitted(msg, code="no_one_time_code")
        check_new_password(password, confirmation, session.account.username)
        self.accounts.set_password(session.account.id, password)
        self.sessions.end_all(session.account.id)
        return self.sessions.start(session.account.id, FULL)

    def change_password(
        self, session: Session, current: str, password: str, confirmation: str
    ) -> None:
        """A signed-in person's new password; their other sessions end."""
        account = self.accounts.get(session.account.id)
        if not self.accounts.passwords.verify(account.password_hash, current):
            self.accounts.record_failure(account.id)
            msg = "the current password is not right"
            raise InvalidValue("current_password", msg, code="current_password_wrong")
        check_new_password(password, confirmation, account.username)
        self.accounts.set_password(account.id, password)
        self.sessions.end_all(account.id, but=session.token_hash)
