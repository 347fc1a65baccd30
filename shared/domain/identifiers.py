"""Identifiers: GS1 keys (GTIN, lot), short batch codes, and ids derived from natural keys.

The rules here are the only definition of what a GTIN, a lot and a batch code may be: capture
refuses what they refuse, and the web service and ``shared.gs1`` call them before looking
anything up. They are plain arithmetic and character sets, so the domain stays pure (standard
library only; ``shared.gs1`` builds and parses Digital Link URIs with ``biip`` on top of them).

Ids of cooperatives and enterprises are derived from their registration number and tax code, and
a batch's id from its short code, so the event store's uniqueness on (id, version 1) is what
refuses a second registration of the same thing, even under concurrent requests.
"""

from __future__ import annotations

import re
from typing import Final
from uuid import UUID, uuid5

from shared.domain.errors import InvalidValue

NAMESPACE = UUID("6f1c1f3e-4a57-5b8e-9d0a-7a1b2c3d4e5f")

GTIN_LENGTHS: Final = (8, 12, 13, 14)
LOT_MAX_LENGTH: Final = 20

# GS1 AI (10) batch/lot: up to 20 characters of the GS1 AI encodable character set 82.
_CHARACTER_SET_82 = re.compile(r"[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}", re.ASCII)

NOT_IN_A_DIGITAL_LINK: Final = frozenset('"')
"""Set-82 characters no GS1 Digital Link URI can carry. GS1's URI grammar (as GS1's own
validator, digital-link.js, implements it) wants ``"`` unencoded, while a URI (RFC 3986) may
not hold it unencoded and phones send it as ``%22``: no spelling satisfies both, so a lot with
it would print a QR code that one side or the other refuses. Every other set-82 character has
exactly one spelling both accept (see ``shared.gs1.digital_link``)."""

_DOT_SEGMENTS: Final = frozenset({".", ".."})
"""A path segment of only dots is removed by every URI resolver (RFC 3986, 5.2.4), so
``/10/..`` would open the GTIN, not the lot, whatever the QR code says."""

# The number is drawn from a PostgreSQL bigint sequence: at least six digits, at most nineteen.
BATCH_CODE = re.compile(r"(?P<province>[A-Z]{2,3})-(?P<year>\d{4})-(?P<number>\d{6,19})", re.ASCII)


def check_digit(body: str) -> int:
    """The GS1 mod-10 check digit of ``body`` (the key without it): weights 3,1,3,... from the
    right, as the GS1 General Specifications (7.9.1) define for every GTIN length."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def gtin14(value: str, field: str = "gtin") -> str:
    """Validates a GTIN-8/12/13/14 and its check digit; returns it as GTIN-14."""
    if not (value.isascii() and value.isdigit()) or len(value) not in GTIN_LENGTHS:
        msg = f"GTIN {value!r} must be 8, 12, 13 or 14 digits"
        raise InvalidValue(field, msg, code="gtin_length", params={"gtin": value})
    expected = check_digit(value[:-1])
    if int(value[-1]) != expected:
        msg = f"GTIN {value!r} is not valid: its check digit should be {expected}, not {value[-1]}"
        params = {"gtin": value, "expected": expected, "given": value[-1]}
        raise InvalidValue(field, msg, code="gtin_check_digit", params=params)
    return value.zfill(14)


def is_lot_syntax(value: str) -> bool:
    """True for any value GS1 AI (10) allows: 1 to 20 characters of set 82."""
    return _CHARACTER_SET_82.fullmatch(value) is not None


def lot(value: str, field: str = "lot") -> str:
    """A lot we may issue: GS1 AI (10) syntax, and writable in a GS1 Digital Link URI."""
    if not is_lot_syntax(value):
        msg = (
            f"lot {value!r} must be 1 to {LOT_MAX_LENGTH} GS1 characters: unaccented letters, "
            "digits and !%&'()*+,-./:;<=>?_ (no spaces, no accents)"
        )
        params = {"lot": value, "max_length": LOT_MAX_LENGTH}
        raise InvalidValue(field, msg, code="lot_characters", params=params)
    if NOT_IN_A_DIGITAL_LINK.intersection(value) or value in _DOT_SEGMENTS:
        msg = (
            f"lot {value!r} cannot be written in a GS1 Digital Link (QR code): leave out the "
            'double quote ("), and do not use "." or ".." alone'
        )
        raise InvalidValue(field, msg, code="lot_not_in_digital_link", params={"lot": value})
    return value


def batch_code(province: str, year: int, number: int) -> str:
    return f"{province}-{year:04d}-{number:06d}"


def is_batch_code(value: str) -> bool:
    return BATCH_CODE.fullmatch(value) is not None


def batch_id(code: str) -> UUID:
    return uuid5(NAMESPACE, f"batch:{code}")


def cooperative_id(registration_number: str) -> UUID:
    return uuid5(NAMESPACE, f"cooperative:{registration_number.strip().upper()}")


def enterprise_id(tax_code: str) -> UUID:
    return uuid5(NAMESPACE, f"enterprise:{tax_code.strip().upper()}")
