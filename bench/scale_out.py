"""Projectors scaled out: one process against two in one consumer group, and one of two killed.

Run by ``make bench``, or by hand from the repository root, with the test servers up
(``make services-up``)::

    python bench/scale_out.py [--events 60000]

Fills a fresh database on the test PostgreSQL (``NGUON_TEST_DATABASE_ADMIN_URL``) with harvests
and processing steps, publishes them with the real relay to a fresh topic of six partitions on
the test broker (``NGUON_TEST_KAFKA_BOOTSTRAP_SERVERS``), and copies the database (read models
still empty) once per run. Each run starts real ``nguon projector`` processes in a fresh
consumer group and times them from start until the read models' stored offsets reach the end
of every partition:

1. one projector;
2. two projectors: they share the partitions (each owns some), so neither waits on the other;
3. two projectors, one SIGKILLed a third of the way through: the group hands its partitions to
   the other after the session timeout, which resumes from the offsets the read models stored.

Each projection's writes take a PostgreSQL advisory lock (``shared.readmodels.engine``: two
transactions that each saw half of a lineage would both compose a document missing the other
half), so the run also samples how often a projector is seen waiting on that lock.

After each run every read-model table is compared with the one-projector run's (row counts and
a digest of the rows): nothing lost, nothing applied twice. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from load import PeakRss
from psycopg import sql
from relay import drop_database, filled_store, fresh_database, publish, relay_settings

from shared.kafka.topics import EVENTS_PARTITIONS, ensure_topics
from shared.postgres.urls import with_database, with_user
from shared.readmodels.tracking import stored_offsets
from shared.wire.topics import events_topic

SESSION_TIMEOUT_MS = 6_000  # how soon the group notices a killed member (default 10 s)


def database_name(url: str) -> str:
    return url.rsplit("/", 1)[-1]


def copy_database(admin_server: str, template: str) -> str:
    """A copy of the filled database: the same events, the read models still empty."""
    name = f"{template}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(admin_server, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )
    return with_database(admin_server, name)


def end_offsets(bootstrap: str, topic: str) -> dict[int, int]:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap)
    try:
        partitions = [TopicPartition(topic, p) for p in range(EVENTS_PARTITIONS)]
        return {tp.partition: offset for tp, offset in consumer.end_offsets(partitions).items()}
    finally:
        consumer.close()


def read_model_tables(conn: psycopg.Connection[tuple[object, ...]]) -> list[str]:
    rows = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'rm\\_%'"
        " AND tablename NOT IN ('rm_tracking_offsets', 'rm_projections') ORDER BY tablename"
    ).fetchall()
    return [str(r[0]) for r in rows]


def digest(admin_url: str) -> dict[str, tuple[int, str]]:
    """Per read-model table: its rows and an md5 of them in a fixed order."""
    found: dict[str, tuple[int, str]] = {}
    with psycopg.connect(admin_url) as conn:
        for table in read_model_tables(conn):
            query = sql.SQL(
                "SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '')"
                " FROM {} t"
            ).format(sql.Identifier(table))
            row = conn.execute(query).fetchone()
            assert row is not None
            found[table] = (int(str(row[0])), str(row[1]))
    return found


def differences(reference: dict[str, tuple[int, str]], other: dict[str, tuple[int, str]]) -> str:
    changed = [
        f"{t} ({reference[t][0]:,} rows, there {other.get(t, (0, ''))[0]:,})"
        for t in reference
        if reference[t] != other.get(t)
    ]
    return "none: every table equal" if not changed else "DIFFER: " + ", ".join(changed)


class Run:
    """``count`` projector processes on one copy of the database, in a fresh group."""

    def __init__(self, admin_url: str, bootstrap: str, prefix: str, count: int) -> None:
        self.admin_url = admin_url
        self.group = f"bench-{uuid.uuid4().hex[:8]}"
        self.topic = events_topic(prefix)
        environment = {
            **os.environ,
            "NGUON_DATABASE_URL": with_user(admin_url, "nguon_app"),
            "NGUON_KAFKA_BOOTSTRAP_SERVERS": bootstrap,
            "NGUON_KAFKA_TOPIC_PREFIX": prefix,
            "NGUON_PROJECTOR_GROUP_ID": self.group,
            "NGUON_PROJECTOR_SESSION_TIMEOUT_MS": str(SESSION_TIMEOUT_MS),
        }
        self.started = time.perf_counter()
        self.processes = [
            subprocess.Popen(
                [sys.executable, "-m", "services.platform", "projector"],
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(count)
        ]
        self.peaks = PeakRss()
        self.samples = self.waiting = 0

    def progress(self, names: list[str]) -> dict[int, int]:
        with psycopg.connect(self.admin_url) as conn:
            waiting = conn.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event = 'advisory'"
            ).fetchone()
            self.samples += 1
            self.waiting += bool(waiting and int(str(waiting[0])))
            return stored_offsets(conn, self.topic, self.group, names)

    @property
    def lock_waits(self) -> str:
        """How often a projector was seen waiting on a projection's lock the other held."""
        return f"{self.waiting / max(self.samples, 1):.0%} of {self.samples} samples"

    def wait(self, ends: dict[int, int], names: list[str], kill_at: float | None) -> float:
        total = sum(ends.values())
        killed = False
        while True:
            offsets = self.progress(names)
            done = sum(min(offsets.get(p, 0), end) for p, end in ends.items())
            self.sample_memory()
            if kill_at is not None and not killed and done >= kill_at * total:
                self.processes[0].send_signal(signal.SIGKILL)
                killed = True
                print(f"    killed one projector at {done:,} of {total:,} records")
            if done >= total:
                return time.perf_counter() - self.started
            if time.perf_counter() - self.started > 900:
                raise SystemExit(f"gave up after 900 s at {done:,} of {total:,} records")
            time.sleep(0.1)  # polling the stored offsets, bounded by the deadline above

    def sample_memory(self) -> None:
        for process in self.processes:
            self.peaks.sample(process.pid)

    @property
    def peak_rss_mb(self) -> float:
        return max((mb for _, mb in self.peaks.peaks.values()), default=0.0)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()


