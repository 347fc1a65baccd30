"""The provincial staff's app: the registry of cooperatives, enterprises, chains and plots
(``registry/``), and the dashboard of value-chain participation (``dashboard/``).

Consumes the read models (through readers built on ``connect``) and, for its forms, the same
records application and commands as the API, so a form stores exactly what the API would and
refuses with the same codes. Only signed-in provincial staff and admins reach it (``people``).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.province import dashboard, recalls, registry
from services.province.people import NotAllowed, SignInNeeded
from services.province.recalls.report import ProjectedTracer, Tracer
from shared.accounts.gate import Gate
from shared.pages import Pages
from shared.pages.rendering import NavItem
from shared.readmodels.recalls import RecallReader
from shared.readmodels.trace import PostgresTraces
from shared.readmodels.tracking import Connect
from shared.records.application import Records
from shared.settings import NguonSettings

PATHS = ("/province",)
"""The URL spaces this app answers, wherever it runs (alone, or mounted in the platform)."""

TEMPLATES = Path(__file__).parent / "templates"
NAV = (
    NavItem("province_nav_dashboard", "/province/dashboard"),
    NavItem("province_nav_cooperatives", "/province/cooperatives"),
    NavItem("province_nav_enterprises", "/province/enterprises"),
    NavItem("province_nav_chains", "/province/value-chains"),
    NavItem("province_nav_plots", "/province/plots"),
    NavItem("recall_nav", "/province/recalls"),
)


def create_app(
    settings: NguonSettings,
    records: Records,
    gate: Gate,
    connect: Connect,
    recall_reader: RecallReader | None = None,
    tracer: Tracer | None = None,
) -> FastAPI:
    """``recall_reader`` is the recall read model (its pages and the dashboard's panel are
    served when there is one); ``tracer`` the trace and mass balance the recall report shows
    (by default the trace projection's)."""
    app = FastAPI(title="Nguồn — province", openapi_url=None, docs_url=None, redoc_url=None)
    app.state.gate = gate
    # The recalls' tab only where its pages are served (they need the recall read model).
    served = recall_reader is not None
    pages = Pages(
        TEMPLATES, nav=NAV if served else tuple(i for i in NAV if i.label != "recall_nav")
    )
    app.state.pages = pages
    app.include_router(registry.router(settings, records, connect, pages))
    app.include_router(dashboard.router(settings, connect, pages, recalls=recall_reader))
    if recall_reader is not None:
        desk = recalls.RecordsDesk(records)
        traced = tracer if tracer is not None else ProjectedTracer(PostgresTraces(connect))
        app.include_router(recalls.router(pages, recall_reader, desk, traced))
    app.add_exception_handler(SignInNeeded, _to_sign_in)
    app.add_exception_handler(NotAllowed, _ForbiddenPage(pages))

    @app.get("/province", include_in_schema=False)
    def home() -> Response:
        return RedirectResponse("/province/dashboard", status_code=303)

    return app


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
