"""The REST binding's capture routes: ``/epcis/capture``, its jobs, and ``POST /epcis/events``.

``POST /epcis/capture`` runs the document's events before it answers: the ``202`` carries the
finished job, and ``Location`` names it for later. ``POST /epcis/events`` takes one event and
answers ``201`` with the event's URL, ``409`` with the stored one's when it was sent before.
Events become readable at those URLs once the projector has reached them.
"""

from __future__ import annotations

from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from services.epcis.auth import CapturingActor, EpcisDep
from services.epcis.capture_request import behaviour_of, capture_request, json_body, single_event
from services.epcis.job_documents import CAPTURE_PATH, job_document, job_location
from services.epcis.paging import next_link
from services.epcis.params import read_paging
from services.epcis.problems import AlreadyExists, EpcisProblem, NoSuchResource
from services.epcis.refusals import refusal_problem
from shared.epcis.capture import EventOutcome
from shared.postgres.capture_jobs import CaptureJob, CaptureJobs
from shared.readmodels.epcis_query import Keyset
from shared.records.actors import Actor

EVENTS_PATH = "/epcis/events"
router = APIRouter()


@router.post(CAPTURE_PATH)
async def capture_document(request: Request, epcis: EpcisDep, actor: CapturingActor) -> Response:
    behaviour = behaviour_of(request.headers)
    asked = await run_in_threadpool(capture_request, await json_body(request), behaviour)
    job = await run_in_threadpool(epcis.capturing.as_job, actor, asked)
    headers = {"Location": job_location(job)}
    return JSONResponse(job_document(job), status_code=202, headers=headers)


@router.get(CAPTURE_PATH)
async def capture_jobs(request: Request, epcis: EpcisDep, actor: CapturingActor) -> Response:
    items = request.query_params.multi_items()
    per_page, after = read_paging(items)
    page = await run_in_threadpool(
        epcis.capturing.jobs.page,
        actor.organisation_id,
        None if after is None else (after.event_time, UUID(after.event_id)),
        per_page,
        everyone=actor.is_staff,
    )
    headers = {}
    if page.next_after is not None:
        at, job_id = page.next_after
        url = str(request.url.replace(query=""))
        headers["Link"] = next_link(url, items, Keyset(at, str(job_id)), per_page)
    return JSONResponse([job_document(job) for job in page.jobs], headers=headers)


@router.get(CAPTURE_PATH + "/{capture_id}")
async def capture_job(capture_id: str, epcis: EpcisDep, actor: CapturingActor) -> Response:
    job = await run_in_threadpool(_readable_job, epcis.capturing.jobs, capture_id, actor)
    return JSONResponse(job_document(job))


@router.post(EVENTS_PATH)
async def capture_event(request: Request, epcis: EpcisDep, actor: CapturingActor) -> Response:
    event = await run_in_threadpool(single_event, await json_body(request))
    outcome = await run_in_threadpool(epcis.capturing.one, actor, event)
    return _event_answer(outcome)


def _readable_job(jobs: CaptureJobs, capture_id: str, actor: Actor) -> CaptureJob:
    """The job, if the caller's organisation made it (staff read every job); else 404, so that
    nobody learns another organisation's job ids."""
    try:
        job = jobs.get(UUID(capture_id))
    except ValueError:
        job = None
    if job is None or not (actor.is_staff or job.organisation_id == actor.organisation_id):
        raise NoSuchResource(f"no capture job {capture_id} that this token may read")
    return job


def _event_answer(outcome: EventOutcome) -> Response:
    location = f"{EVENTS_PATH}/{quote(outcome.event_id, safe='')}"
    if outcome.status == "captured":
        return Response(status_code=201, headers={"Location": location})
    # Another request stored the same event a moment before this one: a duplicate all the same.
    raced = outcome.refusal is not None and outcome.refusal.code == "event_captured"
    if outcome.status == "duplicate" or raced:
        msg = f"the event {outcome.event_id} is stored already: Location names it"
        raise AlreadyExists(msg, headers={"Location": location})
    if outcome.refusal is None:
        raise EpcisProblem(f"the event was not stored ({outcome.status}) and no reason was given")
    raise refusal_problem(outcome.refusal)
