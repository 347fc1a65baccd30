"""Who may use the cooperative app: signed-in people of a cooperative or a partner enterprise.

A request without a live session is sent to sign in and comes back afterwards; provincial staff
and admins, who hold no batches, get a 403 page pointing to their own app. A form posted without
the person's CSRF token is refused with 403 and changes nothing (``shared.accounts.access``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from starlette.requests import Request

from shared.accounts.access import NotAllowed, SignInNeeded, check_csrf, gate_of, signed_in
from shared.accounts.gate import Person

__all__ = ["NotAllowed", "SignInNeeded", "Worker", "WorkerPosting", "gate_of"]


def worker(request: Request) -> Person:
    """The signed-in person, if they act for an organisation (cooperative, household, partner)."""
    person = signed_in(request)
    if person.actor.organisation_id is None:
        raise NotAllowed("app_organisations_only")
    return person


Worker = Annotated[Person, Depends(worker)]


async def posted_by_worker(request: Request) -> Person:
    """For POST routes: the person, once the form's CSRF token is theirs."""
    person = worker(request)
    await check_csrf(request, person)
    return person


WorkerPosting = Annotated[Person, Depends(posted_by_worker)]
