"""The composition root: builds the services from settings and runs them.

``serve`` is the one-process platform: capture's API and the public pages in one FastAPI app,
and the read side fed either in-process from the event store's notification log (embedded
default) or through relay → Kafka → projector threads when Kafka is configured. The production
commands (``serve-capture``, ``serve-web``, ``relay``, ``projector``) run one piece each.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from uuid import UUID

import uvicorn
from eventsourcing.application import AggregateNotFoundError
from fastapi import FastAPI
from psycopg_pool import ConnectionPool

from services.capture import app as capture
from services.capture import server as capture_server
from services.capture.settings import CaptureSettings
from services.platform import demo
from services.platform.settings import PlatformSettings
from services.projector.projector import build_projector, run_projector
from services.relay.relay import build_relay, run_relay
from services.web import app as web
from shared.database import DatabaseUrls, prepare
from shared.domain.organisations import Cooperative, Enterprise
from shared.kafka.topics import EVENTS_PARTITIONS, ensure_topics
from shared.postgres.token_cache import listening_on
from shared.postgres.tokens import TokenStore
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.postgres_readers import PostgresBatchCatalogue, PostgresProvenanceReader
from shared.readmodels.projections import Projections
from shared.readmodels.rebuild import connections_of
from shared.readmodels.rebuild import rebuild as rebuild_read_models
from shared.readmodels.sources import run_embedded
from shared.readmodels.tracking import Connect, Waiter, waiter_for
from shared.records.actors import Role
from shared.records.application import Records
from shared.wire.topics import events_topic

log = logging.getLogger(__name__)
DEMO_WAIT_SECONDS = 60.0


@dataclass
class WriteSide:
    settings: PlatformSettings
    urls: DatabaseUrls
    records: Records
    tokens: TokenStore

    @property
    def connect(self) -> Connect:
        return connections_of(self.records)


@contextmanager
def records_only(settings: PlatformSettings) -> Iterator[WriteSide]:
    """A migrated database and the records application, closed on exit."""
    urls = prepare(settings)
    records = Records(eventsourcing_env(urls.app, create_table=False), settings.province_code)
    tokens = TokenStore(connections_of(records), listen=listening_on(urls.app))
    try:
        yield WriteSide(settings, urls, records, tokens)
    finally:
        tokens.close()
        records.close()


def check_token_organisation(side: WriteSide, role: Role, organisation: UUID | None) -> None:
    """A cooperative's token must name a registered cooperative, an enterprise's an enterprise."""
    if organisation is None:
        return  # the token store refuses a missing organisation for these roles
    expected = {Role.COOPERATIVE: Cooperative, Role.ENTERPRISE: Enterprise}.get(role)
    try:
        found: object = side.records.repository.get(organisation)
    except AggregateNotFoundError:
        found = None
    if expected is None or not isinstance(found, expected):
        kind = expected.__name__.lower() if expected else "organisation"
        msg = f"{organisation} is not a registered {kind}: a {role.value} token names one"
        raise SystemExit(msg)


def _waiter(settings: PlatformSettings, connect: Connect) -> Waiter:
    topic = events_topic(settings.kafka_topic_prefix) if settings.uses_kafka else None
    return waiter_for(connect, kafka_topic=topic, group=settings.projector_group_id)


@dataclass
class Background:
    """Threads that feed the read models; stopped when the HTTP server ends."""

    stoppers: list[Callable[[], None]] = field(default_factory=list)
    threads: list[threading.Thread] = field(default_factory=list)

    def start(self, name: str, target: Callable[[], None], stop: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self.threads.append(thread)
        self.stoppers.append(stop)

    def stop(self) -> None:
        for stop in self.stoppers:
            stop()
        for thread in self.threads:
            thread.join(timeout=15)


def feed_read_models(side: WriteSide) -> Background:
    background = Background()
    settings = side.settings
    if settings.uses_kafka:
        assert settings.kafka_bootstrap_servers is not None
        ensure_topics(settings.kafka_bootstrap_servers, settings.kafka_topic_prefix)
        relay = build_relay(settings)
        projector = build_projector(settings)
        background.start("nguon-relay", lambda: run_relay(relay), relay.stop)
        background.start("nguon-projector", lambda: run_projector(projector), projector.stop)
        return background
    projections = Projections(side.connect)
    if projections.needs_rebuild():
        log.info("the read models are new or out of date: rebuilding them from the event store")
        rebuild_read_models(side.records, projections, progress=True, only_if_needed=True)
    stop = threading.Event()
    thread = run_embedded(side.records, projections, stop)
    background.threads.append(thread)
    background.stoppers.append(stop.set)
    return background


def build_app(side: WriteSide) -> FastAPI:
    settings = side.settings
    waiter = _waiter(settings, side.connect)
    app = FastAPI(
        title="Nguồn",
        version="1",
        description="Traceability for Thanh Hóa's agricultural value chains: the capture API"
        " under /api/v1; public provenance pages at /b/<code> and /01/<GTIN>/10/<lot>.",
    )
    capture.install(
        app,
        side.records,
        side.tokens,
        PostgresBatchCatalogue(side.connect, waiter),
        read_wait_timeout=settings.read_wait_timeout_seconds,
    )
    web.install(app, settings, PostgresProvenanceReader(side.connect, waiter))
    return app


def serve(settings: PlatformSettings, *, seed_demo: bool) -> None:
    with records_only(settings) as side:
        background = feed_read_models(side)
        try:
            banner = _seed_demo(side) if seed_demo else []
            app = build_app(side)
            address = f"http://{settings.host}:{settings.port}"
            for line in [f"Nguồn is running at {address}", f"API: {address}/docs", *banner]:
                print(line, flush=True)
            uvicorn.run(
                app, host=settings.host, port=settings.port, log_level="warning", access_log=False
            )
        finally:
            background.stop()


def _seed_demo(side: WriteSide) -> list[str]:
    print("Seeding the demo data…", flush=True)
    world = demo.seed(side.records, progress=lambda step: print(f"  · {step}", flush=True))
    waiter = _waiter(side.settings, side.connect)
    if not waiter.wait_for(side.records.position(), DEMO_WAIT_SECONDS):
        log.warning("the read models have not caught up with the demo data yet")
    cooperative = side.tokens.create(Role.COOPERATIVE, world.thieu_trung, "demo: HTX Thiệu Trung")
    province = side.tokens.create(Role.PROVINCE, None, "demo: provincial staff")
    base = side.settings.public_base_url.rstrip("/")
    return [
        f"Demo provenance page: {base}/b/{world.labelled_code}",
        f"Demo label sheet:     {base}/b/{world.labelled_code}/labels",
        f"Demo token (cooperative HTX Thiệu Trung): {cooperative}",
        f"Demo token (provincial staff):            {province}",
    ]


def init_kafka(
    settings: PlatformSettings, partitions: int = EVENTS_PARTITIONS, replication_factor: int = 1
) -> list[str]:
    if not settings.kafka_bootstrap_servers:
        msg = "set NGUON_KAFKA_BOOTSTRAP_SERVERS to the brokers first"
        raise SystemExit(msg)
    return ensure_topics(
        settings.kafka_bootstrap_servers,
        settings.kafka_topic_prefix,
        replication_factor=replication_factor,
        partitions=partitions,
    )


def rebuild(settings: PlatformSettings) -> None:
    with records_only(settings) as side:
        done = rebuild_read_models(side.records, progress=True)
    print(
        f"rebuilt {done.events} events in {done.seconds:.1f} s"
        f" ({done.events_per_second:,.0f} events/s)"
    )


def run_relay_process(settings: PlatformSettings) -> None:
    run_relay(build_relay(settings))


def run_projector_process(settings: PlatformSettings) -> None:
    run_projector(build_projector(settings))


def serve_capture(settings: CaptureSettings) -> None:
    capture_server.serve(settings)


def serve_web(settings: PlatformSettings) -> None:
    urls = prepare(settings)
    with ConnectionPool(urls.app, min_size=1, max_size=8) as pool:
        connect: Connect = pool.connection
        app = web.create_app(
            settings, PostgresProvenanceReader(connect, _waiter(settings, connect))
        )
        uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")
