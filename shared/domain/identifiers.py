"""Identifiers: GS1 keys (GTIN, lot), short batch codes, and ids derived from natural keys.

Ids of cooperatives and enterprises are derived from their registration number and tax code, and
a batch's id from its short code, so the event store's uniqueness on (id, version 1) is what
refuses a second registration of the same thing, even under concurrent requests.
"""

from __future__ import annotations

import re
from uuid import UUID, uuid5

from biip import ParseError
from biip.gtin import Gtin

from shared.domain.errors import InvalidValue

NAMESPACE = UUID("6f1c1f3e-4a57-5b8e-9d0a-7a1b2c3d4e5f")

# GS1 AI (10) batch/lot: up to 20 characters of the GS1 AI encodable character set 82.
_LOT = re.compile(r"^[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}$")
BATCH_CODE = re.compile(r"(?P<province>[A-Z]{2,3})-(?P<year>\d{4})-(?P<number>\d{6,})", re.ASCII)


def gtin14(value: str, field: str = "gtin") -> str:
    """Validates a GTIN-8/12/13/14 and its check digit; returns it as GTIN-14."""
    if not (value.isascii() and value.isdigit()) or len(value) not in (8, 12, 13, 14):
        raise InvalidValue(field, f"GTIN {value!r} must be 8, 12, 13 or 14 digits")
    try:
        return Gtin.parse(value).as_gtin_14()
    except ParseError as error:
        raise InvalidValue(field, f"GTIN {value!r} is not valid: {error}") from None


def lot(value: str, field: str = "lot") -> str:
    if not _LOT.fullmatch(value):
        msg = f"lot {value!r} must be 1 to 20 GS1 characters (letters, digits, -./_ and a few more)"
        raise InvalidValue(field, msg)
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
