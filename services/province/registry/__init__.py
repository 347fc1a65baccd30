"""The registry staff keep: lists, a page for each cooperative, enterprise, chain and plot,
and the forms that record what the API records."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from services.province.people import Staff
from shared.pages import Pages
from shared.readmodels.tracking import Connect
from shared.records.application import Records
from shared.settings import NguonSettings


def router(settings: NguonSettings, records: Records, connect: Connect, pages: Pages) -> APIRouter:
    routes = APIRouter(prefix="/province")

    @routes.get("/cooperatives", include_in_schema=False)
    def cooperatives(request: Request, person: Staff) -> Response:
        chrome = pages.chrome(
            request, person_name=person.display_name, csrf_token=person.csrf_token
        )
        return pages.response("registry/placeholder.html", chrome)

    return routes
