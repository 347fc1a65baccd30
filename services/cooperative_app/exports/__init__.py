"""The cooperative app's ``exports`` part: a lot's FSMA 204 spreadsheet and EUDR GeoJSON,
downloaded from its page (``/app/exports/{code}/…``).

The same files as the capture API's ``/api/v1/exports`` (served here because a browser's link
sends no ``Origin``, which the API asks of a session): an organisation's own lots only, and a
lot it has no part in answers 404 as the lot pages do. A household member downloads nothing:
the cooperative's records are not its own.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from services.cooperative_app.context import AppContext
from services.cooperative_app.people import NotAllowed, Worker
from shared.domain.errors import InvalidValue, NotFound, NotPermitted
from shared.exports import eudr, fsma204
from shared.exports.workbooks import CSV_TYPE, XLSX_TYPE
from shared.readmodels.exports import ExportReader, LotFacts
from shared.records.actors import Role


def router(context: AppContext) -> APIRouter:
    routes = APIRouter()
    reader = ExportReader(context.connect)
    pages = context.pages

    async def facts_of(request: Request, person: Worker, code: str) -> LotFacts | Response:
        if person.actor.role is Role.HOUSEHOLD:
            raise NotAllowed("a household member does not export the cooperative's records")
        organisation = str(person.actor.organisation("export a lot"))
        try:
            return await run_in_threadpool(reader.for_lot, code.upper(), None, organisation)
        except (NotFound, NotPermitted, InvalidValue):
            chrome = pages.chrome(
                request, person_name=person.display_name, csrf_token=person.csrf_token
            )
            return pages.response("lots_not_found.html", chrome, status_code=404, code=code)

    @routes.get("/app/exports/{code}/fsma204.{kind}", include_in_schema=False)
    async def fsma(
        request: Request, person: Worker, code: str, kind: Literal["xlsx", "csv"]
    ) -> Response:
        facts = await facts_of(request, person, code)
        if isinstance(facts, Response):
            return facts
        organisation = str(person.actor.organisation("export a lot"))
        table = fsma204.rows(facts, fsma204.Request(reader_id=organisation))
        if kind == "csv":
            return _download(fsma204.to_csv(table), CSV_TYPE, f"fsma204-{code}.csv")
        body = fsma204.to_xlsx(table, f"FSMA 204 — {code}")
        return _download(body, XLSX_TYPE, f"fsma204-{code}.xlsx")

    @routes.get("/app/exports/{code}/eudr.geojson", include_in_schema=False)
    async def plots(request: Request, person: Worker, code: str) -> Response:
        facts = await facts_of(request, person, code)
        if isinstance(facts, Response):
            return facts
        body = eudr.to_bytes(eudr.feature_collection(facts))
        return _download(body, eudr.GEOJSON_TYPE, f"eudr-{code}.geojson")

    return routes


def _download(body: bytes, media_type: str, file_name: str) -> Response:
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in file_name)
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{safe}"'},
    )
