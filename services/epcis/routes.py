"""The REST binding's query routes: ``/epcis/events``, one event, and the top-level resources.

Each top-level resource (``bizSteps`` …) lists the values the caller's events carry, names its
one sub-resource (``events``) for each value, and answers that as ``/epcis/events`` with the
matching filter added to the request's own.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from services.epcis.auth import CurrentSight, EpcisDep
from services.epcis.documents import as_seen_by, collection, query_document
from services.epcis.paging import next_link
from services.epcis.params import EVENT_TYPES, paging_only, read_events_request
from services.epcis.problems import NoSuchResource
from shared.readmodels.epcis_query import EpcisReader, EventQuery, Keyset, Sight

PREFIX = "/epcis"
JSON_LD = "application/ld+json"
# The query filter each top-level resource's sub-resource adds.
RESOURCE_FILTERS = {
    "eventTypes": "event_types",
    "bizSteps": "biz_steps",
    "bizLocations": "biz_locations",
    "readPoints": "read_points",
    "dispositions": "dispositions",
    "epcs": "mentions",
}
TOP_LEVEL = ["capture", "events", *RESOURCE_FILTERS]  # named queries: not yet

router = APIRouter(prefix=PREFIX)


@router.get("")
async def top_level() -> Response:
    return JSONResponse(collection(TOP_LEVEL))


@router.get("/events")
async def events(request: Request, epcis: EpcisDep, sight: CurrentSight) -> Response:
    return await _events(request, epcis.reader, sight, None)


@router.get("/events/{event_id:path}")
async def one_event(event_id: str, epcis: EpcisDep, sight: CurrentSight) -> Response:
    return await run_in_threadpool(_one_event, event_id, epcis.reader, sight)


@router.get("/{resource}")
async def resource_collection(
    resource: str, request: Request, epcis: EpcisDep, sight: CurrentSight
) -> Response:
    paging_only(request.query_params.multi_items())
    if resource == "eventTypes":
        # Every type this repository can hold, as the binding asks, not only those present.
        return JSONResponse(collection(sorted(EVENT_TYPES)))
    _check_resource(resource)
    members = await run_in_threadpool(epcis.reader.collection, resource, sight)
    return JSONResponse(collection(members))


@router.get("/{resource}/{value:path}/events")
async def resource_events(
    resource: str, value: str, request: Request, epcis: EpcisDep, sight: CurrentSight
) -> Response:
    _check_resource(resource)
    return await _events(request, epcis.reader, sight, (RESOURCE_FILTERS[resource], value))


@router.get("/{resource}/{value:path}")
async def resource_item(resource: str, value: str, sight: CurrentSight) -> Response:
    del value, sight  # any value names its events; they may be none
    _check_resource(resource)
    return JSONResponse(collection(["events"]))


def _check_resource(resource: str) -> None:
    if resource not in RESOURCE_FILTERS:
        known = ", ".join(RESOURCE_FILTERS)
        raise NoSuchResource(f"/epcis/{resource} is no resource here: the resources are {known}")


async def _events(
    request: Request, reader: EpcisReader, sight: Sight, added: tuple[str, str] | None
) -> Response:
    items = request.query_params.multi_items()
    asked = read_events_request(items)
    query = asked.query
    if added is not None:
        field, value = added
        query = replace(query, **{field: (*getattr(query, field), value)})  # type: ignore[arg-type]
    page = await run_in_threadpool(reader.page, query, sight, asked.after, asked.per_page)
    body = query_document([as_seen_by(event, sight) for event in page.documents])
    headers = _link(request, items, page.next_after, asked.per_page)
    return JSONResponse(body, media_type=JSON_LD, headers=headers)


def _link(
    request: Request, items: list[tuple[str, str]], after: Keyset | None, per_page: int
) -> dict[str, str]:
    if after is None:
        return {}  # the last page: no rel="next"
    url = str(request.url.replace(query=""))
    return {"Link": next_link(url, items, after, per_page)}


def _one_event(event_id: str, reader: EpcisReader, sight: Sight) -> Response:
    page = reader.page(EventQuery(event_ids=(event_id,)), sight, None, 1)
    if page.documents:
        body: dict[str, Any] = query_document([as_seen_by(page.documents[0], sight)])
        return JSONResponse(body, media_type=JSON_LD)
    current = reader.current_id(event_id)
    if current is not None:
        # An id given out before a GLN was registered or the mapping changed: the event lives
        # on under its current id, for good, so the old one moves there permanently.
        return RedirectResponse(f"{PREFIX}/events/{quote(current, safe='')}", status_code=301)
    raise NoSuchResource(f"no event {event_id} that this token may read")
