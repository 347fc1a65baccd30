"""Provenance pages through HTTP over many batches, against a bare app serving one page.

On the embedded PostgreSQL in a temporary folder:

1. seeds ``--batches`` batches (each harvested, then dried) through the records application
   in process, and rebuilds the read models from the event store (``nguon projections
   rebuild``);
2. runs ``nguon serve-web`` with ``NGUON_WEB_WORKERS`` worker processes, checks that a sample
   of the batches' pages answer 200, and keeps one page's bytes;
3. runs the baseline (``bench/baselines.py``'s ``page_app``: a bare FastAPI app answering
   every path with those bytes) with the same number of workers;
4. drives both with ``wrk`` at ``--connections``, each request for a random batch's page
   (``/b/{code}``, ``Accept-Language: vi``), alternating baseline, Nguồn, baseline, Nguồn…;
   prints each pair's rates, percentiles, non-2xx counts and ratio, the median ratio, and the
   peak RSS of Nguồn's processes while it was loaded.

Prints figures; asserts nothing. About a minute and a half with the defaults.

    python bench/pages.py [--batches 1000] [--seconds 8] [--connections 32] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import baselines
import psycopg
from capture import register_grower
from load import alternate, free_port, print_pairs, require_wrk, stop_and_leave, wait_until_up

from services.platform.composition import records_only
from services.platform.settings import PlatformSettings
from shared.database import locate, prepare
from shared.domain.quantities import Quantity
from shared.readmodels.rebuild import rebuild
from shared.records import commands as c
from shared.records.actors import Actor, Role

TARGET_RATIO = 0.6  # Nguồn's pages/s over the bare app's
TARGET_P99_MS = 10.0
TARGET_RSS_MB = 150
BATCHES_PER_EXECUTE = 250
LANGUAGE = "Accept-Language: vi"

WRK_SCRIPT = """
paths = {%(paths)s}
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
function init(args)
  math.randomseed(os.time() * 100 + id)
end
request = function()
  return wrk.format(nil, paths[math.random(#paths)])
end
"""


def seed_batches(settings: PlatformSettings, batches: int) -> tuple[int, float]:
    """``batches`` harvests of one cooperative's plot, each dried at once; then the read
    models rebuilt. Returns the events replayed and the seconds the rebuild took."""
    prepare(settings)  # `nguon db migrate`
    first = date(2026, 1, 1)
    with records_only(settings) as side:
        coop_id, plot_id = register_grower(side.records)
        coop = Actor(Role.COOPERATIVE, coop_id)
        for start in range(0, batches, BATCHES_PER_EXECUTE):
            commands: list[c.HarvestBatch | c.ProcessBatch] = []
            for n in range(start, min(start + BATCHES_PER_EXECUTE, batches)):
                commands += [
                    c.HarvestBatch(
                        plot_ids=[plot_id],
                        commodity="lúa",
                        variety="Nếp cái hoa vàng",
                        quantity=Quantity.positive(str(800 + n % 700), "kg"),
                        harvested_on=first + timedelta(days=n % 300),
                        ref=f"h{n}",
                    ),
                    c.ProcessBatch(
                        batch=f"$h{n}",
                        step="drying",
                        facility="Sân phơi HTX",
                        quantity_after=Quantity.positive(Decimal(700 + n % 600), "kg"),
                    ),
                ]
            side.records.execute(coop, commands)
        done = rebuild(side.records, progress=False)
    return done.events, done.seconds


def batch_codes(settings: PlatformSettings) -> list[str]:
    with psycopg.connect(locate(settings).admin) as conn:
        rows = conn.execute("SELECT code FROM rm_provenance ORDER BY code").fetchall()
    return [str(code) for (code,) in rows]


def fetch(url: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Language": "vi"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=8, help="per wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3, help="baseline/Nguồn pairs")
    parser.add_argument("--workers", type=int, default=2, help="NGUON_WEB_WORKERS")
    parser.add_argument("--sample", type=int, default=50, help="pages checked before the load")
    args = parser.parse_args()
    require_wrk("bench/pages.py")

    data_dir = Path(tempfile.mkdtemp(prefix="nguon-bench-pages-"))
    settings = PlatformSettings(data_dir=data_dir)
    started = time.perf_counter()
    events, rebuild_seconds = seed_batches(settings, args.batches)
    codes = batch_codes(settings)
    print(
        f"seeded {args.batches:,} batches (harvest + drying) in"
        f" {time.perf_counter() - started - rebuild_seconds:.1f} s; rebuilt the read models"
        f" from {events:,} events in {rebuild_seconds:.1f} s: {len(codes):,} provenance documents"
    )
    port, baseline_port = free_port(), free_port()
    base, baseline_base = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{baseline_port}"
    env = {
        **os.environ,
        "NGUON_DATA_DIR": str(data_dir),
        "NGUON_PORT": str(port),
        "NGUON_WEB_WORKERS": str(args.workers),
    }
    env.pop("NGUON_DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "services.platform", "serve-web"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    baseline: subprocess.Popen[bytes] | None = None
    try:
        wait_until_up(f"{base}/healthz")
        paths = [f"/b/{code}" for code in codes]
        sample = random.Random(12).sample(paths, min(args.sample, len(paths)))
        answers = [fetch(base + path) for path in sample]
        statuses = sorted({status for status, _ in answers})
        sizes = [len(body) for status, body in answers if status == 200]
        print(
            f"checked {len(sample)} random pages: statuses {statuses},"
            f" {min(sizes, default=0):,}–{max(sizes, default=0):,} bytes"
        )
        page = next((body for status, body in answers if status == 200), None)
        if page is None:
            raise SystemExit("no page answered 200: nothing to serve as the baseline")
        page_file = data_dir / "page.html"
        page_file.write_bytes(page)
        baseline = baselines.start(
            "page", baseline_port, args.workers, {baselines.PAGE_FILE: str(page_file)}
        )
        wait_until_up(f"{baseline_base}/healthz")
        script = data_dir / "pages.lua"
        script.write_text(WRK_SCRIPT % {"paths": ", ".join(f'"{p}"' for p in paths)})
        print(
            f"provenance pages /b/{{code}} over {len(paths):,} batches in random order,"
            f" {args.connections} connections, {args.seconds} s per run, {LANGUAGE}:"
            f" nguon serve-web ({args.workers} workers, embedded PostgreSQL) against the bare"
            f" FastAPI app serving one of its pages ({len(page):,} bytes,"
            f" {args.workers} workers), alternating"
        )
        load = (args.seconds, args.connections, args.rounds)
        rounds = alternate(baseline_base, base, script, load, server.pid, LANGUAGE)
        median = print_pairs(rounds.pairs, "pages/s")
        print(
            f"  median ratio Nguồn/baseline {median:.2f} (target ≥ {TARGET_RATIO});"
            f" Nguồn's worst p99 {rounds.worst_p99:.1f} ms (target ≤ {TARGET_P99_MS:.0f} ms)"
        )
        print(
            f"  Nguồn's peak RSS (target ≤ {TARGET_RSS_MB} MB each): "
            + ", ".join(rounds.peaks.lines())
        )
    finally:
        stop_and_leave((server, baseline), settings, data_dir)


if __name__ == "__main__":
    main()
