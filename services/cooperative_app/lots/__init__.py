"""The cooperative app's ``lots`` part: the home page and my lots."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.cooperative_app.context import AppContext
from services.cooperative_app.people import Worker


def router(context: AppContext) -> APIRouter:
    routes = APIRouter()

    @routes.get("/app", include_in_schema=False)
    @routes.get("/app/", include_in_schema=False)
    def home(person: Worker) -> Response:
        del person
        return RedirectResponse("/app/lots", status_code=303)

    @routes.get("/app/lots", include_in_schema=False)
    def my_lots(request: Request, person: Worker) -> Response:
        pages = context.pages
        chrome = pages.chrome(
            request, person_name=person.display_name, csrf_token=person.csrf_token
        )
        return pages.response("lots.html", chrome)

    return routes
