"""A capture job as the binding's ``CaptureJob``, with each event's outcome under ``nguon:events``.

``errors`` holds one RFC 7807 problem per refused event (``services.epcis.refusals``), naming
its index in the document's event list, the JSON path at fault and the refusal's stable code.
Under ``rollback`` the other events were not stored and say ``rolled_back``; under ``proceed``
they were, unless refused too.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from services.epcis.problems import problem_body
from services.epcis.refusals import refusal_body
from shared.postgres.capture_jobs import INTERRUPTED_AFTER, CaptureJob

CAPTURE_PATH = "/epcis/capture"


def job_location(job: CaptureJob) -> str:
    return f"{CAPTURE_PATH}/{job.id}"


def job_document(job: CaptureJob) -> dict[str, Any]:
    events = job.outcome or []
    errors = [_refusal_problem(event) for event in events if event.get("refusal")]
    if job.interrupted:
        errors.append(_interrupted(job))
    document: dict[str, Any] = {
        "captureID": str(job.id),
        "createdAt": _instant(job.created_at),
        "running": job.running,
        "success": not errors,
        "captureErrorBehaviour": job.behaviour,
        "errors": errors,
        "nguon:eventCount": job.event_count,
        "nguon:events": events,
    }
    if job.finished_at is not None:
        document["finishedAt"] = _instant(job.finished_at)
    return document


def _refusal_problem(event: dict[str, Any]) -> dict[str, Any]:
    refusal = event["refusal"]
    return refusal_body(event["index"], refusal["code"], refusal["field"], refusal["message"])


def _interrupted(job: CaptureJob) -> dict[str, Any]:
    stored = (
        "none of its events was stored"
        if job.behaviour == "rollback"
        else "some of its events may have been stored"
    )
    minutes = int(INTERRUPTED_AFTER.total_seconds() // 60)
    detail = (
        f"the capture did not finish within {minutes} minutes: the server stopped during it, and"
        f" {stored}. Send the document again: events already stored are recognised by their"
        " hash and answered duplicate"
    )
    return {
        **problem_body(500, "ImplementationException", "Capture interrupted", detail),
        "code": "capture_interrupted",
    }


def _instant(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")
