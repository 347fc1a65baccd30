"""The URIs EPCIS names things by: lots as classes, parties and locations.

A lot is a class of product (many kilograms, one lot number), so EPCIS names it as an
``epcClass``: labelled, by its canonical GS1 Digital Link URI; before labelling, by the platform's
own ``urn:nguon:batch:{code}``.
"""

from __future__ import annotations

from urllib.parse import quote, unquote

DIGITAL_LINK = "https://id.gs1.org"
BATCH = "urn:nguon:batch:"
ORGANISATION = "urn:nguon:organisation:"
PLOT = "urn:nguon:plot:"
TRANSFORMATION = "urn:uuid:"

# Digital Link keeps RFC 3986's unreserved characters and percent-encodes the rest of a lot.
_LOT_SAFE = "-._~"


def lot_class(gtin14: str, lot: str) -> str:
    return f"{DIGITAL_LINK}/01/{gtin14}/10/{quote(lot, safe=_LOT_SAFE)}"


def batch_class(code: str) -> str:
    return BATCH + quote(code, safe=_LOT_SAFE)


def party(gln: str) -> str:
    return f"{DIGITAL_LINK}/417/{gln}"


def location(gln: str) -> str:
    return f"{DIGITAL_LINK}/414/{gln}"


def organisation(organisation_id: str) -> str:
    return ORGANISATION + organisation_id


def plot(plot_id: str) -> str:
    return PLOT + plot_id


def parse_lot_class(uri: str) -> tuple[str, str] | None:
    """``(gtin14, lot)`` of a Digital Link lot class; None for anything else."""
    prefix = f"{DIGITAL_LINK}/01/"
    if not uri.startswith(prefix):
        return None
    gtin, sep, lot = uri[len(prefix) :].partition("/10/")
    if not sep or len(gtin) != 14 or not gtin.isdigit() or not lot or "/" in lot:
        return None
    return gtin, unquote(lot)


def parse_gln(uri: str) -> str | None:
    """The GLN a party (417) or location (414) Digital Link URI names; None otherwise."""
    for key in ("417", "414"):
        prefix = f"{DIGITAL_LINK}/{key}/"
        if uri.startswith(prefix):
            gln = uri[len(prefix) :]
            return gln if len(gln) == 13 and gln.isdigit() else None
    return None
