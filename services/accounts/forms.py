"""The sign-in form's own CSRF token, before there is a session to hold one.

Without it another site could post its own username and password to ``/sign-in`` from a
visitor's browser and sign them in as someone else (login CSRF). The form carries an HMAC of a
random value that also sits in a short-lived cookie of this site; a post whose two disagree is
refused before any password is checked.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.requests import Request
from starlette.responses import Response

FORM_COOKIE = "nguon_sign_in_form"
FORM_COOKIE_SECONDS = 3600


class SignInFormTokens:
    def __init__(self, secret: str, *, https_only: bool = False) -> None:
        self._key = hashlib.sha256(b"nguon.sign-in-form\0" + secret.encode()).digest()
        self._https_only = https_only

    def issue(self, request: Request) -> tuple[str, str]:
        """(cookie value, form token): the visitor's current value is kept if it has one."""
        value = request.cookies.get(FORM_COOKIE) or secrets.token_urlsafe(32)
        return value, self._token(value)

    def set_cookie(self, response: Response, request: Request, value: str) -> None:
        response.set_cookie(
            FORM_COOKIE,
            value,
            max_age=FORM_COOKIE_SECONDS,
            path="/sign-in",
            secure=self._https_only or request.url.scheme == "https",
            httponly=True,
            samesite="lax",
        )

    def valid(self, request: Request, submitted: str | None) -> bool:
        value = request.cookies.get(FORM_COOKIE)
        if not value or not submitted or len(value) > 100:
            return False
        return hmac.compare_digest(self._token(value), submitted)

    def _token(self, value: str) -> str:
        return hmac.new(self._key, value.encode(), hashlib.sha256).hexdigest()