def projection_names(admin_url: str) -> list[str]:
    from shared.readmodels.projections import Projections

    return list(Projections(lambda: psycopg.connect(admin_url)).names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=60_000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    bootstrap = os.environ.get("NGUON_TEST_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:59092")
    admin_server = os.environ.get(
        "NGUON_TEST_DATABASE_ADMIN_URL", "postgresql://postgres@127.0.0.1:55432/postgres"
    )
    filled = fresh_database(admin_server)
    prefix = f"nguon-bench-{uuid.uuid4().hex[:8]}"
    settings = relay_settings(filled, bootstrap, prefix)
    copies: list[str] = []
    try:
        last = filled_store(settings, args.events)
        ensure_topics(bootstrap, prefix)
        seconds = publish(settings, last, profile=False)
        ends = end_offsets(bootstrap, events_topic(prefix))
        print(
            f"published {last:,} events to {EVENTS_PARTITIONS} partitions in {seconds:.1f} s"
            f" ({', '.join(str(ends[p]) for p in sorted(ends))} records)"
        )
        names = projection_names(filled)
        reference: dict[str, tuple[int, str]] | None = None
        rates: dict[str, float] = {}
        for title, count, kill_at in (
            ("one projector", 1, None),
            ("two projectors, one group", 2, None),
            ("two projectors, one killed a third of the way", 2, 1 / 3),
        ):
            copy = copy_database(admin_server, database_name(filled))
            copies.append(copy)
            run = Run(copy, bootstrap, prefix, count)
            try:
                elapsed = run.wait(ends, names, kill_at)
            finally:
                run.stop()
            rates[title] = last / elapsed
            found = digest(copy)
            reference = reference or found
            print(
                f"{title}: {last:,} events in {elapsed:.1f} s = {last / elapsed:,.0f} events/s;"
                f" peak RSS {run.peak_rss_mb:.0f} MB a process (target ≤ 150);"
                f" a projector waiting on a projection's lock in {run.lock_waits}"
            )
            print(f"    read models against one projector's: {differences(reference, found)}")
        one, two = rates["one projector"], rates["two projectors, one group"]
        print(f"gain of a second projector: {two / one:.2f}× (both on this machine's 2 cores)")
    finally:
        client = KafkaAdminClient(bootstrap_servers=bootstrap)
        client.delete_topics([events_topic(prefix)])
        client.close()
        for url in [*copies, filled]:
            drop_database(admin_server, url)


if __name__ == "__main__":
    main()
