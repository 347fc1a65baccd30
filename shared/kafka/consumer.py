"""A consumer-group consumer whose positions come from the database, not from Kafka.

Auto-commit is off. When the group assigns partitions to this member, a rebalance listener asks
the caller where each partition really stands (the offsets stored with the read models, in the
same transaction as their changes) and seeks there; a partition the database has never seen
starts at the beginning of the log. Offsets committed to Kafka afterwards are only a hint for
tools that watch consumer lag.

Because positions live in the database, a member can always be replaced by a fresh one with
nothing lost or applied twice; the consumer does so, loudly, when a rebalance of its group has
not finished within ``rebalance_stall_ms`` (see :class:`RebalanceWatch`).
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
    # A healthy rebalance of projectors that poll every fraction of a second ends within a few
    # seconds (one session timeout when a member died); one still running after this is stuck.
    rebalance_stall_ms: int = 30_000


class RebalanceWatch:
    """Tells when this member's group has been rebalancing for longer than ``limit_seconds``.

    Once, in a loaded test run, a member was rebalanced into a generation whose assignment never
    arrived, and it polled nothing until it was stopped. A stalled join is not something the
    consumer can wait out, so the caller replaces the member.
    """

    def __init__(self, limit_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit_seconds = limit_seconds
        self._clock = clock
        self._since: float | None = None

    def stalled(self, *, stable: bool) -> bool:
        now = self._clock()
        if stable:
            self._since = None
            return False
        if self._since is None:
            self._since = now
        return now - self._since > self.limit_seconds

    def seconds_unstable(self) -> float:
        return 0.0 if self._since is None else self._clock() - self._since


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
        self.replaced_members = 0
        """How many times a stalled member was replaced by a fresh one (see RebalanceWatch)."""
        self._settings = settings
        self._start_offsets = start_offsets
        self._watch = RebalanceWatch(settings.rebalance_stall_ms / 1000)
        self._consumer: KafkaConsumer | None = self._join()

    def _join(self) -> KafkaConsumer:
        settings = self._settings
        try:
            consumer = KafkaConsumer(
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
        # Subscribe first, then learn the partitions: the metadata fetch then already concerns
        # the subscribed topic, so the first assignment is made with the partitions known. The
        # other order made every new member join twice (its first assignment was computed from
        # metadata without the topic, and the next refresh forced a second rebalance).
        consumer.subscribe([self.topic], listener=_SeekToDatabase(consumer, self._start_offsets))
        self._await_partitions(consumer, settings.bootstrap_timeout_ms / 1000)
        return consumer

    def _await_partitions(self, consumer: KafkaConsumer, timeout_seconds: float) -> None:
        """Joins the group only once this member knows the topic's partitions.

        A member that joins right after the topic was created may not have its partitions in
        its metadata yet: the group then assigns it nothing, and it would idle until the next
        metadata refresh (minutes) while events pile up unprojected.
        """
        deadline = time.monotonic() + timeout_seconds
        while not consumer.partitions_for_topic(self.topic):
            if time.monotonic() > deadline:
                msg = f"topic {self.topic} has no partitions: run `nguon kafka init` first"
                raise ConsumerFailed(msg)
            time.sleep(0.1)  # bounded: metadata of a just-created topic arrives in milliseconds

    def poll(self, timeout_seconds: float, max_records: int | None = None) -> list[Message]:
        """The next records, in offset order within each partition (partitions interleaved)."""
        consumer = self._consumer or self._rejoin_after_replacement(timeout_seconds)
        if consumer is None:
            return []
        try:
            fetched: dict[Any, list[Any]] = consumer.poll(
                timeout_ms=int(timeout_seconds * 1000), max_records=max_records
            )
        except KafkaError as error:
            raise ConsumerFailed(f"poll of {self.topic} failed: {error!r}") from error
        if not fetched and self._watch.stalled(stable=not self._in_a_rebalance(consumer)):
            self._replace_stalled_member()
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
        if self._consumer is None:
            raise CommitRejected(f"{self.topic} {next_offsets}: the member is joining again")
        try:
            self._consumer.commit(offsets)
        except CommitFailedError as error:
            raise CommitRejected(f"{self.topic} {next_offsets}: {error!r}") from error
        except KafkaError as error:
            raise CommitRejected(f"{self.topic} {next_offsets}: {error!r}") from error

    @staticmethod
    def _in_a_rebalance(consumer: KafkaConsumer) -> bool:
        """Joining or syncing with a coordinator it can reach (a broker outage is not a stall:
        the client waits it out by itself, and a fresh member could not even bootstrap)."""
        # kafka-python offers no public view of the member's state, only its coordinator's
        # (MemberState.STABLE once joined and synced). Without those attributes, report no
        # rebalance: the watch then never replaces a member rather than replacing healthy ones.
        coordinator = getattr(consumer, "_coordinator", None)
        state = getattr(coordinator, "state", None)
        if coordinator is None or state is None:
            return False
        if str(getattr(state, "name", state)).upper() == "STABLE":
            return False
        return not coordinator.coordinator_unknown()

    def _replace_stalled_member(self) -> None:
        """Leaves the group and joins again as a new member; the database says where to resume."""
        log.warning(
            "consumer group %s of %s has been rebalancing for %.0f s (more than %.0f s): leaving"
            " it and joining again as a new member; partitions resume at the offsets stored"
            " with the read models, so nothing is lost or applied twice",
            self._settings.group_id,
            self.topic,
            self._watch.seconds_unstable(),
            self._watch.limit_seconds,
        )
        # Briefly: the stuck member's join is still in flight, and waiting on it is what not to do.
        self.close(timeout_ms=2_000)
        self._consumer = None
        self.replaced_members += 1
        self._watch = RebalanceWatch(self._watch.limit_seconds)
        self._rejoin_after_replacement(0)

    def _rejoin_after_replacement(self, pause_seconds: float) -> KafkaConsumer | None:
        try:
            self._consumer = self._join()
        except ConsumerFailed:
            log.warning(
                "consumer of %s could not join again yet; retrying", self.topic, exc_info=True
            )
            time.sleep(pause_seconds)  # the caller's poll timeout: what a poll would have waited
        return self._consumer

    def assignment(self) -> set[int]:
        if self._consumer is None:
            return set()
        return {tp.partition for tp in self._consumer.assignment() if tp.topic == self.topic}

    def close(self, timeout_ms: int | None = None) -> None:
        if self._consumer is None:
            return
        try:
            # Bounded: a member leaving a stuck group must not hang on it.
            timeout_ms = self._settings.request_timeout_ms if timeout_ms is None else timeout_ms
            self._consumer.close(autocommit=False, timeout_ms=timeout_ms)
        except KafkaError:
            log.warning("consumer of %s did not close cleanly", self.topic, exc_info=True)
