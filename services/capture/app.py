"""The capture API's composition: routes, authentication and error answers on one app."""

from __future__ import annotations

from fastapi import FastAPI

from services.capture.context import API_PREFIX, Capture, attach
from services.capture.errors import install_error_handlers
from services.capture.routes import routers
from shared.postgres.tokens import TokenStore
from shared.readmodels.catalogue import BatchCatalogue
from shared.records.application import Records
from shared.settings import NguonSettings

DEFAULT_READ_WAIT_SECONDS = 5.0


def create_app(
    settings: NguonSettings, records: Records, tokens: TokenStore, catalogue: BatchCatalogue
) -> FastAPI:
    """The capture API alone (the platform instead ``install``s it next to the web pages)."""
    app = FastAPI(
        title="Nguồn — capture API",
        version="1",
        description="Record what happens to agricultural batches in Thanh Hóa's value chains."
        " Every write answers with the position of its last event.",
    )
    install(app, records, tokens, catalogue, read_wait_timeout=settings.read_wait_timeout_seconds)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, object]:
        """For load balancers and compose: answers only while the event store answers."""
        return {"status": "ok", "position": records.position()}

    return app


def install(
    app: FastAPI,
    records: Records,
    tokens: TokenStore,
    catalogue: BatchCatalogue,
    *,
    read_wait_timeout: float = DEFAULT_READ_WAIT_SECONDS,
) -> None:
    """Adds the routes under ``/api/v1`` and their error answers to an existing app.

    Claims only its own paths: errors elsewhere go to the handlers the app already had.
    """
    attach(app.state, Capture(records, tokens, catalogue, read_wait_timeout))
    for router in routers():
        app.include_router(router, prefix=API_PREFIX)
    install_error_handlers(app, API_PREFIX)
