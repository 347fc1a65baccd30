"""QR scans counted without slowing pages: in memory per batch and Vietnam day, flushed in bulk.

A page request adds one to a dict under a lock (no I/O); a background thread drains the dict
every few seconds, and once more on shutdown, into a ``ScanStore`` in one statement. A failed
flush is logged and its counts put back for the next try; while the store stays down the dict
is bounded (``max_keys`` batch-days): scans of batch-days beyond it are dropped and counted as
dropped, so a long outage costs memory no more than that. Nothing about the person scanning is
kept: a batch id, a day, a number.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from datetime import date
from uuid import UUID

from shared.domain.clock import today_in_vietnam
from shared.readmodels.page_scans import ScanStore

log = logging.getLogger(__name__)
FLUSH_SECONDS = 5.0
MAX_KEYS = 100_000


class ScanCounter:
    """Scans since the last flush, per (batch, Vietnam day); safe from any worker thread."""

    def __init__(
        self,
        store: ScanStore,
        *,
        max_keys: int = MAX_KEYS,
        today: Callable[[], date] = today_in_vietnam,
    ) -> None:
        self._store = store
        self._max_keys = max_keys
        self._today = today
        self._counts: Counter[tuple[UUID, date]] = Counter()
        self._lock = threading.Lock()  # pages run in FastAPI's thread pool
        self._flushing = threading.Lock()  # one flush at a time: the periodic one and the last
        self.dropped = 0
        """Scans not kept because the store was unreachable for too long (the bound)."""

    def count(self, batch_id: UUID) -> None:
        """One scan of the batch's page, today; never raises, never waits on I/O."""
        key = (batch_id, self._today())
        with self._lock:
            if key in self._counts or len(self._counts) < self._max_keys:
                self._counts[key] += 1
            else:
                self.dropped += 1

    def pending(self) -> int:
        with self._lock:
            return sum(self._counts.values())

    def flush(self) -> int:
        """Hands what was counted to the store; how many scans it kept (0 after a failure)."""
        with self._flushing:
            with self._lock:
                taken, self._counts = self._counts, Counter()
            if not taken:
                return 0
            try:
                self._store.add(taken)
            except Exception:
                log.exception("could not store %d page scans: kept for the next flush", len(taken))
                self._put_back(taken)
                return 0
            return sum(taken.values())

    def _put_back(self, taken: Counter[tuple[UUID, date]]) -> None:
        with self._lock:
            for key, scans in taken.items():
                if key in self._counts or len(self._counts) < self._max_keys:
                    self._counts[key] += scans
                else:
                    self.dropped += scans


class ScanFlusher:
    """The background thread that flushes a ``ScanCounter`` every ``interval`` seconds."""

    def __init__(self, counter: ScanCounter, interval: float = FLUSH_SECONDS) -> None:
        self._counter = counter
        self._interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="nguon-scans", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stops the thread, then flushes what the last requests counted."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=15)
            self._thread = None
        self._counter.flush()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self._counter.flush()
