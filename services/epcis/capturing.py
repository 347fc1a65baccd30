"""Running a capture: the job first, then the events (``shared.epcis.capture``), then the outcome.

The job is committed ``running`` before any event is executed, so a partner always finds it,
and finished in a transaction of its own after: the events' transactions are the records
application's, and a job row must never hold up the event store's lock.

Refusals name their field as a path in an EPCISDocument's event list; they are given back as
paths in what the partner sent (an EPCISQueryDocument's list, or the single event itself).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from services.epcis.capture_request import CaptureRequest
from shared.epcis import vocabulary
from shared.epcis.capture import Behaviour, EventOutcome, capture
from shared.postgres.capture_jobs import CaptureJob, CaptureJobs
from shared.records.actors import Actor
from shared.records.application import Records

_CAPTURED_LIST = "$.epcisBody.eventList"


@dataclass(frozen=True)
class Capturing:
    records: Records
    jobs: CaptureJobs

    def as_job(self, actor: Actor, asked: CaptureRequest) -> CaptureJob:
        """Executes a document's events as a job; the finished job."""
        behaviour, count = asked.behaviour.value, len(asked.events)
        job = self.jobs.start(actor.actor_id, actor.organisation_id, behaviour, count)
        outcome = capture(self.records, actor, asked.events, asked.behaviour, asked.context)
        events = [_as_sent(e, _CAPTURED_LIST, asked.events_path) for e in outcome.events]
        return self.jobs.finish(job.id, [outcome_json(event) for event in events])

    def one(self, actor: Actor, event: dict[str, Any]) -> EventOutcome:
        """Executes one event, with no job: ``POST /epcis/events`` answers at once."""
        # A single event carries its own @context, naming its extensions' namespaces.
        context = event.get("@context", vocabulary.CONTEXT)
        outcome = capture(self.records, actor, [event], Behaviour.ROLLBACK, context).events[0]
        return _as_sent(outcome, f"{_CAPTURED_LIST}[0]", "$")


def _as_sent(event: EventOutcome, captured: str, sent: str) -> EventOutcome:
    """The refusal's field with the path ``captured`` written as ``sent``."""
    refusal = event.refusal
    if refusal is None or not refusal.field.startswith(captured):
        return event
    field = sent + refusal.field[len(captured) :]
    return replace(event, refusal=replace(refusal, field=field))


def outcome_json(event: EventOutcome) -> dict[str, Any]:
    """One event's outcome as the job keeps it (and ``nguon:events`` shows it)."""
    refusal = event.refusal
    return {
        "index": event.index,
        "eventID": event.event_id,
        "status": event.status,
        "batches": list(event.batches),
        "refusal": None
        if refusal is None
        else {"field": refusal.field, "code": refusal.code, "message": refusal.message},
    }
