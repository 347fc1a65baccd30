"""Who may use the cooperative app: signed-in people of a cooperative or a partner enterprise.

A request without a live session is sent to sign in and comes back afterwards; provincial staff
and admins, who hold no batches, get a 403 page pointing to their own app. A form posted without
the person's CSRF token is refused with 403 and changes nothing.
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


def worker(request: Request) -> Person:
    """The signed-in person, if they act for an organisation (cooperative, household, partner)."""
    person = gate_of(request).person(request)
    if person is None:
        back_to = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInNeeded(back_to)
    if person.actor.organisation_id is None:
        raise NotAllowed("app_organisations_only")
    return person


Worker = Annotated[Person, Depends(worker)]


async def posted_by_worker(request: Request) -> Person:
    """For POST routes: the person, once the form's CSRF token is theirs."""
    person = worker(request)
    form = await request.form()
    submitted = form.get(CSRF_FIELD)
    if not gate_of(request).csrf_ok(person, submitted if isinstance(submitted, str) else None):
        raise NotAllowed("csrf_refused")
    return person


WorkerPosting = Annotated[Person, Depends(posted_by_worker)]
