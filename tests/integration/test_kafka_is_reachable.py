"""The test Kafka broker takes keyed messages and gives them back in order per key."""

from __future__ import annotations

from collections import defaultdict

import pytest
from kafka import KafkaConsumer, KafkaProducer

from tests.eventually import eventually

BATCHES = ("TH-2026-000001", "TH-2026-000002", "TH-2026-000003", "TH-2026-000004")
EVENTS_PER_BATCH = 5
CONSUME_DEADLINE_SECONDS = 30.0

pytestmark = pytest.mark.kafka


def _publish(bootstrap_servers: str, topic: str) -> None:
    producer = KafkaProducer(
        bootstrap_servers=bootstrap_servers, acks="all", enable_idempotence=True
    )
    try:
        futures = [
            producer.send(topic, key=batch.encode(), value=f"{batch}:{version}".encode())
            for version in range(EVENTS_PER_BATCH)
            for batch in BATCHES
        ]
        producer.flush(timeout=30)
        for future in futures:
            future.get(timeout=30)
    finally:
        producer.close(timeout=10)


def _consume_all(
    bootstrap_servers: str, topic: str, group_id: str, expected: int
) -> list[tuple[int, bytes, bytes]]:
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap_servers,
        group_id=group_id,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    received: list[tuple[int, bytes, bytes]] = []

    def received_enough() -> bool:
        for records in consumer.poll(timeout_ms=1000).values():
            received.extend((r.partition, r.key, r.value) for r in records)
        return len(received) >= expected

    try:
        eventually(
            received_enough,
            within=CONSUME_DEADLINE_SECONDS,
            what=lambda: f"{expected} messages consumed from {topic} (got {len(received)})",
        )
    finally:
        consumer.close()
    return received


def test_keyed_messages_come_back_in_order_per_key(
    kafka_bootstrap_servers: str, fresh_topic: str, fresh_consumer_group: str
) -> None:
    _publish(kafka_bootstrap_servers, fresh_topic)

    received = _consume_all(
        kafka_bootstrap_servers,
        fresh_topic,
        fresh_consumer_group,
        expected=len(BATCHES) * EVENTS_PER_BATCH,
    )

    values_by_key: dict[bytes, list[bytes]] = defaultdict(list)
    partitions_by_key: dict[bytes, set[int]] = defaultdict(set)
    for partition, key, value in received:
        values_by_key[key].append(value)
        partitions_by_key[key].add(partition)
    assert len(received) == len(BATCHES) * EVENTS_PER_BATCH
    assert values_by_key == {
        batch.encode(): [f"{batch}:{version}".encode() for version in range(EVENTS_PER_BATCH)]
        for batch in BATCHES
    }
    assert all(len(partitions) == 1 for partitions in partitions_by_key.values())
