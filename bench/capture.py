"""Capture throughput and latency through HTTP, on the embedded PostgreSQL, against baselines.

Runs the real ``nguon serve-capture`` process and, beside it with the same worker count and on
the same embedded PostgreSQL, the bare FastAPI + psycopg INSERT of ``bench/baselines.py``.
Drives single harvests at each with ``wrk`` (a C load generator, so the client costs little of
the 2 cores), alternating baseline, Nguồn, baseline, Nguồn… at 4 and at 16 connections, and
prints each pair's rates, p99s and ratio, and the median ratio. Then times bulk uploads of
harvest + drying pairs, alternating with a binary COPY of as many rows of the event store's
shape. While Nguồn is loaded, samples its processes' RSS and prints each one's peak.
Prints figures; asserts nothing. About two minutes with the defaults.

    python bench/capture.py [--seconds 8] [--connections 4,16] [--rounds 2] [--bulk-requests 10]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import baselines
import psycopg
from load import (
    PeakRss,
    alternate,
    free_port,
    print_pairs,
    require_wrk,
    sampling_rss,
    stop_and_leave,
    wait_until_up,
)
from psycopg import sql

from services.platform.composition import records_only
from services.platform.settings import PlatformSettings
from shared.database import locate, prepare
from shared.postgres.urls import with_database
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.records.results import CooperativeResult, PlotResult

TARGET_RATIO = 1.0  # single harvests: Nguồn's rate over the bare baseline's
TARGET_P99_MS = 20.0
TARGET_BULK_RATIO = 0.4  # bulk events/s over COPY's rows/s
TARGET_RSS_MB = 150

WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = [[%(body)s]]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %(token)s"
"""


def seed(settings: PlatformSettings) -> tuple[str, str]:
    """A cooperative, its plot and a token: what the harvests need."""
    prepare(settings)  # `nguon db migrate`
    with records_only(settings) as side:
        coop_id, plot_id = register_grower(side.records)
        token = side.tokens.create(Role.COOPERATIVE, coop_id, "bench")
    return str(plot_id), token


def register_grower(records: Records) -> tuple[UUID, UUID]:
    """A cooperative (registered by provincial staff) and one plot of its own."""
    coop_id = (
        records.execute(
            Actor(Role.PROVINCE),
            [
                c.RegisterCooperative(
                    name="HTX Bench",
                    registration_number="BENCH-0001",
                    commune="Xã Thiệu Trung",
                    former_district="Thiệu Hóa",
                    province="Thanh Hóa",
                    sector="lúa gạo",
                    founded=date(2010, 1, 1),
                    members_count=50,
                    model="new",
                )
            ],
        )
        .result(CooperativeResult)
        .cooperative_id
    )
    plot_id = (
        records.execute(
            Actor(Role.COOPERATIVE, coop_id),
            [
                c.RegisterPlot(
                    cooperative_id=coop_id,
                    crop="lúa",
                    area_ha=Decimal("2"),
                    commune="Xã Thiệu Trung",
                    location={"type": "Point", "coordinates": [105.68, 19.9]},
                )
            ],
        )
        .result(PlotResult)
        .plot_id
    )
    return coop_id, plot_id


def harvest(plot_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "plot_ids": [plot_id],
        "commodity": "lúa",
        "variety": "Nếp cái hoa vàng",
        "quantity": {"amount": "1200", "unit": "kg"},
        "harvested_on": "2026-11-01",
        **extra,
    }


def bulk(
    base: str, token: str, plot_id: str, requests: int, pairs: int, clients: int
) -> tuple[int, float]:
    """``clients`` phones uploading at once, ``requests`` uploads in all; bodies made first."""
    bodies = [bulk_body(plot_id, r, pairs) for r in range(requests)]
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        counts = list(pool.map(lambda body: upload(base, token, body), bodies))
    return sum(counts), time.perf_counter() - started


def bulk_body(plot_id: str, r: int, pairs: int) -> bytes:
    """A day's work of one phone: harvests, each dried, referring to each other by $ref."""
    commands: list[dict[str, Any]] = []
    for i in range(pairs):
        ref = f"h{r}-{i}"
        commands.append({"type": "harvest", **harvest(plot_id, ref=ref)})
        commands.append(
            {
                "type": "process",
                "batch": f"${ref}",
                "step": "drying",
                "facility": "Sân phơi",
                "quantity_after": {"amount": "1100", "unit": "kg"},
            }
        )
    return json.dumps({"commands": commands}).encode()


