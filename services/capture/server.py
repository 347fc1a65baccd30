"""Running capture alone: build it from settings, serve it with one or more worker processes.

Capture is stateless between requests (the event store serialises writes), so a production
deployment scales it with processes: ``NGUON_CAPTURE_WORKERS`` each build their own pool.
"""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI

from services.capture.app import create_app
from services.capture.context import connections_of
from services.capture.settings import CaptureSettings
from shared.accounts.service import Accounts
from shared.database import release, service_url
from shared.lifecycle import exit_on_sigterm, serve_in_workers
from shared.postgres.token_cache import listening_on
from shared.postgres.tokens import TokenStore
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.postgres_readers import PostgresBatchCatalogue
from shared.readmodels.tracking import waiter_for
from shared.records.application import Records
from shared.wire.topics import events_topic


def build(settings: CaptureSettings) -> FastAPI:
    """Capture on the services' role, once the schema is at this version (else it refuses)."""
    url = service_url(settings)
    env = eventsourcing_env(url, create_table=False, pool_size=settings.database_pool_size)
    records = Records(env, settings.province_code)
    connect = connections_of(records)
    tokens = TokenStore(connect, listen=listening_on(url), ttl_seconds=settings.token_cache_seconds)
    topic = events_topic(settings.kafka_topic_prefix) if settings.uses_kafka else None
    waiter = waiter_for(connect, kafka_topic=topic, group=settings.projector_group_id)
    # People's sessions too (the cooperative app's outbox sends here), read from the same
    # database and checked by Origin: the load balancer routes /api here, whoever sends it.
    gate = Accounts.build(settings, connect, records).gate
    app = create_app(settings, records, tokens, PostgresBatchCatalogue(connect, waiter), gate)
    app.router.add_event_handler("shutdown", tokens.close)
    app.router.add_event_handler("shutdown", records.close)
    # A worker process dies of the SIGTERM uvicorn raises again after its graceful shutdown,
    # without atexit: leave the embedded server here, or it never sees its last user go.
    app.router.add_event_handler("shutdown", lambda: release(settings))
    return app


def app_from_environment() -> FastAPI:
    """The factory each worker process calls: settings are read in the worker itself."""
    return build(CaptureSettings())


def serve(settings: CaptureSettings) -> None:
    if settings.capture_workers > 1:
        service_url(settings)  # refuse here, once, rather than in every worker
        serve_in_workers(
            "services.capture.server:app_from_environment",
            settings.host,
            settings.port,
            settings.capture_workers,
        )
    else:
        exit_on_sigterm()  # while starting, and after uvicorn's graceful stop: unwind, clean up
        app = build(settings)
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            access_log=False,
            log_level="warning",
        )
