"""``/sign-in``, ``/sign-in/new-password`` and ``/sign-out``: thin routes over ``SignIn``.

Every refused sign-in answers the same page with the same status, whatever the reason. After
signing in each person goes to ``?next=`` (a local path only) or to their own home; a first
sign-in with a one-time code goes to choosing a password first.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.accounts.forms import SignInFormTokens
from services.accounts.rendering import Screens, field_errors
from services.accounts.who import NotAllowed, Posted, accounts_of, text
from shared.accounts.gate import CSRF_FIELD, SESSION_COOKIE, SIGN_IN_PATH, SIGN_OUT_PATH
from shared.accounts.homes import home_of, safe_next
from shared.accounts.sessions import NEW_PASSWORD
from shared.accounts.signing_in import Refused, SignedIn, Throttled
from shared.domain.errors import DomainError

NEW_PASSWORD_PATH = f"{SIGN_IN_PATH}/new-password"
PASSWORD_FIELDS = {"password", "confirmation"}


def router(screens: Screens, forms: SignInFormTokens) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    def form_page(request: Request, status_code: int = 200, **context: Any) -> Response:
        value, token = forms.issue(request)
        chrome = screens.pages.chrome(request, csrf_token=token)
        shown: dict[str, Any] = {"username": "", "error": None, "next": _next(request), **context}
        response = screens.show(
            "sign_in.html", request, chrome=chrome, status_code=status_code, **shown
        )
        forms.set_cookie(response, request, value)
        return response

    @routes.get(SIGN_IN_PATH)
    def sign_in_form(request: Request) -> Response:
        return form_page(request)

    @routes.post(SIGN_IN_PATH)
    def sign_in(request: Request, form: Posted) -> Response:
        if not forms.valid(request, text(form, CSRF_FIELD)):
            raise NotAllowed("csrf_refused")
        accounts = accounts_of(request)
        username = text(form, "username")
        address = accounts.addresses.of(request)
        outcome = accounts.sign_in.attempt(username, text(form, "password"), address)
        if isinstance(outcome, Throttled):
            minutes = -(-outcome.retry_after // 60)
            page = screens.show("throttled.html", request, status_code=429, minutes=minutes)
            page.headers["Retry-After"] = str(outcome.retry_after)
            return page
        if isinstance(outcome, Refused):
            refused = "accounts_sign_in_refused"
            next_path = safe_next(text(form, "next"))
            return form_page(
                request, status_code=401, username=username, error=refused, next=next_path
            )
        return _signed_in(request, outcome, safe_next(text(form, "next")))

    @routes.get(NEW_PASSWORD_PATH)
    def new_password_form(request: Request) -> Response:
        session = accounts_of(request).gate.session(request)
        if session is None or session.purpose != NEW_PASSWORD:
            return RedirectResponse(SIGN_IN_PATH, status_code=303)
        chrome = screens.pages.chrome(request, csrf_token=session.csrf_token)
        return screens.show(
            "new_password.html",
            request,
            chrome=chrome,
            errors={},
            next=_next(request),
            account=session.account,
        )

    @routes.post(NEW_PASSWORD_PATH)
    def new_password(request: Request, form: Posted) -> Response:
        accounts = accounts_of(request)
        session = accounts.gate.session(request)
        if session is None or session.purpose != NEW_PASSWORD:
            return RedirectResponse(SIGN_IN_PATH, status_code=303)
        if not accounts.gate.csrf_ok(session.person, text(form, CSRF_FIELD)):
            raise NotAllowed("csrf_refused")
        try:
            cookie = accounts.sign_in.set_first_password(
                session, text(form, "password"), text(form, "confirmation")
            )
        except DomainError as error:
            chrome = screens.pages.chrome(request, csrf_token=session.csrf_token)
            errors = field_errors(error, chrome.lang, PASSWORD_FIELDS, "password")
            return screens.show(
                "new_password.html",
                request,
                chrome=chrome,
                status_code=422,
                errors=errors,
                next=safe_next(text(form, "next")),
                account=session.account,
            )
        target = safe_next(text(form, "next")) or home_of(session.account.role)
        response = RedirectResponse(target, status_code=303)
        accounts.sessions.set_cookie(response, request, cookie)
        return response

    @routes.post(SIGN_OUT_PATH)
    def sign_out(request: Request, form: Posted) -> Response:
        accounts = accounts_of(request)
        session = accounts.gate.session(request)
        if session is not None:
            if not accounts.gate.csrf_ok(session.person, text(form, CSRF_FIELD)):
                raise NotAllowed("csrf_refused")
            accounts.sessions.end_hash(session.token_hash)
        response = RedirectResponse(f"{SIGN_IN_PATH}?signed_out=1", status_code=303)
        accounts.sessions.clear_cookie(response, request)
        return response

    return routes


def _next(request: Request) -> str | None:
    return safe_next(request.query_params.get("next"))


def _signed_in(request: Request, outcome: SignedIn, next_path: str | None) -> Response:
    accounts = accounts_of(request)
    accounts.sessions.end(request.cookies.get(SESSION_COOKIE))  # never two sessions in one browser
    if outcome.must_set_password:
        target = NEW_PASSWORD_PATH + (f"?next={quote(next_path, safe='/')}" if next_path else "")
    else:
        target = next_path or home_of(outcome.account.role)
    response = RedirectResponse(target, status_code=303)
    accounts.sessions.set_cookie(response, request, outcome.cookie)
    return response
