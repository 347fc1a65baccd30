"""The projector: Kafka into the read models, exactly once in effect.

Consumes ``{prefix}.events`` as a member of a consumer group (``projector_group_id``); each
member owns some partitions, so projectors scale out up to the topic's partition count.

Produces the read models in PostgreSQL (``shared.readmodels``): provenance documents, the
catalogue, the facts behind them.

Guarantee: every record is applied exactly once in effect. A polled batch is decoded and handed
to ``Projections.apply`` with the batch's next offset per partition; the read-model change and
those offsets commit in one PostgreSQL transaction. Only then are the offsets committed to Kafka,
and only as a hint: on every (re)assignment the consumer seeks to the offsets the database
stored. A crash before the database commit re-reads the batch; a crash after it but before the
Kafka commit re-reads it too, and the stored offsets (and, for events the relay published
twice, the stored positions) make the repeat a no-op. Records that are not envelopes follow
the named policies in :mod:`services.projector.decoding`; an envelope a projection cannot apply
is set aside by the engine's ``quarantine-unappliable`` policy (:mod:`shared.readmodels.engine`),
so it never stops consumption.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from psycopg_pool import ConnectionPool

from services.projector.decoding import decode
from services.projector.settings import ProjectorSettings
from shared.database import service_url
from shared.errors import NguonError
from shared.kafka.consumer import (
    CommitRejected,
    ConsumerSettings,
    GroupConsumer,
    Message,
    StartOffsets,
)
from shared.readmodels.projections import Projections as ReadModels
from shared.readmodels.projections import RebuildInProgress
from shared.readmodels.tracking import KafkaOffsets, Tracking
from shared.wire.envelope import Envelope
from shared.wire.topics import events_topic

log = logging.getLogger(__name__)


class Projections(Protocol):
    """What the projector needs of ``shared.readmodels``."""

    def apply(self, envelopes: Sequence[Envelope], tracking: Tracking, /) -> None: ...

    def kafka_offsets(self, topic: str, group: str, /) -> dict[int, int]: ...


@dataclass
class Stats:
    batches: int = 0
    records: int = 0
    undecodable: int = 0
    commits_rejected: int = 0
    replaced_members: int = 0  # stalled rebalances left for a fresh member (shared.kafka.consumer)


class Projector:
    def __init__(
        self,
        projections: Projections,
        consumer: Callable[[StartOffsets], GroupConsumer],
        topic: str,
        group: str,
        *,
        max_batch: int = 2_000,
        poll_timeout: float = 0.2,
        on_close: Callable[[], None] | None = None,
    ) -> None:
        self.topic = topic
        self.group = group
        self.stats = Stats()
        self._projections = projections
        self._new_consumer = consumer
        self._max_batch = max_batch
        self._poll_timeout = poll_timeout
        self._stopping = threading.Event()
        self._on_close = on_close

    def run(self) -> None:
        """Applies batches until :meth:`stop`; raises what no named policy handles."""
        consumer = self._new_consumer(self._start_offsets)
        log.info("projector of %s joined group %s", self.topic, self.group)
        try:
            while not self._stopping.is_set():
                self.step(consumer)
        except _Stopped:
            log.info("projector of %s stopped while waiting for a rebuild", self.topic)
        finally:
            self.stats.replaced_members = consumer.replaced_members
            consumer.close()
        log.info("projector of %s stopped: %s", self.topic, self.stats)

    def stop(self) -> None:
        self._stopping.set()

    def close(self) -> None:
        """Releases what the composition root opened for this projector (its pool)."""
        if self._on_close is not None:
            self._on_close()

    def step(self, consumer: GroupConsumer) -> int:
        """One poll, one transaction, one commit; returns how many records it handled."""
        messages = consumer.poll(self._poll_timeout, self._max_batch)
        if not messages:
            return 0
        decoded = decode(messages)
        offsets = _next_offsets(messages)
        try:
            self._apply_when_possible(decoded.envelopes, KafkaOffsets(self.group, offsets))
        except _Stopped:
            raise
        except Exception:
            log.exception("applying %s failed: nothing of it was stored", _describe(messages))
            raise
        self.stats.batches += 1
        self.stats.records += len(messages)
        self.stats.undecodable += len(decoded.undecodable)
        self.commit(consumer, {p: o for (_t, p), o in offsets.items()})
        return len(messages)

    def _apply_when_possible(self, envelopes: list[Envelope], tracking: KafkaOffsets) -> None:
        """Named policy ``wait-for-rebuild``: while ``nguon projections rebuild`` runs, the
        batch waits (uncommitted, so nothing is lost) and is applied once it has finished."""
        waited = False
        while True:
            try:
                self.apply(envelopes, tracking)
                return
            except RebuildInProgress:
                if not waited:
                    log.warning("wait-for-rebuild: the read models are being rebuilt; waiting")
                    waited = True
                if self._stopping.wait(1.0):
                    raise _Stopped from None

    def apply(self, envelopes: Sequence[Envelope], tracking: KafkaOffsets) -> None:
        """Read models and offsets in one transaction (an empty batch still moves offsets)."""
        self._projections.apply(envelopes, tracking)

    def commit(self, consumer: GroupConsumer, next_offsets: dict[int, int]) -> None:
        """Named policy ``offsets-are-a-hint``: a refused commit is logged, never fatal."""
        try:
            consumer.commit(next_offsets)
        except CommitRejected as error:
            self.stats.commits_rejected += 1
            log.warning("offsets-are-a-hint: Kafka refused the commit (%s)", error)

    def _start_offsets(self, topic: str) -> dict[int, int]:
        return self._projections.kafka_offsets(topic, self.group)


class _Stopped(NguonError):  # control flow: never escapes run()
    pass


def _next_offsets(messages: list[Message]) -> dict[tuple[str, int], int]:
    offsets: dict[tuple[str, int], int] = {}
    for m in messages:
        key = (m.topic, m.partition)
        offsets[key] = max(offsets.get(key, 0), m.offset + 1)
    return offsets


def _describe(messages: list[Message]) -> str:
    ranges: dict[tuple[str, int], tuple[int, int]] = {}
    for m in messages:
        low, high = ranges.get((m.topic, m.partition), (m.offset, m.offset))
        ranges[(m.topic, m.partition)] = (min(low, m.offset), max(high, m.offset))
    return ", ".join(
        f"topic {t} partition {p} offsets {low}..{high}"
        for (t, p), (low, high) in sorted(ranges.items())
    )


def consumer_factory(settings: ProjectorSettings) -> Callable[[StartOffsets], GroupConsumer]:
    if not settings.kafka_bootstrap_servers:
        msg = "the projector needs NGUON_KAFKA_BOOTSTRAP_SERVERS"
        raise ValueError(msg)
    consumer_settings = ConsumerSettings(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=settings.projector_group_id,
        client_id=f"{settings.kafka_topic_prefix}-projector",
        max_poll_records=settings.projector_max_batch,
        session_timeout_ms=settings.projector_session_timeout_ms,
        heartbeat_interval_ms=max(1_000, settings.projector_session_timeout_ms // 3),
        rebalance_stall_ms=settings.projector_rebalance_stall_ms,
    )
    topic = events_topic(settings.kafka_topic_prefix)
    return lambda start_offsets: GroupConsumer(consumer_settings, topic, start_offsets)


def build_projector(
    settings: ProjectorSettings, projector_class: type[Projector] = Projector
) -> Projector:
    """The composition root: database, read models and a consumer-group member."""
    consumer = consumer_factory(settings)
    app_url = service_url(settings)
    pool: ConnectionPool = ConnectionPool(app_url, min_size=1, max_size=4, open=True)
    projections = ReadModels(pool.connection)
    # A projection of a new version: its tables emptied and its offsets gone, so every partition
    # is consumed again from its first record (the topic keeps all history); the others skip
    # what they have. A rebuild in progress (same version, not complete) is left alone:
    # wait-for-rebuild.
    for name in projections.reset_other_versions():
        log.info("projection %s is new or of another version: consuming it from the start", name)
    return projector_class(
        projections,
        consumer,
        events_topic(settings.kafka_topic_prefix),
        settings.projector_group_id,
        max_batch=settings.projector_max_batch,
        poll_timeout=settings.projector_poll_timeout_ms / 1000,
        on_close=pool.close,
    )


def run_projector(projector: Projector) -> None:
    """Runs until :meth:`Projector.stop` (e.g. from a SIGTERM handler), then releases all."""
    try:
        projector.run()
    finally:
        projector.close()
