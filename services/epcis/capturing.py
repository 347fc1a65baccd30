"""Running a capture: the job first, then the events (``shared.epcis.capture``), then the outcome.

The job is committed ``running`` before any event is executed, so a partner always finds it,
and finished in a transaction of its own after: the events' transactions are the records
application's, and a job row must never hold up the event store's lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.epcis.capture import Behaviour, CaptureOutcome, EventOutcome, capture
from shared.postgres.capture_jobs import CaptureJob, CaptureJobs
from shared.records.actors import Actor
from shared.records.application import Records


@dataclass(frozen=True)
class Capturing:
    records: Records
    jobs: CaptureJobs

    def as_job(
        self, actor: Actor, events: list[dict[str, Any]], behaviour: Behaviour
    ) -> CaptureJob:
        """Executes a document's events as a job; the finished job."""
        job = self.jobs.start(actor.actor_id, actor.organisation_id, behaviour.value, len(events))
        outcome = capture(self.records, actor, events, behaviour)
        return self.jobs.finish(job.id, outcome_json(outcome))

    def one(self, actor: Actor, event: dict[str, Any]) -> EventOutcome:
        """Executes one event, with no job: ``POST /epcis/events`` answers at once."""
        return capture(self.records, actor, [event], Behaviour.ROLLBACK).events[0]


def outcome_json(outcome: CaptureOutcome) -> list[dict[str, Any]]:
    """Each event's outcome as the job keeps it (and ``nguon:events`` shows it)."""
    return [_event_json(event) for event in outcome.events]


def _event_json(event: EventOutcome) -> dict[str, Any]:
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
