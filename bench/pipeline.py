"""The read side through Kafka: capture-to-page latency, and provenance page throughput.

Starts the real ``nguon serve`` with Kafka configured (relay → Kafka → projector in the same
process as the HTTP app) on a fresh database of the test PostgreSQL, then:

- capture-to-page: for each harvest, the time from sending the POST until the batch's page
  answers with it (``?position=`` makes the page wait for the projections, not the client);
- pages: ``wrk`` requests one provenance page for a while: requests/s and latency percentiles.

Needs the test servers (``make services-up``): ``NGUON_TEST_DATABASE_ADMIN_URL`` (default
``postgresql://postgres@127.0.0.1:55432/postgres``), ``NGUON_TEST_KAFKA_BOOTSTRAP_SERVERS``
(default ``127.0.0.1:59092``). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import psycopg
from load import free_port, wait_until_up, wrk
from psycopg import sql
from pydantic import SecretStr

from services.platform.composition import records_only
from services.platform.settings import PlatformSettings
from shared.database import prepare
from shared.postgres.urls import with_database, with_user
from shared.records.actors import Role

TARGET_P95_MS = 500.0
TARGET_PAGES_PER_SECOND = 1_000
TARGET_PAGE_P99_MS = 25.0


def call(
    method: str,
    url: str,
    token: str | None = None,
    body: Any = None,
    accept: str = "application/json",
) -> tuple[int, Any]:
    headers = {"Accept": accept, "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def fresh_database(admin_url: str) -> str:
    name = f"nguon_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return with_database(admin_url, name)


def drop_database(admin_url: str, database_url: str) -> None:
    name = database_url.rsplit("/", 1)[-1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def a_token(settings: PlatformSettings, role: Role, organisation: str | None = None) -> str:
    with records_only(settings) as side:
        return side.tokens.create(role, uuid.UUID(organisation) if organisation else None, "bench")


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--harvests", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    admin = os.environ.get(
        "NGUON_TEST_DATABASE_ADMIN_URL", "postgresql://postgres@127.0.0.1:55432/postgres"
    )
    brokers = os.environ.get("NGUON_TEST_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:59092")
    database = fresh_database(admin)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "NGUON_DATABASE_URL": with_user(database, "nguon_app"),
        "NGUON_DATABASE_ADMIN_URL": database,
        "NGUON_KAFKA_BOOTSTRAP_SERVERS": brokers,
        "NGUON_KAFKA_TOPIC_PREFIX": prefix,
        "NGUON_PROJECTOR_GROUP_ID": prefix,
        "NGUON_PORT": str(port),
        "NGUON_PUBLIC_BASE_URL": base,
    }
    settings = PlatformSettings(
        database_url=SecretStr(env["NGUON_DATABASE_URL"]), database_admin_url=SecretStr(database)
    )
    prepare(settings)  # what `nguon db migrate` does: the services only check the schema
    staff = a_token(settings, Role.PROVINCE)
    server = subprocess.Popen(
        [sys.executable, "-m", "services.platform", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    scratch = Path(tempfile.mkdtemp(prefix="nguon-bench-pipeline-"))
    try:
        wait_until_up(f"{base}/healthz")
        _, answer = call(
            "POST",
            f"{base}/api/v1/cooperatives",
            staff,
            {
                "name": "HTX Bench Pipeline",
                "registration_number": f"B-{uuid.uuid4().hex[:8]}",
                "commune": "Xã Thiệu Trung",
                "former_district": "Thiệu Hóa",
                "sector": "lúa gạo",
                "founded": "2010-01-01",
                "members_count": 30,
                "model": "new",
            },
        )
        coop = answer["results"][0]["cooperative_id"]
        grower = a_token(settings, Role.COOPERATIVE, coop)
        _, answer = call(
            "POST",
            f"{base}/api/v1/plots",
            grower,
            {
                "cooperative_id": coop,
                "crop": "lúa",
                "area_ha": "2",
                "commune": "Xã Thiệu Trung",
                "location": {"type": "Point", "coordinates": [105.68, 19.9]},
            },
        )
        plot = answer["results"][0]["plot_id"]

        latencies: list[float] = []
        code = ""
        for _ in range(args.harvests):
            started = time.perf_counter()
            status, answer = call(
                "POST",
                f"{base}/api/v1/batches",
                grower,
                {
                    "plot_ids": [plot],
                    "commodity": "lúa",
                    "quantity": {"amount": "900", "unit": "kg"},
                    "harvested_on": "2026-11-01",
                },
            )
            if status != 201:
                raise SystemExit(f"the harvest was refused: {status} {answer}")
            code, position = answer["results"][0]["code"], answer["position"]
            status, page = call("GET", f"{base}/b/{code}?position={position}")
            if status != 200 or page["code"] != code:
                raise SystemExit(f"the page of {code} did not answer: {status} {page}")
            latencies.append((time.perf_counter() - started) * 1000)
        print(f"capture-to-page through Kafka ({args.harvests} harvests, one at a time):")
        print(
            f"  p50 {percentile(latencies, 50):.1f} ms, p95 {percentile(latencies, 95):.1f} ms,"
            f" max {max(latencies):.1f} ms (target p95 ≤ {TARGET_P95_MS:.0f} ms)"
        )

        if shutil.which("wrk") is None:
            print("pages: skipped (needs wrk: apt-get install wrk)")
            return
        script = scratch / "page.lua"
        script.write_text("")
        url = f"{base}/b/{code}"
        wrk(url, script, 2, args.connections, "Accept-Language: vi")  # warm-up
        page = wrk(url, script, args.seconds, args.connections, "Accept-Language: vi")
        print(f"provenance page {url} ({args.connections} connections, {args.seconds} s):")
        print(
            f"  {page.rate:,.0f} requests/s (target ≥ {TARGET_PAGES_PER_SECOND:,}),"
            f" p50 {page.p50:.1f} ms, p95 {page.p95:.1f} ms, p99 {page.p99:.1f} ms"
            f" (target p99 ≤ {TARGET_PAGE_P99_MS:.0f} ms), non-2xx {page.status_errors}"
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        drop_database(admin, database)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
