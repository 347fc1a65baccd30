"""``nextPageToken``: the keyset position ``(event_time, event_id)`` of a page's last event.

Opaque to partners (base64url of a small JSON), and no secret: it names only a place in the
order, and every page is filtered by the caller's own sight again, so a forged token shows
nothing the caller could not page to. The ``Link`` header repeats the request's filters.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from urllib.parse import urlencode

from services.epcis.problems import QueryParameterProblem
from shared.readmodels.epcis_query import Keyset


def encode_token(after: Keyset) -> str:
    raw = json.dumps([after.event_time.isoformat(), after.event_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_token(token: str) -> Keyset:
    try:
        padded = token + "=" * (-len(token) % 4)
        at, event_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        when = datetime.fromisoformat(at)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        msg = "nextPageToken is not one this interface gave: take it from the Link header"
        raise QueryParameterProblem(msg, parameter="nextPageToken") from None
    if when.tzinfo is None or not isinstance(event_id, str):
        msg = "nextPageToken is not one this interface gave: take it from the Link header"
        raise QueryParameterProblem(msg, parameter="nextPageToken")
    return Keyset(when, event_id)


def next_link(url: str, items: list[tuple[str, str]], after: Keyset, per_page: int) -> str:
    """``<…?filters&perPage=…&nextPageToken=…>; rel="next"``."""
    kept = [(k, v) for k, v in items if k not in ("perPage", "nextPageToken")]
    query = urlencode([*kept, ("perPage", str(per_page)), ("nextPageToken", encode_token(after))])
    return f'<{url}?{query}>; rel="next"'
