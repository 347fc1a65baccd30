"""Who may use the province's pages: signed-in provincial staff and admins, nobody else.

A request without a live session is sent to sign in and comes back afterwards; a signed-in
person of another role gets 403. A form posted without the person's CSRF token is refused with
403 and changes nothing.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends
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


def staff(request: Request) -> Person:
    person = gate_of(request).person(request)
    if person is None:
        back_to = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInNeeded(back_to)
    if not person.actor.is_staff:
        raise NotAllowed("province_staff_only")
    return person


Staff = Annotated[Person, Depends(staff)]


async def posted_by_staff(request: Request) -> Person:
    """For POST routes: the staff member, once the form's CSRF token is theirs."""
    person = staff(request)
    form = await request.form()
    submitted = form.get(CSRF_FIELD)
    if not gate_of(request).csrf_ok(person, submitted if isinstance(submitted, str) else None):
        raise NotAllowed("csrf_refused")
    return person


StaffPosting = Annotated[Person, Depends(posted_by_staff)]
