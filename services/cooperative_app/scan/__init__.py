"""The cooperative app's ``scan`` part: open a batch by scanning its QR label with the camera.

``/app/scan`` shows the rear camera and decodes in the browser (``static/scan/scan.js``: the
native ``BarcodeDetector`` where there is one, else the vendored jsQR, loaded by this page
only); a form takes a typed code or link on phones without a camera. Both end at
``/app/scan/open?text=``, which opens the lot's page (``/app/lots/{code}``) or shows, at the
field, why the text names no batch of ours (see ``targets``).
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.cooperative_app.context import AppContext
from services.cooperative_app.people import Worker
from services.cooperative_app.scan import targets

LOT_PAGE = "/app/lots/{code}"


def router(context: AppContext) -> APIRouter:
    routes = APIRouter()
    base = context.settings.public_base_url

    def page(request: Request, person: Worker, text: str, error: str | None) -> Response:
        chrome = context.pages.chrome(
            request, person_name=person.display_name, csrf_token=person.csrf_token
        )
        errors = {"text": chrome.t(error)} if error else {}
        return context.pages.response(
            "scan_page.html",
            chrome,
            status_code=422 if error else 200,
            text=text,
            errors=errors,
        )

    @routes.get("/app/scan", include_in_schema=False)
    def scan(request: Request, person: Worker) -> Response:
        return page(request, person, "", None)

    @routes.get("/app/scan/open", include_in_schema=False)
    def open_scanned(request: Request, person: Worker, text: str = "") -> Response:
        found = targets.batch_named(text, base, context.connect)
        if isinstance(found, targets.Refused):
            return page(request, person, text[: targets.MAX_TEXT], found.reason)
        return RedirectResponse(LOT_PAGE.format(code=found.code), status_code=303)

    return routes
