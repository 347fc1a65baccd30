"""The EPCIS 2.0 interface as one app (REST binding), for trading partners' machines.

Queries read the ``epcis`` read model (``shared.readmodels.epcis_query``), which the projector
keeps. Capture (``POST /epcis/capture``, ``POST /epcis/events``) executes a partner's events
as the records application's commands (``shared.epcis.capture``), keeps a job for each
document (``shared.postgres.capture_jobs``), and stores nothing else: the read side follows
through the projector like every other write. Every answer, refusals too, carries the
binding's discovery headers, and ``OPTIONS`` on any of its paths answers them with what may be
asked there; capture's answers add its limits.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

from services.epcis import capture_routes, routes
from services.epcis.auth import Epcis, attach
from services.epcis.capturing import Capturing
from services.epcis.problems import install_problem_handlers, problem
from services.epcis.versions import (
    DISCOVERY_HEADERS,
    allowed_methods,
    capture_headers,
    unacceptable,
)
from shared.postgres.capture_jobs import CaptureJobs
from shared.postgres.tokens import TokenStore
from shared.readmodels.epcis_query import EpcisReader
from shared.readmodels.tracking import Connect
from shared.records.application import Records
from shared.settings import NguonSettings

PATHS = (routes.PREFIX,)
"""The URL space this app answers, wherever it runs (alone, or mounted in the platform)."""


def create_app(
    settings: NguonSettings, records: Records, tokens: TokenStore, connect: Connect
) -> FastAPI:
    del settings  # nothing to configure yet; kept so every app is built alike
    app = FastAPI(title="Nguồn — EPCIS 2.0 interface", openapi_url=None, docs_url=None)
    capturing = Capturing(records, CaptureJobs(connect))
    attach(app.state, Epcis(tokens, EpcisReader(connect), capturing))
    # Capture's routes first: the query side's /epcis/{resource} would claim /epcis/capture.
    app.include_router(capture_routes.router)
    app.include_router(routes.router)
    install_problem_handlers(app)

    @app.middleware("http")
    async def discovery(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        refused = unacceptable(request.headers)
        path = request.url.path
        if refused is not None:
            title = "Conflicting request and response headers"
            response = problem(406, "NotAcceptableException", title, refused)
        elif request.method == "OPTIONS":
            response = Response(status_code=204, headers={"Allow": allowed_methods(path)})
        else:
            response = await call_next(request)
        response.headers.update(DISCOVERY_HEADERS)
        response.headers.update(capture_headers(request.method, path))
        return response

    return app
