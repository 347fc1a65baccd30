"""People's sign-in and accounts: ``/sign-in``, ``/sign-out``, ``/account`` (Vietnamese first).

Consumes the accounts module (``shared.accounts``: accounts, sessions, the throttle) and nothing
of the event store but the organisations' names; produces sessions (a signed, HttpOnly,
SameSite=Lax cookie, Secure over https) that every other app for people reads through the same
``Gate``. Every form carries a CSRF token; a form posted without it changes nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.accounts import my_account, people, signing_in
from services.accounts.forms import SignInFormTokens
from services.accounts.rendering import Screens
from services.accounts.who import NotAllowed, SignInNeeded
from shared.accounts.service import Accounts
from shared.accounts.sessions import SessionPolicy
from shared.pages import Pages
from shared.readmodels.households import HouseholdDirectory
from shared.settings import NguonSettings

PATHS = ("/sign-in", "/sign-out", "/account")
"""The URL spaces this app answers, wherever it runs (alone, or mounted in the platform)."""

TEMPLATES = Path(__file__).parent / "templates"
CallNext = Callable[[Request], Awaitable[Response]]


def create_app(
    settings: NguonSettings, accounts: Accounts, households: HouseholdDirectory | None = None
) -> FastAPI:
    app = FastAPI(title="Nguồn — accounts", openapi_url=None, docs_url=None, redoc_url=None)
    app.state.accounts = accounts
    screens = Screens(Pages(TEMPLATES))
    policy = SessionPolicy.from_settings(settings)
    forms = SignInFormTokens(policy.secret, https_only=policy.https_only)
    app.include_router(signing_in.router(screens, forms))
    app.include_router(my_account.router(screens))
    app.include_router(people.router(screens, households))
    app.add_exception_handler(SignInNeeded, _to_sign_in)
    app.add_exception_handler(NotAllowed, _ForbiddenPage(screens))
    app.add_exception_handler(RequestValidationError, _NotFoundPage(screens))

    @app.middleware("http")
    async def never_framed(request: Request, call_next: CallNext) -> Response:
        # A sign-in form inside another site's frame could be overlaid and clicked blind.
        response = await call_next(request)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Content-Security-Policy", "frame-ancestors 'none'")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    return app


def _to_sign_in(_request: Request, error: Exception) -> Response:
    assert isinstance(error, SignInNeeded)  # registered for SignInNeeded only
    return RedirectResponse(error.location, status_code=303)


class _ForbiddenPage:
    def __init__(self, screens: Screens) -> None:
        self._screens = screens

    def __call__(self, request: Request, error: Exception) -> Response:
        assert isinstance(error, NotAllowed)  # registered for NotAllowed only
        session = request.app.state.accounts.gate.session(request)
        return self._screens.show(
            "forbidden.html", request, session, status_code=403, reason=error.reason
        )


class _NotFoundPage:
    """An address with a malformed id (``/account/organisations/not-a-uuid/people``): a page,
    not the API's JSON, since people type and follow these addresses."""

    def __init__(self, screens: Screens) -> None:
        self._screens = screens

    def __call__(self, request: Request, _error: Exception) -> Response:
        session = request.app.state.accounts.gate.session(request)
        return self._screens.show(
            "forbidden.html", request, session, status_code=404, reason="accounts_page_not_found"
        )
