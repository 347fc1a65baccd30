"""The two staff apps' trace pages over a fake trace source, signed in by ``HeaderGate``."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import FastAPI

from services.cooperative_app import trace as app_trace
from services.cooperative_app.app import NAV as APP_NAV
from services.cooperative_app.app import TEMPLATES as APP_TEMPLATES
from services.province import trace as province_trace
from services.province.app import NAV, TEMPLATES, _ForbiddenPage, _to_sign_in
from services.province.people import NotAllowed, SignInNeeded
from shared.pages import Pages
from shared.trace.graph import TraceGraph
from shared.trace.source import TraceAnswer, TraceQuery, TraceRefusal, TraceSource
from tests.registry_world import HeaderGate
from tests.unit.trace.graphs import COOPERATIVE, a_balance


@dataclass
class FakeTraces(TraceSource):
    """Answers one graph by its start's code (or its GTIN and lot), to the viewers allowed it;
    remembers every question."""

    graph: TraceGraph
    allowed: frozenset[str | None] = frozenset({None, COOPERATIVE})
    asked: list[tuple[TraceQuery, str | None]] = field(default_factory=list)

    def answer(self, query: TraceQuery, viewer: str | None) -> TraceAnswer | TraceRefusal | None:
        self.asked.append((query, viewer))
        start = self.graph.node(self.graph.start_id)
        known = query.ref == start.code or (query.ref, query.lot) == (start.gtin, start.lot)
        if not known or viewer not in self.allowed:
            return None
        return TraceAnswer(self.graph, a_balance())


def province_app(source: TraceSource) -> FastAPI:
    app = FastAPI()
    app.state.gate = HeaderGate()
    pages = Pages(TEMPLATES, nav=NAV)
    app.include_router(province_trace.router(pages, source))
    app.add_exception_handler(SignInNeeded, _to_sign_in)
    app.add_exception_handler(NotAllowed, _ForbiddenPage(pages))
    return app


def cooperative_app(source: TraceSource) -> FastAPI:
    app = FastAPI()
    app.state.gate = HeaderGate()
    pages = Pages(APP_TEMPLATES, nav=APP_NAV)
    app.include_router(app_trace.trace_routes(pages, source))
    app.add_exception_handler(SignInNeeded, _to_sign_in)
    app.add_exception_handler(NotAllowed, _ForbiddenPage(pages))
    return app
