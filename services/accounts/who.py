"""Who is asking, for the accounts app's routes: a signed-in person, and their posted forms.

A request without a live session is sent to sign in and comes back afterwards. A form posted
without its CSRF token is refused with 403 and changes nothing.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends
from starlette.datastructures import FormData
from starlette.requests import Request

from shared.accounts.gate import CSRF_FIELD, SIGN_IN_PATH
from shared.accounts.service import Accounts
from shared.accounts.sessions import FULL, Session
from shared.errors import NguonError


class SignInNeeded(NguonError):
    def __init__(self, back_to: str) -> None:
        super().__init__(back_to)
        self.location = f"{SIGN_IN_PATH}?next={quote(back_to, safe='/')}"


class NotAllowed(NguonError):
    """A person asked for what they may not see or do (403); ``reason`` is a message id."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def accounts_of(request: Request) -> Accounts:
    accounts: Accounts = request.app.state.accounts
    return accounts


def signed_in(request: Request) -> Session:
    session = accounts_of(request).gate.session(request)
    if session is None or session.purpose != FULL:
        back_to = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInNeeded(back_to)
    return session


async def posted(request: Request) -> FormData:
    return await request.form()


async def posted_by(request: Request) -> tuple[Session, FormData]:
    """For POST routes: the signed-in person's session and form, once its CSRF token is theirs."""
    session = signed_in(request)
    form = await request.form()
    if not accounts_of(request).gate.csrf_ok(session.person, text(form, CSRF_FIELD)):
        raise NotAllowed("csrf_refused")
    return session, form


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


SignedIn = Annotated[Session, Depends(signed_in)]
PostedBy = Annotated[tuple[Session, FormData], Depends(posted_by)]
Posted = Annotated[FormData, Depends(posted)]
