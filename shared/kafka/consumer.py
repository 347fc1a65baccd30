"""A consumer-group consumer whose positions come from the database, not from Kafka.

Auto-commit is off. When the group assigns partitions to this member, a rebalance listener asks
the caller where each partition really stands (the offsets stored with the read models, in the
same transaction as their changes) and seeks there; a partition the database has never seen
starts at the beginning of the log. Offsets committed to Kafka afterwards are only a hint for
tools that watch consumer lag.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from kafka import KafkaConsumer, TopicPartition
from kafka.consumer.subscription_state import ConsumerRebalanceListener
from kafka.errors import CommitFailedError, KafkaError
from kafka.structs import OffsetAndMetadata

from shared.errors import NguonError

log = logging.getLogger(__name__)

StartOffsets = Callable[[str], dict[int, int]]
"""Given a topic, the next offset to read for each partition the database knows."""


class ConsumerFailed(NguonError):
    """The consumer could not poll (broker unreachable, group error): the caller decides."""


class CommitRejected(NguonError):
    """Kafka refused an offset commit, e.g. because the group rebalanced meanwhile."""


class Message(NamedTuple):
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None


@dataclass(frozen=True)
class ConsumerSettings:
    bootstrap_servers: str
    group_id: str
    client_id: str = "nguon-projector"
    max_poll_records: int = 2_000
    fetch_max_wait_ms: int = 100
    session_timeout_ms: int = 10_000
    heartbeat_interval_ms: int = 3_000
    max_poll_interval_ms: int = 300_000
    request_timeout_ms: int = 30_000
    bootstrap_timeout_ms: int = 10_000


class _SeekToDatabase(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, consumer: KafkaConsumer, start_offsets: StartOffsets) -> None:
        self._consumer = consumer
        self._start_offsets = start_offsets

    def on_partitions_assigned(self, assigned: Iterable[TopicPartition]) -> None:
        by_topic: dict[str, dict[int, int]] = {}
        for tp in sorted(assigned):
            if tp.topic not in by_topic:
                by_topic[tp.topic] = self._start_offsets(tp.topic)
            offset = by_topic[tp.topic].get(tp.partition)
            if offset is None:
                self._consumer.seek_to_beginning(tp)
            else:
                self._consumer.seek(tp, offset)
            log.info(
                "assigned %s[%d]: resuming at %s (from the database)",
                tp.topic,
                tp.partition,
                "the beginning" if offset is None else offset,
            )

    def on_partitions_revoked(self, revoked: Iterable[TopicPartition]) -> None:
        # Nothing to save: every applied batch already stored its offsets with the read models.
        log.info("revoked %s", sorted((tp.topic, tp.partition) for tp in revoked))


class GroupConsumer:
    def __init__(self, settings: ConsumerSettings, topic: str, start_offsets: StartOffsets) -> None:
        self.topic = topic
        try:
            self._consumer = KafkaConsumer(
                bootstrap_servers=settings.bootstrap_servers,
                group_id=settings.group_id,
                client_id=settings.client_id,
                enable_auto_commit=False,
                auto_offset_reset="earliest",
                max_poll_records=settings.max_poll_records,
                fetch_max_wait_ms=settings.fetch_max_wait_ms,
                session_timeout_ms=settings.session_timeout_ms,
                heartbeat_interval_ms=settings.heartbeat_interval_ms,
                max_poll_interval_ms=settings.max_poll_interval_ms,
                request_timeout_ms=settings.request_timeout_ms,
                bootstrap_timeout_ms=settings.bootstrap_timeout_ms,
                allow_auto_create_topics=False,
                isolation_level="read_committed",
            )
        except KafkaError as error:
            msg = f"cannot reach {settings.bootstrap_servers}: {error!r}"
            raise ConsumerFailed(msg) from error
        self._await_partitions(settings.bootstrap_timeout_ms / 1000)
        self._consumer.subscribe([topic], listener=_SeekToDatabase(self._consumer, start_offsets))

    def _await_partitions(self, timeout_seconds: float) -> None:
        """Joins the group only once this member knows the topic's partitions.

        A member that joins right after the topic was created may not have its partitions in
        its metadata yet: the group then assigns it nothing, and it would idle until the next
        metadata refresh (minutes) while events pile up unprojected.
        """
        deadline = time.monotonic() + timeout_seconds
        while not self._consumer.partitions_for_topic(self.topic):
            if time.monotonic() > deadline:
                msg = f"topic {self.topic} has no partitions: run `nguon kafka init` first"
                raise ConsumerFailed(msg)
            time.sleep(0.1)  # bounded: metadata of a just-created topic arrives in milliseconds

    def poll(self, timeout_seconds: float, max_records: int | None = None) -> list[Message]:
        """The next records, in offset order within each partition (partitions interleaved)."""
        try:
            fetched: dict[Any, list[Any]] = self._consumer.poll(
                timeout_ms=int(timeout_seconds * 1000), max_records=max_records
            )
        except KafkaError as error:
            raise ConsumerFailed(f"poll of {self.topic} failed: {error!r}") from error
        return [
            Message(r.topic, r.partition, r.offset, r.key, r.value)
            for tp in sorted(fetched)
            for r in fetched[tp]
        ]

    def commit(self, next_offsets: dict[int, int]) -> None:
        """Records ``{partition: next offset}`` in Kafka: a hint for lag monitoring only."""
        offsets = {
            TopicPartition(self.topic, partition): OffsetAndMetadata(offset, "", -1)
            for partition, offset in next_offsets.items()
        }
        try:
            self._consumer.commit(offsets)
        except CommitFailedError as error:
            raise CommitRejected(f"{self.topic} {next_offsets}: {error!r}") from error
        except KafkaError as error:
            raise CommitRejected(f"{self.topic} {next_offsets}: {error!r}") from error

    def assignment(self) -> set[int]:
        return {tp.partition for tp in self._consumer.assignment() if tp.topic == self.topic}

    def close(self) -> None:
        try:
            self._consumer.close(autocommit=False)
        except KafkaError:
            log.warning("consumer of %s did not close cleanly", self.topic, exc_info=True)
