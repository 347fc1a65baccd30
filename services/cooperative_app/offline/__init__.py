"""The cooperative app's ``offline`` part: an installable web app whose records are never lost.

- ``/app/manifest.webmanifest``: what a phone needs to install the app (``manifest.py``);
- ``/app/sw.js``: the service worker (``worker.py``): the shell precached, the last-seen app
  pages and pick lists kept, so the app reloads and its forms open without a network;
- ``/app/offline``: the page shown for an app page never seen before, when offline;
- ``/app/offline/picklists.json``: what the forms pick from (``picklists.py``);
- ``/app/outbox``: the records waiting in the phone's outbox (``static/offline/outbox.js``
  keeps them in IndexedDB and sends them to ``/api/v1/bulk`` as the signed-in person).
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from services.cooperative_app.context import AppContext
from services.cooperative_app.offline.manifest import manifest
from services.cooperative_app.offline.picklists import pick_lists
from services.cooperative_app.offline.worker import ServiceWorker
from services.cooperative_app.people import Worker, gate_of

MANIFEST_PATH = "/app/manifest.webmanifest"
WORKER_PATH = "/app/sw.js"
OFFLINE_PAGE = "/app/offline"
PICK_LISTS = "/app/offline/picklists.json"
OUTBOX_PAGE = "/app/outbox"
# Revalidated on every use: an installed app must find out about a new version of itself.
REVALIDATE = {"Cache-Control": "no-cache"}


def router(context: AppContext) -> APIRouter:
    routes = APIRouter()
    worker = ServiceWorker.build(offline_page=OFFLINE_PAGE, pages=(OUTBOX_PAGE,))

    @routes.get(MANIFEST_PATH, include_in_schema=False)
    def web_manifest(request: Request) -> Response:
        chrome = context.pages.chrome(request)
        return JSONResponse(
            manifest(chrome.t), media_type="application/manifest+json", headers=REVALIDATE
        )

    @routes.get(WORKER_PATH, include_in_schema=False)
    def service_worker() -> Response:
        # At /app/sw.js its scope is /app/ by default: no Service-Worker-Allowed header needed.
        return Response(worker.script, media_type="text/javascript", headers=REVALIDATE)

    @routes.get(OFFLINE_PAGE, include_in_schema=False)
    def offline_page(request: Request) -> Response:
        # No sign-in (nor for the outbox): the worker precaches both when it installs.
        return context.pages.response("offline_page.html", context.pages.chrome(request))

    @routes.get(PICK_LISTS, include_in_schema=False)
    def picklists(person: Worker) -> Response:
        lists = pick_lists(context.connect, person.actor)
        return JSONResponse(lists, headers={"Cache-Control": "private, no-cache"})

    @routes.get(OUTBOX_PAGE, include_in_schema=False)
    def outbox(request: Request) -> Response:
        # Open to a signed-out person too: what it lists lives in the phone, not here, and
        # after a session ends it is where they see what waits and the way to sign in again.
        pages = context.pages
        person = gate_of(request).person(request)
        if person is None:
            return pages.response("offline_outbox.html", pages.chrome(request))
        chrome = pages.chrome(
            request, person_name=person.display_name, csrf_token=person.csrf_token
        )
        return pages.response("offline_outbox.html", chrome)

    return routes
