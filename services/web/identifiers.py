"""The identifiers a buyer's phone sends us, checked before anything is looked up.

Batch codes are ours (``TH-2026-000123``); GTINs and lots are GS1 keys, checked by ``biip``
(check digit; AI 10's character set 82, 1 to 20 characters). Links are built here too, so
the QR code and the resolver agree on one spelling.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from biip import ParseError
from biip.gs1_element_strings import GS1ElementString
from biip.gtin import Gtin

from services.web.errors import MalformedBatchCodeError, MalformedGtinError, MalformedLotError

BATCH_CODE = re.compile(r"[A-Z]{2,3}-(?:19|20)\d{2}-\d{6}")
_GTIN_DIGITS = re.compile(r"\d{8}|\d{12,14}")
_LOT_AI = "10"


def batch_code(raw: str) -> str:
    """The canonical code (upper case, as printed), or ``MalformedBatchCodeError``."""
    code = raw.strip().upper()
    if not BATCH_CODE.fullmatch(code):
        raise MalformedBatchCodeError(raw)
    return code


def gtin14(raw: str) -> str:
    """A GTIN-8/12/13/14 with a valid check digit, as GTIN-14, or ``MalformedGtinError``."""
    if not _GTIN_DIGITS.fullmatch(raw):
        raise MalformedGtinError(raw)
    try:
        return Gtin.parse(raw).as_gtin_14()
    except ParseError:
        raise MalformedGtinError(raw) from None


def lot(decoded: str) -> str:
    """A percent-decoded batch/lot number valid as GS1 AI (10), or ``MalformedLotError``."""
    try:
        return GS1ElementString.parse(_LOT_AI + decoded).value
    except ParseError:
        raise MalformedLotError(decoded) from None


def digital_link_path(gtin: str, lot_number: str) -> str:
    """``/01/<GTIN-14>/10/<lot>``, with the lot percent-encoded as one path segment."""
    return f"/01/{gtin}/10/{quote(lot_number, safe='')}"


def short_link_path(code: str) -> str:
    return f"/b/{code}"
