"""The EPCIS 2.0 query interface as one app (REST binding), for trading partners' machines.

It reads the ``epcis`` read model (``shared.readmodels.epcis_query``), which the projector keeps;
it writes nothing. Every answer, refusals too, carries the binding's discovery headers, and
``OPTIONS`` on any of its paths answers them with what may be asked there. Capture
(``POST /epcis/capture``) is not routed yet.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

from services.epcis.auth import Epcis, attach
from services.epcis.problems import install_problem_handlers, problem
from services.epcis.routes import PREFIX, router
from services.epcis.versions import DISCOVERY_HEADERS, unacceptable
from shared.postgres.tokens import TokenStore
from shared.readmodels.epcis_query import EpcisReader
from shared.readmodels.tracking import Connect
from shared.settings import NguonSettings

PATHS = (PREFIX,)
"""The URL space this app answers, wherever it runs (alone, or mounted in the platform)."""


def create_app(settings: NguonSettings, tokens: TokenStore, connect: Connect) -> FastAPI:
    del settings  # nothing to configure yet; kept so every app is built alike
    app = FastAPI(title="Nguồn — EPCIS 2.0 query interface", openapi_url=None, docs_url=None)
    attach(app.state, Epcis(tokens, EpcisReader(connect)))
    app.include_router(router)
    install_problem_handlers(app)

    @app.middleware("http")
    async def discovery(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        refused = unacceptable(request.headers)
        if refused is not None:
            title = "Conflicting request and response headers"
            response = problem(406, "NotAcceptableException", title, refused)
        elif request.method == "OPTIONS":
            response = Response(status_code=204, headers={"Allow": "GET, OPTIONS"})
        else:
            response = await call_next(request)
        response.headers.update(DISCOVERY_HEADERS)
        return response

    return app
