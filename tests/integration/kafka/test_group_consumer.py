"""The projector's consumer-group member against the real broker: how it joins, and how it
leaves a rebalance that does not end."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import defaultdict

import pytest
from kafka import KafkaConsumer, KafkaProducer

from shared.kafka.consumer import ConsumerSettings, GroupConsumer, Message
from shared.kafka.topics import ensure_topics

PARTITIONS = 6


@pytest.fixture
def topic(kafka_bootstrap_servers: str) -> str:
    [name] = ensure_topics(
        kafka_bootstrap_servers, f"consumer-{uuid.uuid4().hex[:10]}", partitions=PARTITIONS
    )
    return name


def _publish(bootstrap: str, topic: str, count: int, tag: str) -> None:
    producer = KafkaProducer(bootstrap_servers=bootstrap)
    try:
        for i in range(count):
            producer.send(topic, key=f"{tag}-{i}".encode(), value=f"{tag}-{i}".encode())
        producer.flush(timeout=30)
    finally:
        producer.close()


class _Store:
    """Stands for the read models: what was applied, and the next offset of each partition."""

    def __init__(self) -> None:
        self.applied: list[bytes | None] = []
        self.next_offsets: dict[int, int] = {}

    def start_offsets(self, _topic: str) -> dict[int, int]:
        return dict(self.next_offsets)

    def apply(self, messages: list[Message]) -> None:
        for message in messages:
            if message.offset < self.next_offsets.get(message.partition, 0):
                continue  # what a replayed record does to the read models: nothing
            self.applied.append(message.value)
            self.next_offsets[message.partition] = message.offset + 1


def _consume_until(consumer: GroupConsumer, store: _Store, count: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while len(store.applied) < count and time.monotonic() < deadline:
        store.apply(consumer.poll(0.2))


def _joins(caplog: pytest.LogCaptureFixture, group: str) -> int:
    return sum(
        1
        for r in caplog.records
        if r.getMessage().startswith(f"Successfully joined group {group} ")
    )


@pytest.fixture
def coordinator_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="kafka.coordinator")
    caplog.set_level(logging.INFO, logger="shared.kafka")
    return caplog


def test_a_new_member_of_a_new_topic_joins_its_group_once(
    kafka_bootstrap_servers: str, topic: str, coordinator_log: pytest.LogCaptureFixture
) -> None:
    # It used to join twice: a second rebalance right after the first (which once, on a loaded
    # machine, never finished) because the first assignment was made without the topic's metadata.
    _publish(kafka_bootstrap_servers, topic, 12, "a")
    group = f"consumer-{uuid.uuid4().hex[:10]}"
    store = _Store()
    consumer = GroupConsumer(
        ConsumerSettings(kafka_bootstrap_servers, group), topic, store.start_offsets
    )
    try:
        _consume_until(consumer, store, 12, 30)
        # Long enough for the metadata refresh that used to force the second rebalance.
        quiet_until = time.monotonic() + 2
        while time.monotonic() < quiet_until:
            store.apply(consumer.poll(0.2))
        assert len(store.applied) == 12
        assert consumer.assignment() == set(range(PARTITIONS))
        assert _joins(coordinator_log, group) == 1
    finally:
        consumer.close()


def test_a_member_stuck_in_a_rebalance_joins_again_and_loses_and_repeats_nothing(
    kafka_bootstrap_servers: str, topic: str, coordinator_log: pytest.LogCaptureFixture
) -> None:
    _publish(kafka_bootstrap_servers, topic, 12, "before")
    group = f"consumer-{uuid.uuid4().hex[:10]}"
    store = _Store()
    settings = ConsumerSettings(
        kafka_bootstrap_servers,
        group,
        session_timeout_ms=6_000,
        heartbeat_interval_ms=1_000,
        rebalance_stall_ms=2_000,
    )
    member = GroupConsumer(settings, topic, store.start_offsets)
    # A second member that joins once and then stops polling: the next rebalance waits for it
    # (up to its max poll interval) and so never ends for the first member.
    idle = KafkaConsumer(
        bootstrap_servers=kafka_bootstrap_servers,
        group_id=group,
        enable_auto_commit=False,
        session_timeout_ms=6_000,
        heartbeat_interval_ms=1_000,
        max_poll_interval_ms=120_000,
    )
    newcomer: KafkaConsumer | None = None
    try:
        _consume_until(member, store, 12, 30)
        idle.subscribe([topic])
        joined = time.monotonic() + 30
        while not idle.assignment() and time.monotonic() < joined:
            idle.poll(timeout_ms=200)
            store.apply(member.poll(0.2))
        assert idle.assignment(), "the idle member never joined"
        # A third member arrives: a rebalance starts that the idle member will not answer.
        newcomer = KafkaConsumer(
            bootstrap_servers=kafka_bootstrap_servers,
            group_id=group,
            enable_auto_commit=False,
            session_timeout_ms=6_000,
            heartbeat_interval_ms=1_000,
        )
        newcomer.subscribe([topic])
        arriving = threading.Thread(target=newcomer.poll, kwargs={"timeout_ms": 4_000})
        arriving.start()
        stalled_until = time.monotonic() + 30
        while member.replaced_members == 0 and time.monotonic() < stalled_until:
            store.apply(member.poll(0.2))
        assert member.replaced_members >= 1
        assert any(
            "rebalancing for" in r.getMessage() and r.levelno == logging.WARNING
            for r in coordinator_log.records
        )
        arriving.join()
    finally:
        idle.close(autocommit=False)
        if newcomer is not None:
            newcomer.close(autocommit=False)
    try:
        _publish(kafka_bootstrap_servers, topic, 12, "after")
        _consume_until(member, store, 24, 60)
        by_tag: dict[str, int] = defaultdict(int)
        for value in store.applied:
            assert value is not None
            by_tag[value.decode().rsplit("-", 1)[0]] += 1
        assert sorted(v or b"" for v in store.applied) == sorted(
            {f"{tag}-{i}".encode() for tag in ("before", "after") for i in range(12)}
        )
        assert dict(by_tag) == {"before": 12, "after": 12}
    finally:
        member.close()
