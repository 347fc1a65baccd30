"""What a scanned (or typed) label names: a batch of this site, by its short link, its Digital
Link or its bare code.

The rule sits here, on the server, so the camera's decoder and the typed form agree: the page's
script only hands over the decoded text. A link to another site is refused, not followed.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from shared.domain import identifiers
from shared.gs1 import digital_link
from shared.gs1.errors import Gs1Error
from shared.readmodels.tracking import Connect, session

MAX_TEXT = 2048  # longer than any QR code on a label holds


@dataclass(frozen=True)
class Found:
    code: str


@dataclass(frozen=True)
class Refused:
    reason: str  # a message id: scan_error_*


def batch_named(text: str, public_base_url: str, connect: Connect) -> Found | Refused:
    """The batch a label's text names, or why it names none of ours."""
    text = text.strip()
    if not text:
        return Refused("scan_error_empty")
    if len(text) > MAX_TEXT:
        return Refused("scan_error_not_ours")
    code = text.upper()
    if identifiers.is_batch_code(code):
        return Found(code)
    link = urlsplit(text)
    ours = urlsplit(public_base_url)
    if link.scheme not in ("http", "https") or link.netloc.lower() != ours.netloc.lower():
        return Refused("scan_error_not_ours")
    path = link.path
    prefix = ours.path.rstrip("/")
    if prefix and path.startswith(prefix + "/"):
        path = path[len(prefix) :]
    short = digital_link.short_link_path("")
    if path.startswith(short):
        code = path[len(short) :].split("/")[0].upper()
        return Found(code) if identifiers.is_batch_code(code) else Refused("scan_error_not_ours")
    try:
        keys = digital_link.parse_path(path)
    except Gs1Error:
        return Refused("scan_error_not_ours")
    if keys.lot is None:
        return Refused("scan_error_product_only")
    with session(connect) as conn:
        row = conn.execute(
            "SELECT code FROM rm_provenance WHERE gtin = %s AND lot = %s"
            " ORDER BY last_position DESC, code LIMIT 1",
            (keys.gtin, keys.lot),
        ).fetchone()
    return Found(str(row[0])) if row else Refused("scan_error_unknown_lot")
