"""The composition root: builds the services from settings and runs them.

``serve`` is the one-process platform: every HTTP app (capture's API, the public pages; later
the province, cooperative, trace and EPCIS apps), each built by its own ``create_app`` with its
own error handlers, mounted side by side in :func:`platform_app`, the one place that says which
paths go where; the read side fed either in-process from the event store's notification log
(embedded default) or through relay → Kafka → projector threads when Kafka is configured. The
production commands (``serve-capture``, ``serve-web``, ``relay``, ``projector``) run one piece
each. The write side alone and the operators' chores are :mod:`services.platform.write_side`;
only ``nguon db migrate`` uses the database owner.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from uuid import UUID

import uvicorn
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Route

from services.accounts import app as accounts_app
from services.capture import app as capture
from services.cooperative_app import app as cooperative_app
from services.epcis import app as epcis
from services.platform import demo
from services.platform.health import Health
from services.platform.home import Home
from services.platform.mounting import MountedApp
from services.platform.settings import PlatformSettings
from services.platform.write_side import WriteSide, records_only
from services.projector.projector import build_projector, run_projector
from services.province import app as province
from services.relay.relay import build_relay, run_relay
from services.web import app as web
from services.web.scans import ScanCounter, ScanFlusher
from shared.domain.organisations import Cooperative, CooperativeModel, CooperativeStatus
from shared.kafka.topics import ensure_topics
from shared.lifecycle import exit_on_sigterm
from shared.postgres.embedded import LOG_FILE
from shared.readmodels.health import read_side_check
from shared.readmodels.households import PostgresHouseholds
from shared.readmodels.page_scans import PostgresScanStore
from shared.readmodels.postgres_readers import PostgresBatchCatalogue, PostgresProvenanceReader
from shared.readmodels.projections import Projections
from shared.readmodels.public_directory import PostgresPublicDirectory
from shared.readmodels.rebuild import rebuild as rebuild_read_models
from shared.readmodels.sources import run_embedded
from shared.readmodels.tracking import Connect, Waiter, waiter_for
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.wire.topics import events_topic

log = logging.getLogger(__name__)
DEMO_WAIT_SECONDS = 60.0


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
        # A progress bar only when there is something to replay: a fresh store has nothing.
        progress = side.records.position() > 0
        rebuild_read_models(side.records, projections, progress=progress, only_if_needed=True)
    stop = threading.Event()
    thread = run_embedded(side.records, projections, stop)
    background.threads.append(thread)
    background.stoppers.append(stop.set)
    return background


def staff_mounts(side: WriteSide) -> list[MountedApp]:
    """The apps for people who sign in: ``/sign-in`` and ``/account``, the province's, and the
    cooperative app (``/app/``)."""
    settings = side.settings
    return [
        MountedApp(
            accounts_app.PATHS,
            accounts_app.create_app(settings, side.accounts, PostgresHouseholds(side.connect)),
            name="accounts",
        ),
        MountedApp(
            province.PATHS,
            province.create_app(settings, side.records, side.accounts.gate, side.connect),
            name="province",
        ),
        MountedApp(
            cooperative_app.PATHS,
            cooperative_app.create_app(
                settings,
                side.records,
                side.accounts.gate,
                side.connect,
                PostgresHouseholds(side.connect),
            ),
            name="cooperative_app",
        ),
    ]


def build_staff_app(side: WriteSide) -> Starlette:
    """Only the apps for people (production: ``nguon serve-staff``, behind the same host name
    as the others, so the session cookie and ``/sign-in`` are shared)."""
    health = Health()
    health.add("event_store", lambda: {"status": "ok", "position": side.records.position()})
    health.add("read_models", read_side_check(side.connect))
    return platform_app(home=Home(None), health=health, mounts=staff_mounts(side))


def build_app(side: WriteSide, *, demo_page: str | None = None) -> Starlette:
    """Every HTTP app of the platform on one write side, mounted by :func:`platform_app`."""
    settings = side.settings
    waiter = _waiter(settings, side.connect)
    catalogue = PostgresBatchCatalogue(side.connect, waiter)
    health = Health()
    health.add("event_store", lambda: {"status": "ok", "position": side.records.position()})
    health.add("read_models", read_side_check(side.connect))
    scans = ScanCounter(PostgresScanStore(side.connect))
    return platform_app(
        home=Home(demo_page),
        health=health,
        lifespan=flushing(ScanFlusher(scans)),
        mounts=[
            MountedApp(
                capture.PATHS,
                capture.create_app(
                    settings, side.records, side.tokens, catalogue, side.accounts.gate
                ),
                name="capture",
            ),
            MountedApp(
                web.PATHS,
                web.create_app(
                    settings,
                    PostgresProvenanceReader(side.connect, waiter),
                    directory=PostgresPublicDirectory(side.connect),
                    scans=scans,
                ),
                name="web",
            ),
            MountedApp(
                epcis.PATHS,
                epcis.create_app(settings, side.records, side.tokens, side.connect),
                name="epcis",
            ),
            *staff_mounts(side),
        ],
    )


def flushing(flusher: ScanFlusher) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    """The platform's lifespan: the web's QR-scan flusher runs while the server does.

    A mounted app's own startup and shutdown handlers do not run under a mount: the host's do.
    """

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        del app
        flusher.start()
        try:
            yield
        finally:
            flusher.stop()  # and flushes what the last requests counted

    return lifespan


def platform_app(
    *,
    home: Home,
    health: Health,
    mounts: list[MountedApp],
    lifespan: Callable[[Starlette], AbstractAsyncContextManager[None]] | None = None,
) -> Starlette:
    """The one place that says which paths go to which app.

    ``/`` and ``/healthz`` are the platform's own; every other path belongs to the app whose
    paths claim it, or to nobody (a 404 in the API's format, or a page, by ``Accept``).
    A new app (province, cooperative app, trace, EPCIS) is one more ``MountedApp``; a new
    part to watch is one more ``health.add``.
    """
    routes: list[BaseRoute] = [
        Route("/", home.page, methods=["GET", "HEAD"]),
        Route("/healthz", health.endpoint, methods=["GET", "HEAD"]),
        *mounts,
    ]
    return Starlette(routes=routes, exception_handlers={404: home.not_found}, lifespan=lifespan)


def serve(settings: PlatformSettings, *, seed_demo: bool) -> None:
    exit_on_sigterm()  # while starting, and after uvicorn's graceful stop: unwind, clean up
    if settings.embedded:
        log_file = settings.data_dir / LOG_FILE
        print(f"Starting PostgreSQL in {settings.data_dir} (its log: {log_file})…", flush=True)
    with records_only(settings) as side:
        background = feed_read_models(side)
        try:
            demo_code, banner = _seed_demo(side) if seed_demo else (None, [])
            app = build_app(side, demo_page=f"/b/{demo_code}" if demo_code else None)
            address = f"http://{settings.host}:{settings.port}"
            for line in [f"Nguồn is running at {address}", f"API: {address}/docs", *banner]:
                print(line, flush=True)
            uvicorn.run(
                app, host=settings.host, port=settings.port, log_level="warning", access_log=False
            )
        finally:
            background.stop()


def _seed_demo(side: WriteSide) -> tuple[str, list[str]]:
    print("Seeding the demo data…", flush=True)
    started = time.monotonic()
    world = demo.seed(side.records, progress=lambda step: log.info("demo: %s", step))
    show_publicly(side, world.cooperative_shown, world.cooperatives())
    print(f"Seeded the demo data in {time.monotonic() - started:.0f} s", flush=True)
    people = demo.people(side.accounts.store, world)
    waiter = _waiter(side.settings, side.connect)
    if not waiter.wait_for(side.records.position(), DEMO_WAIT_SECONDS):
        log.warning("the read models have not caught up with the demo data yet")
    cooperative = side.tokens.create(
        Role.COOPERATIVE, world.cooperative_shown, "demo: HTX Thiệu Trung"
    )
    province = side.tokens.create(Role.PROVINCE, None, "demo: provincial staff")
    base = side.settings.public_base_url.rstrip("/")
    return world.labelled_code, [
        f"Demo provenance page: {base}/b/{world.labelled_code}",
        f"Demo cooperative's public page: {base}/htx/{world.cooperative_shown}",
        f"Demo label sheet (PDF, signed in): {base}/app/labels/{world.labelled_code}",
        *(demo.sign_in_line(base, person) for person in people),
        f"Demo token (cooperative HTX Thiệu Trung): {cooperative}",
        f"Demo token (provincial staff):            {province}",
    ]


def show_publicly(side: WriteSide, shown: UUID, others: list[UUID]) -> None:
    """The demo's cooperative, and every other active new-model one, agree to be shown on
    /htx, once: seeding again adds nothing."""
    for cooperative_id in dict.fromkeys([shown, *others]):
        cooperative: object = side.records.repository.get(cooperative_id)
        if not isinstance(cooperative, Cooperative) or cooperative.show_profile:
            continue
        active_new = cooperative.model is CooperativeModel.NEW and (
            cooperative.status is CooperativeStatus.ACTIVE
        )
        if cooperative_id == shown or active_new:
            command = c.ChangeProfileVisibility(cooperative_id=cooperative_id, show_profile=True)
            side.records.execute(Actor(Role.PROVINCE), [command])


def serve_staff(settings: PlatformSettings) -> None:
    """The sign-in and the province's apps alone, on the services' role; the read models are
    fed by the projector processes (or another ``nguon serve``), not here."""
    exit_on_sigterm()
    with records_only(settings) as side:
        app = build_staff_app(side)
        print(f"Nguồn staff apps at http://{settings.host}:{settings.port}/sign-in", flush=True)
        uvicorn.run(
            app, host=settings.host, port=settings.port, log_level="warning", access_log=False
        )


# Re-exported: the tests, benchmarks and the demo build on the write side through this module.
__all__ = [
    "DEMO_WAIT_SECONDS",
    "Background",
    "WriteSide",
    "build_app",
    "build_staff_app",
    "feed_read_models",
    "flushing",
    "platform_app",
    "records_only",
    "serve",
    "serve_staff",
    "show_publicly",
    "staff_mounts",
]
