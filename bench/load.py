"""What the HTTP benchmarks share: a free port, waiting for a server, and driving ``wrk``.

``wrk`` is a C load generator, so the client costs little of the two cores; a Lua ``done``
hook prints the percentiles wrk's own summary lacks (p95).
"""

from __future__ import annotations

import re
import shutil
import socket
import statistics
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from shared.database import release
from shared.settings import NguonSettings

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


@dataclass
class PeakRss:
    """The highest resident set size seen of each process of a server: its own and its
    children's (uvicorn's worker processes), sampled while a load runs."""

    peaks: dict[int, tuple[str, float]] = field(default_factory=dict)  # pid → (name, MB)

    def sample(self, pid: int) -> None:
        try:
            root = psutil.Process(pid)
            processes = [root, *root.children(recursive=True)]
        except psutil.Error:
            return
        for process in processes:
            try:
                mb = process.memory_info().rss / 2**20
                name = _role(process, root)
            except psutil.Error:
                continue  # it ended between the listing and the reading
            _, peak = self.peaks.get(process.pid, (name, 0.0))
            self.peaks[process.pid] = (name, max(peak, mb))

    def lines(self) -> list[str]:
        return [
            f"pid {pid} ({name}): {mb:.0f} MB" for pid, (name, mb) in sorted(self.peaks.items())
        ]


def _role(process: psutil.Process, root: psutil.Process) -> str:
    command = " ".join(process.cmdline())
    if process.pid == root.pid:
        return "supervisor" if root.children() else "server"
    if "spawn_main" in command:
        return "worker"
    if "resource_tracker" in command:
        return "multiprocessing's resource tracker"
    return process.name()


@contextmanager
def sampling_rss(pid: int, peaks: PeakRss, every: float = 0.25) -> Iterator[PeakRss]:
    """Samples ``pid`` and its children into ``peaks`` every ``every`` s until the block ends."""
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            peaks.sample(pid)
            stop.wait(every)

    thread = threading.Thread(target=run, name="rss-sampler", daemon=True)
    thread.start()
    try:
        yield peaks
    finally:
        stop.set()
        thread.join()
        peaks.sample(pid)


@dataclass(frozen=True)
class Pair:
    """One round of the alternation: the baseline's load, then Nguồn's."""

    baseline: Load
    nguon: Load

    @property
    def ratio(self) -> float:
        return self.nguon.rate / self.baseline.rate if self.baseline.rate else float("nan")


def print_pairs(pairs: list[Pair], unit: str = "requests/s") -> float:
    """Prints each round's figures and ratio (Nguồn's rate over the baseline's); returns the
    median ratio."""
    for n, pair in enumerate(pairs, 1):
        b, g = pair.baseline, pair.nguon
        print(
            f"  round {n}: baseline {b.rate:,.0f} {unit} p99 {b.p99:.1f} ms"
            f" (non-2xx {b.status_errors}, socket errors {b.socket_errors}) |"
            f" Nguồn {g.rate:,.0f} {unit} p50 {g.p50:.1f} ms p95 {g.p95:.1f} ms"
            f" p99 {g.p99:.1f} ms (non-2xx {g.status_errors}, socket errors {g.socket_errors})"
            f" | ratio {pair.ratio:.2f}"
        )
    return statistics.median(pair.ratio for pair in pairs)


@dataclass(frozen=True)
class Alternation:
    """The rounds of one alternation and the peak RSS of Nguồn's processes during its loads."""

    pairs: list[Pair]
    peaks: PeakRss

    @property
    def worst_p99(self) -> float:
        return max(pair.nguon.p99 for pair in self.pairs)


def alternate(
    baseline_url: str,
    url: str,
    script: Path,
    load: tuple[int, int, int],
    pid: int,
    *headers: str,
) -> Alternation:
    """A warm-up of each, then ``rounds`` of baseline, Nguồn, baseline, Nguồn…; ``load`` is
    (seconds, connections, rounds). Nguồn's server (``pid`` and its children) is sampled."""
    seconds, connections, rounds = load
    wrk(baseline_url, script, 3, connections, *headers)  # warm-up: pools, caches, statements
    wrk(url, script, 3, connections, *headers)
    pairs = []
    peaks = PeakRss()
    for _ in range(rounds):
        theirs = wrk(baseline_url, script, seconds, connections, *headers)
        with sampling_rss(pid, peaks):
            ours = wrk(url, script, seconds, connections, *headers)
        pairs.append(Pair(theirs, ours))
    return Alternation(pairs, peaks)


def require_wrk(bench: str) -> None:
    """Stops ``bench`` with what to install when ``wrk`` (the load generator) is missing."""
    if shutil.which("wrk") is None:
        raise SystemExit(f"{bench} needs wrk (apt-get install wrk; make bench does it)")


def stop_and_leave(
    servers: Iterable[subprocess.Popen[bytes] | None], settings: NguonSettings, data_dir: Path
) -> None:
    """Stops the bench's servers, then leaves the embedded PostgreSQL and removes its folder.

    This process started the embedded server (seeding): once the servers have left it, leaving
    it too stops it, before its folder goes. (Deleting the folder first left the postmaster
    running until it noticed, up to a minute later.)"""
    running = [s for s in servers if s is not None]
    for server in running:
        server.terminate()
    for server in running:
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    release(settings)
    shutil.rmtree(data_dir, ignore_errors=True)