def upload(base: str, token: str, body: bytes) -> int:
    request = urllib.request.Request(
        f"{base}/api/v1/bulk",
        data=body,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=120) as answer:
        results: list[object] = json.loads(answer.read())["results"]
    return len(results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8, help="per wrk run")
    parser.add_argument(
        "--connections", default="4,16", help="comma-separated: one alternation at each"
    )
    parser.add_argument("--rounds", type=int, default=2, help="baseline/Nguồn pairs")
    parser.add_argument("--bulk-requests", type=int, default=10)
    parser.add_argument("--bulk-pairs", type=int, default=1000)
    parser.add_argument("--bulk-clients", type=int, default=2, help="uploads at once")
    parser.add_argument("--bulk-rounds", type=int, default=2, help="COPY/Nguồn pairs")
    parser.add_argument("--workers", type=int, default=2, help="capture worker processes")
    args = parser.parse_args()
    require_wrk("bench/capture.py")

    data_dir = Path(tempfile.mkdtemp(prefix="nguon-bench-capture-"))
    port, baseline_port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "NGUON_DATA_DIR": str(data_dir),
        "NGUON_PORT": str(port),
        "NGUON_CAPTURE_WORKERS": str(args.workers),
    }
    env.pop("NGUON_DATABASE_URL", None)
    settings = PlatformSettings(data_dir=data_dir)
    plot_id, token = seed(settings)
    # The baseline's rows go to a database of their own on the same embedded server.
    store = locate(settings).admin
    baseline_dsn = with_database(store, "nguon_baseline")
    with psycopg.connect(store, autocommit=True) as conn:
        conn.execute("CREATE DATABASE nguon_baseline")
    baselines.create_table(baseline_dsn)
    server = subprocess.Popen(
        [sys.executable, "-m", "services.platform", "serve-capture"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    baseline = baselines.start(
        "capture", baseline_port, args.workers, {baselines.DSN: baseline_dsn}
    )
    try:
        wait_until_up(f"{base}/openapi.json")
        wait_until_up(f"http://127.0.0.1:{baseline_port}/openapi.json")
        script = data_dir / "harvest.lua"
        script.write_text(WRK_SCRIPT % {"body": json.dumps(harvest(plot_id)), "token": token})
        print(
            f"single harvests via HTTP: nguon serve-capture against the bare FastAPI + psycopg"
            f" INSERT (bench/baselines.py), {args.workers} worker(s) each, the same embedded"
            f" PostgreSQL, {args.seconds} s per run, alternating"
        )
        for connections in (int(n) for n in args.connections.split(",")):
            single(
                args,
                connections,
                script,
                f"{base}/api/v1/batches",
                f"http://127.0.0.1:{baseline_port}/api/v1/batches",
                server.pid,
            )
        print(
            f"stored after the single harvests (warm-ups included): the baseline's table"
            f" {count_rows(baseline_dsn, baselines.TABLE):,} rows, Nguồn's event store"
            f" {count_rows(store, 'nguon_events'):,} events"
        )
        bulk_against_copy(args, base, token, plot_id, store, baseline_dsn, server.pid)
    finally:
        stop_and_leave((server, baseline), settings, data_dir)


def single(
    args: argparse.Namespace,
    connections: int,
    script: Path,
    url: str,
    baseline_url: str,
    pid: int,
) -> None:
    """Baseline, Nguồn, baseline, Nguồn… at ``connections``; Nguồn's processes' peak RSS."""
    print(f"{connections} connections:")
    rounds = alternate(baseline_url, url, script, (args.seconds, connections, args.rounds), pid)
    median = print_pairs(rounds.pairs, "commands/s")
    print(
        f"  median ratio Nguồn/baseline {median:.2f} (target ≥ {TARGET_RATIO:.1f});"
        f" Nguồn's worst p99 {rounds.worst_p99:.1f} ms"
        f" (target ≤ {TARGET_P99_MS:.0f} ms at 16 connections)"
    )
    print(
        f"  Nguồn's peak RSS (target ≤ {TARGET_RSS_MB} MB each): " + ", ".join(rounds.peaks.lines())
    )


def bulk_against_copy(
    args: argparse.Namespace,
    base: str,
    token: str,
    plot_id: str,
    store: str,
    baseline_dsn: str,
    pid: int,
) -> None:
    """COPY of as many rows as Nguồn's bulk uploads store events, then the uploads; twice."""
    state = a_stored_harvest(store)
    rows = 2 * args.bulk_requests * args.bulk_pairs
    print(
        f"bulk: {args.bulk_requests} requests × {2 * args.bulk_pairs} commands (harvest +"
        f" drying pairs), {args.bulk_clients} at a time, against one binary COPY of {rows:,}"
        f" rows of the event store's shape, each with a stored harvest's state"
        f" ({len(state)} bytes)"
    )
    ratios = []
    peaks = PeakRss()
    for n in range(1, args.bulk_rounds + 1):
        copied = baselines.copy_rows(baseline_dsn, rows, state)
        before = last_position(store)
        with sampling_rss(pid, peaks):
            answered, seconds = bulk(
                base, token, plot_id, args.bulk_requests, args.bulk_pairs, args.bulk_clients
            )
        events = last_position(store) - before
        ratios.append(events / seconds / copied)
        print(
            f"  round {n}: COPY {copied:,.0f} rows/s | Nguồn {events:,} events"
            f" ({answered:,} results) in {seconds:.2f} s = {events / seconds:,.0f} events/s"
            f" | ratio {ratios[-1]:.2f}"
        )
    print(
        f"  median ratio Nguồn/COPY {statistics.median(ratios):.2f} (target ≥ {TARGET_BULK_RATIO})"
    )
    print(f"  Nguồn's peak RSS (target ≤ {TARGET_RSS_MB} MB each): " + ", ".join(peaks.lines()))


def a_stored_harvest(store: str) -> bytes:
    """A harvest event's state as Nguồn stored it (its size makes COPY's rows realistic)."""
    with psycopg.connect(store) as conn:
        row = conn.execute(
            "SELECT state FROM nguon_events WHERE topic LIKE %s"
            " ORDER BY notification_id DESC LIMIT 1",
            ("%Harvested%",),
        ).fetchone()
    if row is None:
        raise SystemExit("no harvest in the event store to take a state from")
    return bytes(row[0])


def count_rows(dsn: str, table: str) -> int:
    with psycopg.connect(dsn) as conn:
        row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        found = row.fetchone()
    return int(found[0]) if found else 0


def last_position(store: str) -> int:
    with psycopg.connect(store) as conn:
        row = conn.execute("SELECT coalesce(max(notification_id), 0) FROM nguon_events").fetchone()
    return int(row[0]) if row else 0


if __name__ == "__main__":
    main()
