"""The capture API as one app: its routes, its authentication, its error answers, its docs.

The app answers every path it is given with the API's own error format: the platform mounts
it where the API lives (see ``PATHS``) and sends it nothing else, so no handler needs to ask
which part of the site a request was for.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from fastapi import FastAPI

from services.capture.auth import origin_of
from services.capture.context import API_PREFIX, Capture, attach, connections_of
from services.capture.docs import DOCS_PATH, add_docs
from services.capture.errors import install_error_handlers
from services.capture.routes import routers
from shared.accounts.gate import Gate
from shared.postgres.tokens import TokenStore
from shared.readmodels.catalogue import BatchCatalogue
from shared.readmodels.registry import RegistryReader
from shared.records.application import Records
from shared.settings import NguonSettings

OPENAPI_PATH = "/openapi.json"
PATHS = ("/api", OPENAPI_PATH, DOCS_PATH)
"""The URL spaces this app answers, wherever it runs (alone, or mounted in the platform)."""


def create_app(
    settings: NguonSettings,
    records: Records,
    tokens: TokenStore,
    catalogue: BatchCatalogue,
    gate: Gate | None = None,
) -> FastAPI:
    """The capture API: ``/api/v1/…``, its OpenAPI document and its docs page.

    With a ``gate``, a signed-in person's session is accepted too, from the site's own
    ``Origin`` only (``services.capture.auth``): the cooperative app's outbox sends that way.
    """
    app = FastAPI(
        title="Nguồn — capture API",
        version="1",
        description="Record what happens to agricultural batches in Thanh Hóa's value chains."
        " Every write answers with the position of its last event.",
        openapi_url=OPENAPI_PATH,
        docs_url=None,  # served from the package instead of a CDN: see services.capture.docs
        redoc_url=None,
    )

    # The registry reads the projections in the same database, through the same pool: asked
    # for when a read needs it, as records kept in memory (unit tests) have no pool.
    def registry_connection() -> AbstractContextManager[Any]:
        return connections_of(records)()

    registry = RegistryReader(registry_connection)
    timeout = settings.read_wait_timeout_seconds
    site = origin_of(settings.public_base_url)
    attach(app.state, Capture(records, tokens, catalogue, timeout, registry, gate, site))
    for router in routers():
        app.include_router(router, prefix=API_PREFIX)
    add_docs(app)
    install_error_handlers(app, "/")  # every error of this app is the API's

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, object]:
        """For load balancers and compose: answers only while the event store answers."""
        return {"status": "ok", "position": records.position()}

    return app
