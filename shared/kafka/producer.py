"""An idempotent, ordered, throughput-minded producer to one topic.

Delivery settings the relay relies on (kafka-python 3.0.x):

- ``enable_idempotence=True`` set explicitly, so a conflicting setting raises instead of quietly
  turning idempotence off; ``acks="all"``; ``retries`` left unbounded within
  ``delivery_timeout_ms``; at most 5 requests in flight per connection, which with idempotence
  keeps each partition in order (the broker refuses a sequence gap instead of reordering).
- Throughput comes from batching: records wait up to ``linger_ms`` to fill ``batch_size`` bytes
  per partition, and each batch is compressed once.
- Keys are hashed with Kafka's own murmur2 partitioner (the Java client's), cached per key.
- Reconnecting backs off exponentially only up to ``reconnect_backoff_max_ms`` (1 s, not
  kafka-python's 30 s): after a long outage the backoff has grown to its ceiling, and that ceiling
  is how long a producer may sleep after the broker answers again.

Errors are translated into :class:`PublishFailed` and :class:`BrokerUnavailable` so callers never
import ``kafka``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from kafka import KafkaProducer
from kafka.codec import has_lz4, has_zstd
from kafka.errors import (
    ClusterAuthorizationFailedError,
    InvalidRecordError,
    KafkaError,
    MessageSizeTooLargeError,
    RecordListTooLargeError,
    TopicAuthorizationFailedError,
)
from kafka.partitioner.default import murmur2

from shared.errors import NguonError
from shared.kafka.topics import MAX_MESSAGE_BYTES

log = logging.getLogger(__name__)


_PERMANENT = (
    MessageSizeTooLargeError,
    RecordListTooLargeError,
    InvalidRecordError,
    TopicAuthorizationFailedError,
    ClusterAuthorizationFailedError,
)


class BrokerUnavailable(NguonError):
    """No broker could be reached to start a producer: retry later."""


class PublishFailed(NguonError):
    """A record was not acknowledged; nothing after it may be considered published."""

    def __init__(self, topic: str, partition: int | None, index: int, cause: BaseException):
        super().__init__(
            f"record {index} of the batch to {topic} partition {partition} was not"
            f" acknowledged: {cause!r}"
        )
        self.topic = topic
        self.partition = partition
        self.index = index
        self.cause = cause
        self.transient = not isinstance(cause, _PERMANENT)
        """False for what no new attempt mends (a record too large, no authorization).

        Producer-state errors (sequence, epoch) count as transient: a new producer mends them.
        """


class Acknowledged(NamedTuple):
    partition: int
    offset: int


@dataclass(frozen=True)
class ProducerSettings:
    bootstrap_servers: str
    client_id: str = "nguon-relay"
    linger_ms: int = 20
    batch_size: int = 1024 * 1024
    compression: str = "auto"  # "auto": lz4 if installed, else zstd, else gzip; or "none"
    delivery_timeout_ms: int = 30_000
    request_timeout_ms: int = 10_000
    max_in_flight_requests_per_connection: int = 5
    bootstrap_timeout_ms: int = 10_000
    reconnect_backoff_ms: int = 50
    reconnect_backoff_max_ms: int = 1_000


def compression_type(choice: str) -> str | None:
    """``auto`` prefers lz4 (cheap on CPU), then zstd, then gzip (standard library only)."""
    if choice == "none":
        return None
    if choice != "auto":
        return choice
    if has_lz4():
        return "lz4"
    if has_zstd():
        return "zstd"
    return "gzip"


class Publisher:
    """Sends keyed records to one topic and reports where each one was acknowledged."""

    def __init__(self, settings: ProducerSettings, topic: str) -> None:
        self.topic = topic
        self.compression = compression_type(settings.compression)
        try:
            self._producer = KafkaProducer(
                bootstrap_servers=settings.bootstrap_servers,
                client_id=settings.client_id,
                enable_idempotence=True,
                acks="all",
                linger_ms=settings.linger_ms,
                batch_size=settings.batch_size,
                compression_type=self.compression,
                delivery_timeout_ms=settings.delivery_timeout_ms,
                request_timeout_ms=settings.request_timeout_ms,
                max_in_flight_requests_per_connection=(
                    settings.max_in_flight_requests_per_connection
                ),
                bootstrap_timeout_ms=settings.bootstrap_timeout_ms,
                reconnect_backoff_ms=settings.reconnect_backoff_ms,
                reconnect_backoff_max_ms=settings.reconnect_backoff_max_ms,
                max_block_ms=settings.bootstrap_timeout_ms,
                max_request_size=MAX_MESSAGE_BYTES,
                allow_auto_create_topics=False,
            )
        except KafkaError as error:
            raise BrokerUnavailable(f"{settings.bootstrap_servers}: {error!r}") from error
        self._partitions = self._partition_count()

    def _partition_count(self) -> int:
        try:
            partitions = self._producer.partitions_for(self.topic)
        except KafkaError as error:
            self.close(0)
            raise BrokerUnavailable(f"no metadata for topic {self.topic}: {error!r}") from error
        if not partitions:
            self.close(0)
            msg = f"topic {self.topic} does not exist: create it with `nguon kafka init`"
            raise BrokerUnavailable(msg)
        return len(partitions)

    def partition_for(self, key: bytes) -> int:
        return _partition(key, self._partitions)

    def publish(self, records: Sequence[tuple[bytes, bytes]], timeout: float) -> list[Acknowledged]:
        """Sends ``(key, value)`` records in order, flushes, and checks every acknowledgement.

        Raises :class:`PublishFailed` naming the first record that was not acknowledged.
        """
        futures: list[Any] = []
        try:
            for key, value in records:
                futures.append(
                    self._producer.send(
                        self.topic, value=value, key=key, partition=self.partition_for(key)
                    )
                )
            self._producer.flush(timeout=timeout)
        except KafkaError as error:
            index = len(futures)
            partition = self.partition_for(records[index][0]) if index < len(records) else None
            raise PublishFailed(self.topic, partition, index, error) from error
        return [self._acknowledged(index, future) for index, future in enumerate(futures)]

    def _acknowledged(self, index: int, future: Any) -> Acknowledged:
        try:
            metadata = future.get(timeout=0)
        except KafkaError as error:
            raise PublishFailed(self.topic, _partition_of(future), index, error) from error
        return Acknowledged(metadata.partition, metadata.offset)

    def close(self, timeout: float = 10.0) -> None:
        """``timeout=0`` abandons whatever is still buffered (the caller will send it again)."""
        try:
            self._producer.close(timeout=timeout)
        except KafkaError:
            log.warning("producer to %s did not close cleanly", self.topic, exc_info=True)


def _partition_of(future: Any) -> int | None:
    topic_partition = getattr(future, "_produce_future", None)
    topic_partition = getattr(topic_partition, "topic_partition", None)
    return getattr(topic_partition, "partition", None)


@lru_cache(maxsize=200_000)
def _partition(key: bytes, partitions: int) -> int:
    # The same partition the Java client and kafka-python's DefaultPartitioner choose.
    return int(murmur2(key) & 0x7FFFFFFF) % partitions
