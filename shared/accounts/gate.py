"""What an app for people (province, cooperative app) needs of sign-in, and nothing more.

An app asks the ``Gate`` who sent a request (``person``) and whether a posted form carries that
person's CSRF token (``csrf_ok``); the sessions, cookies and passwords behind it are the
accounts module's business. Pages put ``person.csrf_token`` in a hidden ``CSRF_FIELD`` of every
form. A request without a valid session goes to ``SIGN_IN_PATH`` with ``?next=`` its own path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from starlette.requests import Request

from shared.records.actors import Actor

SESSION_COOKIE = "nguon_session"
CSRF_FIELD = "csrf_token"
SIGN_IN_PATH = "/sign-in"
SIGN_OUT_PATH = "/sign-out"


@dataclass(frozen=True)
class Person:
    """A signed-in person: the actor their commands run as, and what pages show of them."""

    account_id: UUID
    username: str  # a phone number or an e-mail: shown to staff and to the person only
    display_name: str
    actor: Actor  # its account_id is this account's id
    csrf_token: str


class Gate(Protocol):
    def person(self, request: Request) -> Person | None:
        """The person whose live session the request's cookie names; None otherwise."""

    def csrf_ok(self, person: Person, submitted: str | None) -> bool:
        """Whether a posted form's CSRF token is this person's session's."""
