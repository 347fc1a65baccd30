"""Running the web service alone: build it from settings on the services' role, serve it.

The builder refuses a database whose schema is not at this version (``nguon db migrate``
first); it never needs the owner's credentials.
"""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI
from psycopg_pool import ConnectionPool

from services.web.app import create_app
from services.web.scans import ScanCounter, ScanFlusher
from services.web.settings import WebSettings
from shared.database import release, service_url
from shared.lifecycle import exit_on_sigterm, serve_in_workers
from shared.readmodels.health import read_side_check
from shared.readmodels.page_scans import PostgresScanStore
from shared.readmodels.postgres_readers import PostgresProvenanceReader
from shared.readmodels.public_directory import PostgresPublicDirectory
from shared.readmodels.tracking import Connect, waiter_for
from shared.wire.topics import events_topic


def build(settings: WebSettings) -> FastAPI:
    pool: ConnectionPool = ConnectionPool(
        service_url(settings), min_size=1, max_size=settings.web_database_pool_size, open=True
    )
    connect: Connect = pool.connection
    topic = events_topic(settings.kafka_topic_prefix) if settings.uses_kafka else None
    waiter = waiter_for(connect, kafka_topic=topic, group=settings.projector_group_id)
    scans = ScanCounter(PostgresScanStore(connect))
    flusher = ScanFlusher(scans)
    app = create_app(
        settings,
        PostgresProvenanceReader(connect, waiter),
        read_side_check(connect),
        directory=PostgresPublicDirectory(connect),
        scans=scans,
    )
    app.router.add_event_handler("startup", flusher.start)
    app.router.add_event_handler(
        "shutdown", flusher.stop
    )  # the last counts, while the pool is open
    app.router.add_event_handler("shutdown", pool.close)
    app.router.add_event_handler("shutdown", lambda: release(settings))
    return app


def app_from_environment() -> FastAPI:
    """The factory each worker process calls: settings are read in the worker itself."""
    return build(WebSettings())


def serve(settings: WebSettings) -> None:
    if settings.web_workers > 1:
        service_url(settings)  # refuse here, once, rather than in every worker
        serve_in_workers(
            "services.web.server:app_from_environment",
            settings.host,
            settings.port,
            settings.web_workers,
        )
        return
    exit_on_sigterm()  # while starting, and after uvicorn's graceful stop: unwind, clean up
    app = build(settings)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")
