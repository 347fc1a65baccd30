"""The composition root: builds the services from settings and runs them.

``serve`` is the one-process platform: every HTTP app (capture's API, the public pages; later
the province, cooperative, trace and EPCIS apps), each built by its own ``create_app`` with its
own error handlers, mounted side by side in :func:`platform_app`, the one place that says which
paths go where; the read side fed either in-process from the event store's notification log
(embedded default) or through relay → Kafka → projector threads when Kafka is configured. The
production commands (``serve-capture``, ``serve-web``, ``relay``, ``projector``) run one piece
each. Only ``nguon db migrate`` (:func:`migrate_database`) uses the database owner.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from uuid import UUID

import uvicorn
from eventsourcing.application import AggregateNotFoundError
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
from services.projector.projector import build_projector, run_projector
from services.province import app as province
from services.relay.relay import build_relay, run_relay
from services.web import app as web
from services.web.scans import ScanCounter, ScanFlusher
from shared.accounts.service import Accounts
from shared.database import current_schema_version, prepare, service_url
from shared.domain.organisations import Cooperative, CooperativeModel, CooperativeStatus, Enterprise
from shared.kafka.topics import EVENTS_PARTITIONS, ensure_topics
from shared.lifecycle import exit_on_sigterm
from shared.postgres.embedded import LOG_FILE
from shared.postgres.token_cache import listening_on
from shared.postgres.tokens import TokenStore
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.health import read_side_check
from shared.readmodels.households import PostgresHouseholds
from shared.readmodels.page_scans import PostgresScanStore
from shared.readmodels.postgres_readers import PostgresBatchCatalogue, PostgresProvenanceReader
from shared.readmodels.projections import Projections
from shared.readmodels.public_directory import PostgresPublicDirectory
from shared.readmodels.rebuild import connections_of
from shared.readmodels.rebuild import rebuild as rebuild_read_models
from shared.readmodels.sources import run_embedded
from shared.readmodels.tracking import Connect, Waiter, waiter_for
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.wire.topics import events_topic

log = logging.getLogger(__name__)
DEMO_WAIT_SECONDS = 60.0


@dataclass
class WriteSide:
    settings: PlatformSettings
    records: Records
    tokens: TokenStore
    accounts: Accounts  # people's accounts and sessions; its gate serves every app for people

    @property
    def connect(self) -> Connect:
        return connections_of(self.records)


@contextmanager
def records_only(settings: PlatformSettings) -> Iterator[WriteSide]:
    """The records application on the services' role, closed on exit.

    Refuses a database that is not migrated to this version, except the embedded one, which
    this process owns and migrates itself.
    """
    url = service_url(settings)
    records = Records(eventsourcing_env(url, create_table=False), settings.province_code)
    tokens = TokenStore(connections_of(records), listen=listening_on(url))
    accounts = Accounts.build(settings, connections_of(records), records)
    try:
        yield WriteSide(settings, records, tokens, accounts)
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


def migrate_database(settings: PlatformSettings) -> str:
    """``nguon db migrate``: the owner creates or updates everything; returns the version."""
    prepare(settings)
    return current_schema_version()


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
