"""Aggregates that rarely change, kept warm: a command reads them without a round trip.

A harvest reads its cooperative and its plots and changes neither; loading them costs two of
a single command's four round trips. This process keeps the stored events of such aggregates
(organisations, plots, households, value chains) and makes each request its own aggregate from
them, so no two requests share an object. Whether what it kept is still current is checked
where it costs nothing: the append itself (``nguon_append``) refuses, under the event store's
lock, a request that read an aggregate at a version that is no longer its last
(``STALE_READ``). ``Records`` then forgets what it kept of it and runs the command once more
from the store. A command therefore never acts on an out-of-date cooperative or plot: it is
stricter than reading them from the store, where a change committed between the read and the
append would pass unseen.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, project_aggregate
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import ApplicationRecorder, Mapper, StoredEvent

from shared.domain.household import Household
from shared.domain.organisations import Organisation
from shared.domain.plot import Plot
from shared.domain.value_chain import ValueChain

STALE_READ = "23N01"
"""The SQLSTATE ``nguon_append`` raises for a request that read a changed aggregate."""

WARM_KINDS: tuple[type[Aggregate], ...] = (Organisation, Plot, Household, ValueChain)


class WarmAggregates:
    def __init__(
        self, recorder: ApplicationRecorder, mapper: Mapper[UUID], max_events: int = 20_000
    ) -> None:
        self._recorder = recorder
        self._mapper = mapper
        # Bounded by events, not aggregates: a cooperative's history grows for years. 20,000
        # stored events are about 12 MB; the least recently used go first.
        self._max_events = max_events
        self._events = 0
        self._lock = threading.Lock()
        self._kept: OrderedDict[UUID, Sequence[StoredEvent]] = OrderedDict()

    def get(self, aggregate_id: UUID) -> tuple[Aggregate, bool]:
        """The aggregate, and whether it was made from what this process kept (so its version
        must be checked when the request is stored)."""
        with self._lock:
            stored = self._kept.get(aggregate_id)
            if stored is not None:
                self._kept.move_to_end(aggregate_id)
        warm = stored is not None
        if stored is None:
            stored = self._recorder.select_events(aggregate_id)
            if not stored:
                raise AggregateNotFoundError(aggregate_id)
        aggregate = project_aggregate(None, (self._mapper.to_domain_event(s) for s in stored))
        if aggregate is None:
            raise AggregateNotFoundError(aggregate_id)
        if not warm and isinstance(aggregate, WARM_KINDS):
            self._keep(aggregate_id, stored)
        return aggregate, warm

    def forget(self, aggregate_ids: Iterable[UUID]) -> None:
        with self._lock:
            for aggregate_id in aggregate_ids:
                self._events -= len(self._kept.pop(aggregate_id, ()))

    def _keep(self, aggregate_id: UUID, stored: Sequence[StoredEvent]) -> None:
        if len(stored) > self._max_events:
            return
        with self._lock:
            self._events += len(stored) - len(self._kept.pop(aggregate_id, ()))
            self._kept[aggregate_id] = stored
            while self._events > self._max_events:
                _, gone = self._kept.popitem(last=False)
                self._events -= len(gone)
