"""The app remembers the language a person chose: ``?lang=en`` once, and every page after it —
links, forms, the redirects after a form — answers in English until they choose again.

Why a cookie rather than ``?lang=`` on every link: the app's links and forms are in some thirty
templates and its redirects in each part's routes, and the outbox's script builds addresses of
its own; one of them forgetting the parameter sends the person back to Vietnamese. The choice
is kept where the browser keeps it for this site and path, and read before the page is made,
as the strongest ``Accept-Language`` wish: ``shared.i18n.choose_language`` stays the one rule
(``?lang=`` first, then the person's wishes, then Vietnamese).

Not a secret and not a session: a plain ``SameSite=Lax`` cookie on ``/app``, readable by the
service worker's kept pages too. Scripts need not read it, so it is ``HttpOnly``.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.i18n import LANGUAGES

COOKIE = "nguon_lang"
_A_YEAR = 365 * 24 * 3600


class RemembersLanguage:
    """ASGI middleware: ``?lang=`` sets the cookie; without it, the cookie speaks first."""

    def __init__(self, app: ASGIApp, path: str = "/app") -> None:
        self._app = app
        self._path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        asked = connection.query_params.get("lang")
        kept = connection.cookies.get(COOKIE)
        if asked in LANGUAGES:
            if asked != kept:
                send = self._keeping(send, str(asked))
        elif kept in LANGUAGES:
            scope = _wishing_first(scope, str(kept))
        await self._app(scope, receive, send)

    def _keeping(self, send: Send, lang: str) -> Send:
        cookie = f"{COOKIE}={lang}; Path={self._path}; Max-Age={_A_YEAR}; SameSite=Lax; HttpOnly"

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("set-cookie", cookie)
            await send(message)

        return sending


def _wishing_first(scope: Scope, lang: str) -> Scope:
    """The request as if its ``Accept-Language`` put the kept language before all others."""
    headers = [(k, v) for k, v in scope["headers"] if k != b"accept-language"]
    sent = next((v for k, v in scope["headers"] if k == b"accept-language"), b"")
    wish = lang.encode() + (b", " + sent if sent else b"")
    return {**scope, "headers": [*headers, (b"accept-language", wish)]}
