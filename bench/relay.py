"""How fast the relay publishes a backlog of stored events to Kafka.

Run by hand from the repository root, with the test servers up (``make services-up``)::

    python bench/relay.py [--events 100000] [--profile]

Fills a fresh database on the test PostgreSQL (``NGUON_TEST_DATABASE_ADMIN_URL``, default
``postgresql://postgres@127.0.0.1:55432/postgres``; or the embedded server with ``--embedded``)
with harvests and processing steps through ``Records.execute`` bulk commands, then times the
real relay publishing all of them to a fresh topic on the test broker
(``NGUON_TEST_KAFKA_BOOTSTRAP_SERVERS``, default ``127.0.0.1:59092``), from start until the
checkpoint names the last position. Prints events/s; with ``--profile`` also where the relay's
thread spends its time (cProfile). Prints, never asserts.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import os
import pstats
import sys
import tempfile
import threading
import time
import uuid
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
from capture import register_grower
from kafka import KafkaAdminClient
from psycopg import sql
from pydantic import SecretStr

from services.relay.relay import build_relay
from services.relay.settings import RelaySettings
from shared.database import prepare
from shared.domain.quantities import Quantity
from shared.kafka.topics import ensure_topics
from shared.postgres.urls import eventsourcing_env, with_database, with_user
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.wire.topics import events_topic

BATCHES_PER_REQUEST = 125  # x 4 events = 500 events per bulk request
STEPS = ("drying", "cleaning", "sorting")


def fresh_database(admin_url: str) -> str:
    name = f"nguon_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return with_database(admin_url, name)


def drop_database(admin_server: str, url: str) -> None:
    with psycopg.connect(admin_server, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(url.rsplit("/", 1)[-1])
            )
        )


def relay_settings(
    admin: str, bootstrap: str, prefix: str, compression: str = "auto"
) -> RelaySettings:
    """The relay's settings over a fresh database (``admin``, its owner) and topic prefix."""
    return RelaySettings(
        database_url=SecretStr(with_user(admin, "nguon_app")),
        database_admin_url=SecretStr(admin),
        kafka_bootstrap_servers=bootstrap,
        kafka_topic_prefix=prefix,
        relay_compression=compression,
    )


def fill(records: Records, events: int) -> int:
    cooperative, plot = register_grower(records)
    grower = Actor(Role.COOPERATIVE, cooperative)
    position = records.position()
    started = time.perf_counter()
    while position < events:
        commands: list[c.Command] = []
        for i in range(BATCHES_PER_REQUEST):
            ref = f"b{i}"
            commands.append(
                c.HarvestBatch(
                    plot_ids=[plot],
                    commodity="lúa",
                    quantity=Quantity.positive("1000", "kg"),
                    harvested_on=date(2026, 10, 1),
                    variety="Nếp cái hoa vàng",
                    ref=ref,
                )
            )
            commands.extend(
                c.ProcessBatch(
                    batch=f"${ref}",
                    step=step,
                    facility="Xưởng HTX",
                    quantity_after=Quantity.positive(str(990 - n), "kg"),
                )
                for n, step in enumerate(STEPS)
            )
        position = records.execute(grower, commands).position
    print(f"filled {position:,} events in {time.perf_counter() - started:.1f} s")
    return position


def filled_store(settings: RelaySettings, events: int) -> int:
    """Migrates the settings' database and fills its event store: the last position."""
    urls = prepare(settings)
    records = Records(eventsourcing_env(urls.app, create_table=False))
    try:
        return fill(records, events)
    finally:
        records.close()


def publish(settings: RelaySettings, last: int, profile: bool) -> float:
    relay = build_relay(settings)
    profiler = cProfile.Profile() if profile else None

    def run() -> None:
        if profiler is not None:
            profiler.enable()
        relay.run()
        if profiler is not None:
            profiler.disable()

    thread = threading.Thread(target=run, name="bench-relay")
    started = time.perf_counter()
    thread.start()
    try:
        if not relay.wait_for(last, timeout=600):
            print(f"gave up after 600 s at position {relay.position:,}")
        elapsed = time.perf_counter() - started
    finally:
        relay.stop()
        thread.join(60)
        relay.close()
    if profiler is not None:
        report(profiler)
    return elapsed


def report(profiler: cProfile.Profile) -> None:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime")
    stats.print_stats(25)
    print("where the relay thread spends its time (by own time):")
    print(out.getvalue())


def accelerators() -> str:
    """kafka-python computes CRC32C in pure Python unless the ``crc32c`` package is installed."""
    from kafka.codec import has_lz4
    from kafka.record import util

    crc = "C (crc32c)" if util.crc32c_c is not None else "pure Python"
    return f"CRC32C {crc}, lz4 {'installed' if has_lz4() else 'missing'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--embedded", action="store_true", help="use an embedded PostgreSQL")
    parser.add_argument("--compression", default="auto")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    bootstrap = os.environ.get("NGUON_TEST_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:59092")
    if args.embedded:
        from shared.postgres.embedded import start_embedded

        admin_server = start_embedded(Path(tempfile.mkdtemp(prefix="nguon-bench-")))
    else:
        admin_server = os.environ.get(
            "NGUON_TEST_DATABASE_ADMIN_URL", "postgresql://postgres@127.0.0.1:55432/postgres"
        )
    admin = fresh_database(admin_server)
    prefix = f"nguon-bench-{uuid.uuid4().hex[:8]}"
    settings = relay_settings(admin, bootstrap, prefix, args.compression)
    last = filled_store(settings, args.events)
    ensure_topics(bootstrap, prefix)
    try:
        elapsed = publish(settings, last, args.profile)
        print(
            f"relay: {last:,} events to {events_topic(prefix)} in {elapsed:.2f} s ="
            f" {last / elapsed:,.0f} events/s (compression {args.compression};"
            f" {accelerators()}; {os.cpu_count()} cores)"
        )
    finally:
        client = KafkaAdminClient(bootstrap_servers=bootstrap)
        client.delete_topics([events_topic(prefix)])
        client.close()
        drop_database(admin_server, admin)


if __name__ == "__main__":
    main()
