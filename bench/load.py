"""What the HTTP benchmarks share: a free port, waiting for a server, and driving ``wrk``.

``wrk`` is a C load generator, so the client costs little of the two cores; a Lua ``done``
hook prints the percentiles wrk's own summary lacks (p95).
"""

from __future__ import annotations

import re
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

DONE_HOOK = """
function done(summary, latency, requests)
  io.write(string.format("PERCENTILES %.3f %.3f %.3f\\n", latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000))
  io.write(string.format("ERRORS %d %d\\n", summary.errors.status, summary.errors.connect
    + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


@dataclass(frozen=True)
class Load:
    rate: float  # requests per second
    p50: float  # milliseconds
    p95: float
    p99: float
    status_errors: int  # answers outside 2xx/3xx
    socket_errors: int


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_until_up(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)  # bounded by the deadline: the server is starting
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s")


def wrk(url: str, script: Path, seconds: int, connections: int, *headers: str) -> Load:
    """``script`` may set the method and body; the percentile hook is appended to it."""
    text = script.read_text()
    if "function done" not in text:
        script.write_text(text + DONE_HOOK)
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(script)]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    percentiles = re.search(r"PERCENTILES (\S+) (\S+) (\S+)", out)
    errors = re.search(r"ERRORS (\d+) (\d+)", out)
    if rate is None or percentiles is None or errors is None:
        raise SystemExit(f"wrk printed no figures:\n{out}")
    p50, p95, p99 = (float(x) for x in percentiles.groups())
    return Load(float(rate.group(1)), p50, p95, p99, int(errors.group(1)), int(errors.group(2)))
