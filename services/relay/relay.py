"""The relay: the event store is the outbox, Kafka the transport.

Consumes the event store's notification log (``nguon_events``), in position order, from the
position after its checkpoint; woken by PostgreSQL LISTEN/NOTIFY through eventsourcing's
subscription, never by blind polling.

Produces one envelope per stored event (docs/events.md) to ``{prefix}.events``, keyed by aggregate
id so each aggregate's events stay in order on one partition.

Guarantee: at least once, never skipping. A round takes what is available (up to
``relay_batch_max_events`` or ``relay_batch_max_wait_ms``), sends it, flushes, checks every
acknowledgement and only then records the round's last position and partition offsets in
``nguon_relay_checkpoint``. Kafka is never written inside a database transaction. A crash
between acknowledgement and checkpoint publishes the round again after restart; the projector
drops the duplicates. While the broker is down a round is retried with backoff and the
checkpoint does not move.

Catch-up after an outage: every wait on the way back is bounded to about a second (the
producer's reconnect backoff, the pause between failed rounds, and a flush that gives up just
after the delivery timeout, when the producer has failed what it could not deliver), so
publishing resumes within about a second of the broker answering again, however long the
outage lasted (docs/operations.md gives the measured figure).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from eventsourcing.persistence import Notification

from services.relay.backlog import Backlog, Outgoing, Stopped
from services.relay.checkpoint import CheckpointStore
from services.relay.settings import RelaySettings
from shared.database import service_url
from shared.kafka.producer import (
    Acknowledged,
    BrokerUnavailable,
    ProducerSettings,
    Publisher,
    PublishFailed,
)
from shared.postgres.urls import eventsourcing_env
from shared.records.application import Records
from shared.wire.topics import events_topic

log = logging.getLogger(__name__)

FLUSH_MARGIN_SECONDS = 1.0


@dataclass(frozen=True)
class RelayOptions:
    batch_max_events: int = 2_000
    batch_max_wait: float = 0.05
    flush_timeout: float = 31.0
    retry_initial: float = 0.5
    retry_max: float = 1.0
    backlog: int = 20_000  # events read and encoded ahead of Kafka, at most


class Relay:
    def __init__(
        self,
        records: Records,
        checkpoints: CheckpointStore,
        publisher: Callable[[], Publisher],
        options: RelayOptions = RelayOptions(),
    ) -> None:
        self.topic = checkpoints.topic
        self._records = records
        self._checkpoints = checkpoints
        self._new_publisher = publisher
        self._publisher: Publisher | None = None
        self._options = options
        self._stopping = threading.Event()
        self.position = 0
        """The last position Kafka acknowledged and the checkpoint records."""
        self.published = threading.Condition()

    # Lifecycle ----------------------------------------------------------------------------

    def run(self) -> None:
        """Publishes until :meth:`stop`; raises what it cannot handle (the process restarts)."""
        if not self._checkpoints.lock(self._stopping):
            return
        try:
            self._publish_until_stopped()
        finally:
            self._checkpoints.unlock()

    def _publish_until_stopped(self) -> None:
        self.position = self._checkpoints.load().position
        log.info("relay to %s resumes after position %d", self.topic, self.position)
        backlog = Backlog(
            self._records.recorder.subscribe(gt=self.position),
            self.encode,
            self._stopping,
            self._options.backlog,
        )
        backlog.start()
        try:
            while not self._stopping.is_set():
                batch = backlog.next_round(
                    self._options.batch_max_events, self._options.batch_max_wait
                )
                if batch:
                    self.publish(batch)
        except Stopped:
            log.info("relay to %s stopped while waiting", self.topic)
        finally:
            backlog.close()
            self._close_publisher(timeout=10)
        log.info("relay to %s stopped at position %d", self.topic, self.position)

    def stop(self) -> None:
        self._stopping.set()

    def close(self) -> None:
        self._checkpoints.close()
        self._records.close()

    def wait_for(self, position: int, timeout: float) -> bool:
        """Blocks until ``position`` is acknowledged and checkpointed; False after ``timeout``."""
        with self.published:
            return self.published.wait_for(lambda: self.position >= position, timeout)

    def encode(self, notification: Notification) -> Outgoing:
        envelope = self._records.envelope(notification)
        return Outgoing(notification.id, envelope.aggregate_id.encode(), envelope.to_json())

    # Publishing ---------------------------------------------------------------------------

    def publish(self, batch: Sequence[Outgoing]) -> None:
        """Sends a round, retrying until Kafka acknowledged all of it, then checkpoints it."""
        acknowledged = self._send(batch, [(o.key, o.value) for o in batch])
        offsets: dict[int, int] = {}
        for ack in acknowledged:
            offsets[ack.partition] = max(offsets.get(ack.partition, 0), ack.offset + 1)
        self.record_checkpoint(batch[-1].position, offsets)

    def _send(
        self, batch: Sequence[Outgoing], records: list[tuple[bytes, bytes]]
    ) -> list[Acknowledged]:
        delay = self._options.retry_initial
        attempt = 1
        while True:
            try:
                return self._current_publisher().publish(records, self._options.flush_timeout)
            except PublishFailed as failure:
                position = batch[min(failure.index, len(batch) - 1)].position
                if not failure.transient:
                    log.error(
                        "Kafka refused topic %s partition %s position %d for good: %r",
                        self.topic,
                        failure.partition,
                        position,
                        failure.cause,
                    )
                    raise
                log.warning(
                    "attempt %d: Kafka did not acknowledge topic %s partition %s position %d"
                    " (round %d..%d); retrying the round in %.1f s: %r",
                    attempt,
                    self.topic,
                    failure.partition,
                    position,
                    batch[0].position,
                    batch[-1].position,
                    delay,
                    failure.cause,
                )
            except BrokerUnavailable as error:
                log.warning(
                    "attempt %d: no broker for topic %s (round %d..%d); retrying in %.1f s: %s",
                    attempt,
                    self.topic,
                    batch[0].position,
                    batch[-1].position,
                    delay,
                    error,
                )
            # Whatever the failed producer still buffers is abandoned: the round is sent again
            # in full by a new producer, in order, so nothing is skipped (duplicates may be).
            self._close_publisher(timeout=0)
            if self._stopping.wait(delay):
                raise Stopped
            delay = min(delay * 2, self._options.retry_max)
            attempt += 1

    def record_checkpoint(self, position: int, offsets: dict[int, int]) -> None:
        """The only place the checkpoint moves: after Kafka acknowledged up to ``position``."""
        self._checkpoints.save(position, offsets)
        with self.published:
            self.position = position
            self.published.notify_all()

    def _current_publisher(self) -> Publisher:
        if self._publisher is None:
            self._publisher = self._new_publisher()
        return self._publisher

    def _close_publisher(self, timeout: float) -> None:
        if self._publisher is not None:
            self._publisher.close(timeout)
            self._publisher = None


def build_relay(settings: RelaySettings, relay_class: type[Relay] = Relay) -> Relay:
    """The composition root: database, event store, checkpoint and producer for one topic."""
    if not settings.kafka_bootstrap_servers:
        msg = "the relay needs NGUON_KAFKA_BOOTSTRAP_SERVERS"
        raise ValueError(msg)
    app_url = service_url(settings)
    topic = events_topic(settings.kafka_topic_prefix)
    records = Records(eventsourcing_env(app_url, create_table=False, pool_size=3))
    producer_settings = ProducerSettings(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        client_id=f"{settings.kafka_topic_prefix}-relay",
        linger_ms=settings.relay_linger_ms,
        batch_size=settings.relay_batch_size_bytes,
        compression=settings.relay_compression,
        delivery_timeout_ms=settings.relay_delivery_timeout_ms,
        request_timeout_ms=settings.relay_request_timeout_ms,
        bootstrap_timeout_ms=settings.relay_bootstrap_timeout_ms,
        reconnect_backoff_max_ms=settings.relay_reconnect_backoff_max_ms,
    )
    options = RelayOptions(
        batch_max_events=settings.relay_batch_max_events,
        batch_max_wait=settings.relay_batch_max_wait_ms / 1000,
        # Just past the delivery timeout: by then the producer has failed every record it could
        # not deliver, so a longer wait would only idle (it once idled 10 s more, after outages).
        flush_timeout=settings.relay_delivery_timeout_ms / 1000 + FLUSH_MARGIN_SECONDS,
        retry_initial=settings.relay_retry_initial_seconds,
        retry_max=settings.relay_retry_max_seconds,
    )
    return relay_class(
        records,
        CheckpointStore(app_url, topic),
        lambda: Publisher(producer_settings, topic),
        options,
    )


def run_relay(relay: Relay) -> None:
    """Runs until :meth:`Relay.stop` (e.g. from a SIGTERM handler), then releases everything."""
    try:
        relay.run()
    finally:
        relay.close()
