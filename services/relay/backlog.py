"""The relay's read-ahead: a thread follows the event store and encodes; the loop takes rounds.

Encoding in the reading thread, not in the publishing loop, overlaps it with the loop's flushes
and checkpoints. The queue between them is bounded, so a broker outage never fills memory with
the event store's whole backlog.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from typing import Any, NamedTuple

from eventsourcing.persistence import Notification, Subscription

from shared.errors import NguonError

_END = object()  # put on the queue when the subscription ends


class Outgoing(NamedTuple):
    """One stored event, ready to send: its position, key and envelope bytes."""

    position: int
    key: bytes
    value: bytes


class Stopped(NguonError):
    pass


class Backlog:
    def __init__(
        self,
        subscription: Subscription[Any],
        encode: Callable[[Notification], Outgoing],
        stopping: threading.Event,
        size: int,
    ) -> None:
        self._subscription = subscription
        self._encode = encode
        self._stopping = stopping
        self._queue: queue.Queue[object] = queue.Queue(maxsize=size)
        self._error: BaseException | None = None
        self._reader = threading.Thread(target=self._read, name="relay-reader", daemon=True)

    def start(self) -> None:
        self._reader.start()

    def close(self) -> None:
        self._subscription.stop()
        self._discard()  # unblocks the reader if it waits on a full queue
        self._reader.join(timeout=10)

    def next_round(self, max_events: int, max_wait: float) -> list[Outgoing]:
        """Everything available now, up to ``max_events``, waiting at most ``max_wait`` once
        there is one; empty after a short idle wait (so the caller can notice a stop)."""
        batch: list[Outgoing] = []
        first = self._take(timeout=0.2)
        if first is None:
            return batch
        batch.append(first)
        deadline = time.monotonic() + max_wait
        while len(batch) < max_events:
            outgoing = self._take(timeout=deadline - time.monotonic())
            if outgoing is None:
                break
            batch.append(outgoing)
        return batch

    def _read(self) -> None:
        try:
            for notification in self._subscription:
                self._put(self._encode(notification))
        except BaseException as error:  # handed to the publishing loop, which raises it
            self._error = error
        finally:
            self._put(_END)

    def _put(self, item: object) -> None:
        while not self._stopping.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def _take(self, timeout: float) -> Outgoing | None:
        try:
            item = self._queue.get(timeout=timeout) if timeout > 0 else self._queue.get_nowait()
        except queue.Empty:
            return None
        if item is _END:
            if self._error is None and self._stopping.is_set():
                raise Stopped
            msg = "the relay's event store subscription ended"
            raise RuntimeError(msg) from self._error
        assert isinstance(item, Outgoing)
        return item

    def _discard(self) -> None:
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return
