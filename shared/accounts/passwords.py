"""Password hashing (Argon2id), password rules and one-time codes.

Argon2id through ``argon2-cffi``'s ``PasswordHasher``, with OWASP's first recommended parameters
(19 MiB, 2 passes, 1 lane) rather than the library's RFC 9106 defaults (64 MiB, 4 lanes): on two
cores, 40 concurrent sign-ins at 64 MiB each would hold 2.5 GiB, and the extra lanes buy nothing.
Measured here (2 shared cores, load 7): about 86 ms a verification, against 530-800 ms with the
defaults. A hash made with other parameters is rehashed at the next sign-in. Checking a
username that matches no account still verifies a dummy hash, so that an unknown username costs
the same time as a wrong password and answers nothing about who has an account.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from shared.domain.errors import InvalidValue

MIN_PASSWORD_LENGTH = 8  # NIST SP 800-63B's floor for a password a person chooses
MAX_PASSWORD_LENGTH = 256  # long passphrases are welcome; megabytes are a denial of service
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed on a phone
CODE_LENGTH = 12  # 60 bits: a code lives for days, but the lock-out allows 5 guesses per 15 min


def standard_hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


class Passwords:
    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self.hasher = hasher or standard_hasher()
        self._dummy = self.hasher.hash(secrets.token_urlsafe(16))

    def hash(self, secret: str) -> str:
        return self.hasher.hash(secret)

    def verify(self, stored: str | None, typed: str) -> bool:
        """Whether ``typed`` matches ``stored``; with no stored hash, the same work for False."""
        try:
            return self.hasher.verify(stored or self._dummy, typed[:MAX_PASSWORD_LENGTH]) and (
                stored is not None
            )
        except (VerificationError, InvalidHashError):
            return False

    def spend_the_same_time(self, typed: str) -> None:
        """For a refusal decided without a hash (unknown, locked): look like a wrong password."""
        self.verify(None, typed)

    def needs_rehash(self, stored: str) -> bool:
        return self.hasher.check_needs_rehash(stored)


def new_one_time_code() -> str:
    """A random code to hand over in person, shown as ``ABCD-EFGH-JKLM``."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def typed_code(typed: str) -> str:
    """A code as typed (spaces, lower case, without dashes) in the form it was hashed in."""
    kept = "".join(ch for ch in typed.upper() if ch.isalnum())
    return "-".join(kept[i : i + 4] for i in range(0, len(kept), 4))


def check_new_password(password: str, confirmation: str, username: str) -> None:
    """The rules a chosen password must meet; each refusal names the field to fix."""
    if len(password) < MIN_PASSWORD_LENGTH:
        msg = f"a password has at least {MIN_PASSWORD_LENGTH} characters"
        params = {"min": MIN_PASSWORD_LENGTH}
        raise InvalidValue("password", msg, code="password_too_short", params=params)
    if len(password) > MAX_PASSWORD_LENGTH:
        msg = f"a password has at most {MAX_PASSWORD_LENGTH} characters"
        params = {"max": MAX_PASSWORD_LENGTH}
        raise InvalidValue("password", msg, code="password_too_long", params=params)
    if password.strip().lower() == username.lower():
        msg = "a password must not be the username"
        raise InvalidValue("password", msg, code="password_is_username")
    if password != confirmation:
        msg = "the two passwords differ: type the same one twice"
        raise InvalidValue("confirmation", msg, code="password_mismatch")
