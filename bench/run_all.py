"""``make bench``: every benchmark in turn, each printing its own figures against its target.

capture.py, pages.py, dashboard.py, epcis.py and trace.py (but for its recall, which uses Kafka)
need only the embedded PostgreSQL; the others (epcis_capture*.py: the test PostgreSQL alone)
use the test PostgreSQL and Kafka that ``make bench`` starts
(``make services-up``).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = [
    ("capture: single commands and bulk through HTTP", ["capture.py"]),
    ("relay: event store to Kafka", ["relay.py"]),
    ("projectors scaled out: one against two in a group, and one of two killed", ["scale_out.py"]),
    ("projections: full rebuild", ["rebuild.py"]),
    ("read side through Kafka: capture-to-page, page throughput", ["pipeline.py"]),
    ("page rendering in process", ["page_render.py"]),
    ("provenance pages over 1,000 batches through serve-web, against a bare app", ["pages.py"]),
    ("dashboard: monitoring rebuild, pages through HTTP at 1,000 cooperatives", ["dashboard.py"]),
    ("cooperative app: first load of /app/ under slow 3G, cold and warm", ["app_first_load.py"]),
    ("epcis: export of 100,000 events, GET /epcis/events at a million", ["epcis.py"]),
    ("epcis capture: 1,000 events, capture alone", ["epcis_capture.py"]),
    ("epcis capture: 1,000 events through POST /epcis/capture", ["epcis_capture_http.py"]),
    ("trace: a million batches, traces through HTTP, a big lot's recall via Kafka", ["trace.py"]),
]


def main() -> None:
    failed = []
    for title, command in BENCHES:
        print(f"\n==> {title}", flush=True)
        started = time.monotonic()
        result = subprocess.run([sys.executable, str(HERE / command[0]), *command[1:]], check=False)
        print(f"    ({time.monotonic() - started:.0f} s)", flush=True)
        if result.returncode != 0:
            failed.append(title)
    if failed:
        raise SystemExit(f"benchmarks that did not finish: {', '.join(failed)}")


if __name__ == "__main__":
    main()
