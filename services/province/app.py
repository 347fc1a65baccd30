"""The provincial staff's app: the registry of cooperatives, enterprises, chains and plots
(``registry/``), the dashboard of value-chain participation (``dashboard/``), and the trace
of a batch as a picture (``trace/``).

Consumes the read models (through readers built on ``connect``) and, for its forms, the same
records application and commands as the API, so a form stores exactly what the API would and
refuses with the same codes. Only signed-in provincial staff and admins reach it (``people``).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.province import dashboard, recalls, registry, trace
from services.province.people import NotAllowed, SignInNeeded
from services.province.recalls.report import ProjectedTracer, Tracer
from shared.accounts.gate import Gate
from shared.charts.trace_graph import trace_picture
from shared.pages import Pages
from shared.pages.rendering import NavItem
from shared.readmodels.recalls import PostgresRecallReader, RecallReader
from shared.readmodels.trace import PostgresTraces
from shared.readmodels.trace_source import PostgresTraceSource
from shared.readmodels.tracking import Connect, Waiter, waiter_for
from shared.records.application import Records
from shared.settings import NguonSettings
from shared.trace.source import TraceSource
from shared.wire.topics import events_topic

PATHS = ("/province",)
"""The URL spaces this app answers, wherever it runs (alone, or mounted in the platform)."""

TEMPLATES = Path(__file__).parent / "templates"
NAV = (
    NavItem("province_nav_dashboard", "/province/dashboard"),
    NavItem("province_nav_cooperatives", "/province/cooperatives"),
    NavItem("province_nav_enterprises", "/province/enterprises"),
    NavItem("province_nav_chains", "/province/value-chains"),
    NavItem("province_nav_plots", "/province/plots"),
    NavItem("trace_nav", "/province/trace"),
    NavItem("recall_nav", "/province/recalls"),
)


def create_app(
    settings: NguonSettings,
    records: Records,
    gate: Gate,
    connect: Connect,
    traces: TraceSource | None = None,
    recall_reader: RecallReader | None = None,
    tracer: Tracer | None = None,
) -> FastAPI:
    """``recall_reader`` (the recalls projection's by default) feeds the recall pages and the
    dashboard's panel; ``tracer`` the trace and mass balance the recall report shows (by
    default the trace projection's)."""
    app = FastAPI(title="Nguồn — province", openapi_url=None, docs_url=None, redoc_url=None)
    app.state.gate = gate
    pages = Pages(TEMPLATES, nav=NAV)
    app.state.pages = pages
    reader = recall_reader if recall_reader is not None else PostgresRecallReader(connect)
    app.include_router(registry.router(settings, records, connect, pages))
    app.include_router(trace.router(pages, traces or PostgresTraceSource(connect)))
    app.include_router(dashboard.router(settings, connect, pages, recalls=reader))
    traced = tracer if tracer is not None else ProjectedTracer(PostgresTraces(connect))
    waiter = recall_waiter(settings, connect)
    app.include_router(
        recalls.router(
            pages, reader, recalls.RecordsDesk(records), traced,
            picture=lambda graph, t: trace_picture(graph, t).svg,
            catch_up=lambda at: waiter.wait_for(at, settings.read_wait_timeout_seconds),
        )
    )  # fmt: skip
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


def recall_waiter(settings: NguonSettings, connect: Connect) -> Waiter:
    """How a recall page waits for the recalls projection to apply what a form stored."""
    topic = events_topic(settings.kafka_topic_prefix) if settings.uses_kafka else None
    group = str(getattr(settings, "projector_group_id", registry.DEFAULT_PROJECTOR_GROUP))
    return waiter_for(connect, kafka_topic=topic, group=group, projections=("recalls",))
