"""Reading what the client asked for (media type, language) and the caching headers we answer.

Pages are public and change only when the batch's document does, so a short shared cache
plus an ETag lets a crowd scanning one product cost one render a minute.
"""

from __future__ import annotations

from starlette.requests import Request

from shared.i18n import choose_language
from shared.i18n.negotiation import weighted

_JSON = frozenset({"application/json"})
_HTML = frozenset({"text/html", "application/xhtml+xml", "text/*", "*/*"})

PAGE_CACHE = "public, max-age=60"
VARY = "Accept, Accept-Language"
SECURITY_HEADERS = {
    # No script, no external asset: the page is self-contained, and the browser enforces it.
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
        "base-uri 'none'; form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def wants_json(request: Request) -> bool:
    """True when ``Accept`` prefers ``application/json`` to HTML (q-values honoured)."""
    json_q = html_q = 0.0
    for media, q in weighted(request.headers.get("accept")):
        if media in _JSON:
            json_q = max(json_q, q)
        elif media in _HTML:
            html_q = max(html_q, q)
    return json_q > html_q


def language(request: Request) -> str:
    return choose_language(request.query_params.get("lang"), request.headers.get("accept-language"))


def not_modified(request: Request, etag: str) -> bool:
    tags = request.headers.get("if-none-match", "")
    return any(tag.strip() in (etag, "*") for tag in tags.split(","))
