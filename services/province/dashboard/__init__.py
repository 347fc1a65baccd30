"""The dashboard of value-chain participation: indicators, charts, drill-downs, exports."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from services.province.people import Staff
from shared.pages import Pages
from shared.readmodels.tracking import Connect
from shared.settings import NguonSettings


def router(settings: NguonSettings, connect: Connect, pages: Pages) -> APIRouter:
    routes = APIRouter(prefix="/province")

    @routes.get("/dashboard", include_in_schema=False)
    def dashboard(request: Request, person: Staff) -> Response:
        chrome = pages.chrome(
            request, person_name=person.display_name, csrf_token=person.csrf_token
        )
        return pages.response("dashboard/placeholder.html", chrome)

    return routes
