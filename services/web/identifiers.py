"""The identifiers a buyer's phone sends us, checked before anything is looked up.

The rules are shared (``shared.domain.identifiers`` for batch codes, GTINs and lots,
``shared.gs1`` for Digital Link paths); this module only turns their refusals
into the pages that explain them.
"""

from __future__ import annotations

from datetime import date

from services.web.errors import (
    MalformedBatchCodeError,
    MalformedDigitalLinkError,
    MalformedGtinError,
    MalformedLotError,
)
from shared.domain import identifiers
from shared.domain.errors import InvalidValue
from shared.gs1 import digital_link
from shared.gs1.digital_link import DigitalLinkPath
from shared.gs1.errors import InvalidGtin, InvalidLot, MalformedDigitalLink
from shared.readmodels.documents import ProvenanceDocument


def batch_code(raw: str) -> str:
    """The canonical code (upper case, as printed), or ``MalformedBatchCodeError``."""
    code = raw.strip().upper()
    if not identifiers.is_batch_code(code):
        raise MalformedBatchCodeError(raw)
    return code


def gtin14(raw: str) -> str:
    """A GTIN-8/12/13/14 with a valid check digit, as GTIN-14, or ``MalformedGtinError``."""
    try:
        return identifiers.gtin14(raw)
    except InvalidValue:
        raise MalformedGtinError(raw) from None


def digital_link_keys(raw_path: str) -> DigitalLinkPath:
    """The keys of a still percent-encoded ``/01/...`` path, or the 400 that says what is wrong."""
    try:
        return digital_link.parse_path(raw_path)
    except InvalidGtin as error:
        raise MalformedGtinError(error.value) from None
    except InvalidLot as error:
        raise MalformedLotError(error.value) from None
    except MalformedDigitalLink as error:
        raise MalformedDigitalLinkError(error.value) from None


def link_for(document: ProvenanceDocument, public_base_url: str) -> str:
    """The link a batch's QR code carries: its Digital Link once labelled, else its short link."""
    best_before = document.get("best_before")
    return digital_link.batch_link(
        public_base_url,
        code=document["code"],
        gtin=document["gtin"],
        lot=document["lot"],
        best_before=date.fromisoformat(best_before) if best_before else None,
    )
