"""A username is a phone number or an e-mail, stored in one form so each person has one account.

Phone numbers are Vietnamese: ``0912 345 678``, ``+84 912 345 678`` and ``84912345678`` are the
same person and are kept as ``0912345678``. E-mails are kept lower-cased.
"""

from __future__ import annotations

import re

from shared.domain.errors import InvalidValue

_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_LOCAL_PHONE = re.compile(r"0\d{9,10}")  # 10 digits for mobiles, 11 for landlines
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
MAX_LENGTH = 254  # the longest e-mail address a mail server accepts


def normalise_username(typed: str) -> str:
    """The one stored form of a phone number or an e-mail; refuses anything else."""
    text = typed.strip()
    if "@" in text:
        email = text.lower()
        if len(email) <= MAX_LENGTH and _EMAIL.fullmatch(email):
            return email
    else:
        digits = _PHONE_SEPARATORS.sub("", text)
        if digits.startswith("+84"):
            digits = "0" + digits[3:]
        elif digits.startswith("84") and len(digits) in (11, 12):
            digits = "0" + digits[2:]
        if _LOCAL_PHONE.fullmatch(digits):
            return digits
    msg = "a username is a phone number (e.g. 0912345678) or an e-mail address"
    raise InvalidValue("username", msg, code="username_invalid", params={"value": typed})


def try_normalise(typed: str) -> str | None:
    """For signing in: a username that cannot exist simply matches no account."""
    try:
        return normalise_username(typed)
    except InvalidValue:
        return None
