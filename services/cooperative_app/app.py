"""The cooperative app (``/app/…``): what cooperative staff, member households and partner
enterprises record from a phone — the farm diary, harvests, processing, shipping and receiving,
transformations, inspections, labels — and the lots they hold, offline first.

Each part is a router built from one :class:`AppContext`:

- ``lots``: the home page, my lots (held, on their way to me, shipped), search, a lot's page;
- ``work``: harvest, processing, shipping, receiving;
- ``lot_changes``: transformation (split, merge, pack), inspection, labelling, sale, correction,
  recall;
- ``diary``: the farm diary on plots; ``imports``: CSV import of harvests and diary entries;
- ``households``: the cooperative's private registry of member households;
- ``offline``: the web app's manifest, service worker and outbox;
- ``trace``: a lot's whole chain as a picture, with its mass balance;
- ``labels``: PDF label sheets; ``products``: what the buyer's page shows of a product;
  ``scan``: open a batch by scanning its QR label with the phone's camera.

Forms store through the same records application and commands as the API, so a form stores
exactly what the API would and refuses with the same codes. Scripts and styles are vendored
under ``static/``: nothing is loaded from another site.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.cooperative_app import (
    diary,
    exports,
    households,
    imports,
    labels,
    lot_changes,
    lots,
    offline,
    products,
    recalls,
    scan,
    trace,
    work,
)
from services.cooperative_app.context import AppContext
from services.cooperative_app.language import RemembersLanguage
from services.cooperative_app.people import NotAllowed, SignInNeeded
from services.cooperative_app.recalls.waiting import recall_waiter
from shared.accounts.gate import Gate
from shared.pages import Pages
from shared.pages.rendering import NavItem
from shared.readmodels.households import HouseholdDirectory
from shared.readmodels.recalls import PostgresRecallReader, RecallReader
from shared.readmodels.trace_source import PostgresTraceSource
from shared.readmodels.tracking import Connect
from shared.records.application import Records
from shared.settings import NguonSettings
from shared.trace.source import TraceSource

PATHS = ("/app",)
"""The URL spaces this app answers, wherever it runs (alone, or mounted in the platform)."""

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
NAV = (
    NavItem("app_nav_lots", "/app/lots"),
    NavItem("app_nav_record", "/app/record"),
    NavItem("app_nav_diary", "/app/diary"),
    NavItem("app_nav_outbox", "/app/outbox"),
    NavItem("recall_nav", "/app/recalls"),
)


def create_app(
    settings: NguonSettings,
    records: Records,
    gate: Gate,
    connect: Connect,
    households_directory: HouseholdDirectory,
    traces: TraceSource | None = None,
    recall_reader: RecallReader | None = None,
    notice_desk: recalls.NoticeDesk | None = None,
) -> FastAPI:
    """``recall_reader`` and ``notice_desk`` (by default the recalls projection and the
    records' recall commands) serve the recall inbox."""
    app = FastAPI(title="Nguồn — cooperative app", openapi_url=None, docs_url=None, redoc_url=None)
    app.state.gate = gate
    reader = recall_reader if recall_reader is not None else PostgresRecallReader(connect)
    pages = Pages(TEMPLATES, nav=NAV, badges=RecallBadge(gate, reader))
    app.state.pages = pages
    traces = traces or PostgresTraceSource(connect)
    context = AppContext(settings, records, connect, pages, households_directory, traces)
    for part in (
        lots,
        work,
        lot_changes,
        diary,
        imports,
        households,
        offline,
        labels,
        products,
        scan,
        trace,
        exports,
    ):
        app.include_router(part.router(context))
    desk = notice_desk if notice_desk is not None else recalls.RecordsNoticeDesk(records)
    waiter = recall_waiter(settings, connect)
    app.include_router(
        recalls.router(
            pages, reader, desk,
            catch_up=lambda at: waiter.wait_for(at, settings.read_wait_timeout_seconds),
        )
    )  # fmt: skip
    app.mount("/app/static", StaticFiles(directory=STATIC), name="app-static")
    app.add_exception_handler(SignInNeeded, _to_sign_in)
    app.add_exception_handler(NotAllowed, _ForbiddenPage(pages))
    app.add_middleware(RemembersLanguage)  # ?lang=en once: every page after it in English
    return app


class RecallBadge:
    """The recall tab's count: open notices the person's organisation has not acknowledged.

    The session is already resolved for the page (the gate keeps it on the request), so the
    count costs one indexed query per page."""

    def __init__(self, gate: Gate, reader: RecallReader) -> None:
        self._gate = gate
        self._reader = reader

    def __call__(self, request: Request) -> dict[str, int]:
        person = self._gate.person(request)
        organisation = person.actor.organisation_id if person else None
        if organisation is None:
            return {}
        return {"/app/recalls": self._reader.unanswered(organisation)}


def _to_sign_in(_request: Request, error: Exception) -> Response:
    assert isinstance(error, SignInNeeded)  # registered for SignInNeeded only
    return RedirectResponse(error.location, status_code=303)


class _ForbiddenPage:
    def __init__(self, pages: Pages) -> None:
        self._pages = pages

    def __call__(self, request: Request, error: Exception) -> Response:
        assert isinstance(error, NotAllowed)  # registered for NotAllowed only
        chrome = self._pages.chrome(request)
        return self._pages.response("forbidden.html", chrome, status_code=403, reason=error.reason)
