"""What every app for people answers before its pages: who is signed in, and whether a posted
form is theirs. Each app adds its own rule of who may enter (``services/*/people.py``).

A request without a live session is sent to sign in and comes back afterwards
(:class:`SignInNeeded`); a signed-in person asking for what their role may not see or do gets
the app's 403 page (:class:`NotAllowed`); a form posted without the person's CSRF token is
refused with 403 and changes nothing.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request

from shared.accounts.gate import CSRF_FIELD, SIGN_IN_PATH, Gate, Person
from shared.errors import NguonError


class SignInNeeded(NguonError):
    def __init__(self, back_to: str) -> None:
        super().__init__(back_to)
        self.location = f"{SIGN_IN_PATH}?next={quote(back_to, safe='/')}"


class NotAllowed(NguonError):
    """A signed-in person asked for what their role may not see or do (403)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # a message id


def gate_of(request: Request) -> Gate:
    gate: Gate = request.app.state.gate
    return gate


def signed_in(request: Request) -> Person:
    """The person whose session the request carries; otherwise off to sign in, and back."""
    person = gate_of(request).person(request)
    if person is None:
        back_to = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInNeeded(back_to)
    return person


async def check_csrf(request: Request, person: Person) -> None:
    """Refuses a posted form whose CSRF token is not the person's."""
    form = await request.form()
    submitted = form.get(CSRF_FIELD)
    if not gate_of(request).csrf_ok(person, submitted if isinstance(submitted, str) else None):
        raise NotAllowed("csrf_refused")
