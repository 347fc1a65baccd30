"""Who is asking: a bearer token, or a person's session, resolved to an ``Actor``.

Machines send a bearer token. The cooperative app's offline outbox sends as the signed-in
person, with the session cookie and no CSRF token (a form's token would be stale by the time
the network returns). Instead a session's request is accepted only when its ``Origin`` header
is the site's own (``NGUON_PUBLIC_BASE_URL``): browsers set ``Origin`` on every cross-site
``fetch`` and form post and scripts cannot forge it, so a page on another site that makes the
browser send the cookie is refused with 403 before the session is even looked up. A request
with a session cookie and no ``Origin`` at all is refused too: every browser sends one on a
``fetch`` POST, so its absence means a client we cannot vouch for.

Two origins are the site's own: the configured public address, and the address the request
itself came to (its scheme and ``Host``). The configured one, because behind a TLS-terminating
proxy the application sees ``http://`` and whatever ``Host`` the proxy chose, while the
browser's ``Origin`` is the public ``https://`` address. The request's own, because the same
platform is often reached at another name (``localhost`` for ``127.0.0.1``, a LAN address on a
cooperative's office machine), and its pages' sends must not wait for ever in the outbox.

Accepting the request's own origin keeps what CSRF protection needs, same-origin: a hostile
page's request is sent to our ``Host`` but carries the hostile page's ``Origin``, so the two
differ. A request whose ``Host`` and ``Origin`` both name another site (DNS rebinding) carries
no session of ours: browsers keep cookies per host, so it is refused as signed out. A client
that forges both headers is not a browser a person signed in with, so it has no cookie to ride.

Async on purpose: a cached token costs no thread hop; only a cache miss (or a session lookup)
goes to the database, in a worker thread so the event loop never waits on it.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from services.capture.context import Capture, CaptureDep
from services.capture.errors import Unauthenticated
from shared.accounts.gate import SESSION_COOKIE
from shared.domain.errors import NotPermitted
from shared.records.actors import Actor

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="A Nguồn API token (ng_…) issued by provincial staff: `nguon token create`."
    " The cooperative app sends as the signed-in person instead (its session cookie), from"
    " the site's own Origin only.",
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


class ForeignOrigin(NotPermitted):
    """A session's request from another site, or from no site at all (403)."""

    code = "session_origin_refused"


class SessionExpired(Unauthenticated):
    """A session cookie that opens no live session: the person must sign in again (401)."""

    code = "session_expired"


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` as a browser writes it in ``Origin`` (no default port)."""
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    port = parts.port
    shown = f"{host}:{port}" if port is not None and port != _DEFAULT_PORTS.get(scheme) else host
    return f"{scheme}://{shown}"


async def current_actor(
    request: Request,
    capture: CaptureDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Actor:
    if credentials is not None:
        return await _token_actor(capture, credentials.credentials)
    if capture.gate is not None and SESSION_COOKIE in request.cookies:
        return await _session_actor(capture, request)
    raise Unauthenticated("this API needs a bearer token", token_sent=False)


async def _token_actor(capture: Capture, token: str) -> Actor:
    actor = capture.tokens.cached(token) or await run_in_threadpool(capture.tokens.resolve, token)
    if actor is None:
        raise Unauthenticated("the token is unknown, revoked or expired", token_sent=True)
    return actor


async def _session_actor(capture: Capture, request: Request) -> Actor:
    assert capture.gate is not None  # checked by the caller
    sent = request.headers.get("origin")
    if sent is None or origin_of(sent) not in _own_origins(capture, request):
        where = "no Origin header" if sent is None else f"Origin {sent}"
        msg = (
            f"a request signed in by a session must come from this site's own pages ({where}):"
            " send it from the cooperative app, or use a bearer token"
        )
        raise ForeignOrigin(msg, params={"origin": sent or "—"})
    person = await run_in_threadpool(capture.gate.person, request)
    if person is None:
        msg = "the session has ended: sign in again, and what waits in the outbox is sent then"
        raise SessionExpired(msg, token_sent=False)
    return person.actor


def _own_origins(capture: Capture, request: Request) -> set[str]:
    """The configured public origin, and the one the request came to (scheme + ``Host``)."""
    own = {origin_of(str(request.base_url))}
    if capture.site_origin is not None:
        own.add(capture.site_origin)
    return own


CurrentActor = Annotated[Actor, Depends(current_actor)]
