"""A refused event as the binding's problem, alike in a job's ``errors`` and in the answer to
``POST /epcis/events``: a refusal about who may act on a batch is a ``SecurityException``
(403), any other a ``ValidationException`` (400); each names the refusal's code and field."""

from __future__ import annotations

from typing import Any

from services.epcis.problems import EpcisProblem, EventForbidden, EventRefused, problem_body
from shared.epcis.capture import EventRefusal

# Refusals that say who may act (the domain's NotPermitted codes, and a location of another
# organisation), not what is wrong with the event.
PERMISSION_CODES = frozenset(
    {
        "not_permitted",
        "not_custodian",
        "not_addressee",
        "not_own",
        "gtin_not_owned",
        "plot_not_owned",
        "cooperative_only",
        "organisation_only",
        "staff_only",
        "not_chain_participant",
        "not_your_location",
    }
)


def _kind(code: str) -> type[EpcisProblem]:
    return EventForbidden if code in PERMISSION_CODES else EventRefused


def refusal_problem(refusal: EventRefusal) -> EpcisProblem:
    members = {"code": refusal.code, "field": refusal.field}
    return _kind(refusal.code)(refusal.message, members=members)


def refusal_body(index: int, code: str, field: str, message: str) -> dict[str, Any]:
    kind = _kind(code)
    body = problem_body(kind.status, kind.exception, kind.title, message)
    return {**body, "index": index, "field": field, "code": code}
