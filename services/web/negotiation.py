"""Reading what the client asked for (media type, language) and the caching headers we answer.

Pages are public and change only when the batch's document does, so a short shared cache
plus an ETag lets a crowd scanning one product cost one render a minute.
"""

from __future__ import annotations

from starlette.requests import Request

from shared.i18n import choose_language
from shared.i18n.negotiation import weighted

_JSON = frozenset({"application/json"})
_LINKSET = frozenset({"application/linkset+json"})
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
    return prefers(request, _JSON)


def wants_linkset(request: Request) -> bool:
    """True when ``Accept`` prefers a linkset (RFC 9264) to HTML: the resolver then lists links."""
    return prefers(request, _LINKSET)


def prefers(request: Request, media_types: frozenset[str]) -> bool:
    """True when ``Accept`` rates one of ``media_types`` above every HTML type."""
    wanted_q = html_q = 0.0
    for media, q in weighted(request.headers.get("accept")):
        if media in media_types:
            wanted_q = max(wanted_q, q)
        elif media in _HTML:
            html_q = max(html_q, q)
    return wanted_q > html_q


def language(request: Request) -> str:
    return choose_language(request.query_params.get("lang"), request.headers.get("accept-language"))


def not_modified(request: Request, etag: str) -> bool:
    tags = request.headers.get("if-none-match", "")
    return any(tag.strip() in (etag, "*") for tag in tags.split(","))
