"""Short-lived in-process caches for the busiest pages: provenance documents, rendered pages.

A label on a shelf is scanned by many buyers; the document behind it changes rarely and pages
are public with ``max-age=60`` anyway, so serving a document up to a couple of seconds old
changes nothing a buyer can tell and saves a database round trip per scan. A client that names
a position (read-your-writes) bypasses the cache: routes use the live reader then.

"Not found" is never kept: a batch written a moment ago must get its page on the next poll,
and an unknown code costs one indexed lookup, as it would without a cache.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from shared.readmodels.documents import ProvenanceDocument

Key = tuple[str, ...]


class DocumentCache:
    def __init__(
        self,
        ttl_seconds: float = 2.0,
        max_entries: int = 5_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl_seconds
        self._max = max_entries
        self._clock = clock
        self._entries: OrderedDict[Key, tuple[float, ProvenanceDocument]] = OrderedDict()
        self._lock = threading.Lock()  # routes run in a thread pool

    def kept(self, key: Key) -> ProvenanceDocument | None:
        """The document if it is here and fresh; never reads (for the event loop)."""
        with self._lock:
            hit = self._entries.get(key)
        return hit[1] if hit is not None and hit[0] > self._clock() else None

    def get(
        self, key: Key, load: Callable[[], ProvenanceDocument | None]
    ) -> ProvenanceDocument | None:
        now = self._clock()
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0] > now:
                return hit[1]
        document = load()  # outside the lock: a slow read must not hold up other pages
        if document is None:
            return None
        with self._lock:
            self._entries[key] = (now + self._ttl, document)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return document


class RenderedPages:
    """Rendered pages as bytes, least recently used first out, within ``max_bytes``.

    Rendering a provenance page costs far more than sending it, and a page is a pure function
    of its key: the caller builds the key from everything the page depends on (the document's
    position, the language and how it was chosen, the date in Vietnam, the producers that have
    a public page, the templates' version, the canonical address). Nothing expires by time: a
    changed document has a new position, hence a new key, and the old entry ages out.
    """

    def __init__(self, max_bytes: int) -> None:
        self._max = max_bytes
        self._size = 0
        self._entries: OrderedDict[Key, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Key, render: Callable[[], str]) -> bytes:
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
                return hit
        body = render().encode()  # outside the lock: other pages are served meanwhile
        if len(body) > self._max:
            return body
        with self._lock:
            if key not in self._entries:
                self._entries[key] = body
                self._size += len(body)
            while self._size > self._max:
                _, dropped = self._entries.popitem(last=False)
                self._size -= len(dropped)
        return body

    @property
    def size(self) -> int:
        """Bytes kept now (for tests and monitoring)."""
        return self._size
