"""GS1 Digital Link URIs for our batches: built once for the QR code, parsed when a phone asks.

Built: ``/01/<GTIN-14>/10/<lot>``, the lot percent-encoded as one path segment. Every symbol of
set 82 is then percent-encoded except ``-``, ``.`` and ``_``, which is exactly the spelling
GS1's URI grammar expects (checked by GS1's own validator, digital-link.js, in the tests); the
lots that have no such spelling are refused at capture by ``shared.domain.identifiers.lot``.

Parsed: ``biip`` reads the path as the GS1 grammar says (primary key, then the qualifiers of a
GTIN in their order: CPV 22, lot 10, serial 21), and the domain checks the GTIN's check digit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final
from urllib.parse import quote, unquote

from biip import ParseError
from biip.gs1_digital_link_uris import GS1DigitalLinkURI

from shared.domain import identifiers
from shared.domain.errors import InvalidValue
from shared.gs1.errors import InvalidGtin, InvalidLot, MalformedDigitalLink

GTIN_AI: Final = "01"
LOT_AI: Final = "10"
SERIAL_AI: Final = "21"
BEST_BEFORE_AI: Final = "15"
_ANY_HOST = "https://resolver.invalid"  # biip parses whole URIs; the host plays no part


@dataclass(frozen=True)
class DigitalLinkPath:
    """The keys a Digital Link names, from the most specific down to the GTIN."""

    gtin: str  # GTIN-14
    lot: str | None = None
    serial: str | None = None


def path(gtin: str, lot: str | None = None) -> str:
    """``/01/<GTIN-14>`` or ``/01/<GTIN-14>/10/<lot>``, the lot as one encoded segment."""
    link = f"/{GTIN_AI}/{gtin}"
    return link if lot is None else f"{link}/{LOT_AI}/{quote(lot, safe='')}"


def short_link_path(code: str) -> str:
    """Nguồn's own short link, for a batch that carries no GTIN and lot (yet)."""
    return f"/b/{code}"


def batch_link(
    public_base_url: str,
    *,
    code: str,
    gtin: str | None,
    lot: str | None,
    best_before: date | None = None,
) -> str:
    """What a batch's QR code says: its Digital Link once labelled, else its short link.

    A best-before date rides along as GS1 data attribute 15 (``?15=YYMMDD``): a quality date,
    which is what a farm product's label prints; AI 17 (expiry) is a safety limit, for
    medicines and perishables, which no batch recorded here declares.
    """
    base = public_base_url.rstrip("/")
    if not (gtin and lot):
        return base + short_link_path(code)
    link = base + path(gtin, lot)
    return link if best_before is None else f"{link}?{BEST_BEFORE_AI}={best_before:%y%m%d}"


def parse_path(raw_path: str) -> DigitalLinkPath:
    """The keys of a still percent-encoded path ``/01/<gtin>[/22/..][/10/<lot>][/21/<serial>]``.

    ``%2F`` inside a value is part of it, ``/`` separates; one trailing slash is tolerated, as
    resolvers should. Raises ``InvalidGtin``, ``InvalidLot`` or ``MalformedDigitalLink``.
    """
    trimmed = raw_path[:-1] if raw_path.endswith("/") else raw_path
    segments = [unquote(segment) for segment in trimmed.split("/")[1:]]
    if segments[:1] != [GTIN_AI]:
        raise MalformedDigitalLink(raw_path)
    gtin = _gtin(segments[1] if len(segments) > 1 else "")  # as sent: biip would pad it
    try:
        parsed = GS1DigitalLinkURI.parse(_ANY_HOST + trimmed)
    except ParseError:
        raise _what_is_wrong(segments) from None
    values = {element.ai.ai: element.value for element in parsed.element_strings}
    return DigitalLinkPath(gtin=gtin, lot=values.get(LOT_AI), serial=values.get(SERIAL_AI))


def _gtin(digits: str) -> str:
    try:
        return identifiers.gtin14(digits)
    except InvalidValue:
        raise InvalidGtin(digits) from None


def _what_is_wrong(segments: list[str]) -> Exception:
    """Which part of a path biip refused, so the reader is told what to fix."""
    for key, value in zip(segments[0::2], segments[1::2], strict=False):
        if key == LOT_AI and not identifiers.is_lot_syntax(value):
            return InvalidLot(value)
    return MalformedDigitalLink("/" + "/".join(segments))
