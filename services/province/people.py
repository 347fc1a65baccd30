"""Who may use the province's pages: signed-in provincial staff and admins, nobody else.

A request without a live session is sent to sign in and comes back afterwards; a signed-in
person of another role gets 403. A form posted without the person's CSRF token is refused with
403 and changes nothing (``shared.accounts.access``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from starlette.requests import Request

from shared.accounts.access import NotAllowed, SignInNeeded, check_csrf, gate_of, signed_in
from shared.accounts.gate import Person

__all__ = ["NotAllowed", "SignInNeeded", "Staff", "StaffPosting", "gate_of"]


def staff(request: Request) -> Person:
    person = signed_in(request)
    if not person.actor.is_staff:
        raise NotAllowed("province_staff_only")
    return person


Staff = Annotated[Person, Depends(staff)]


async def posted_by_staff(request: Request) -> Person:
    """For POST routes: the staff member, once the form's CSRF token is theirs."""
    person = staff(request)
    await check_csrf(request, person)
    return person


StaffPosting = Annotated[Person, Depends(posted_by_staff)]
