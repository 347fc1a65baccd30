"""Builders of a realistic history: cooperatives, an enterprise, plots, and batches that move.

Shared by the relay and projector tests (``from relay.scenario import ...``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import date
from uuid import UUID

from kafka import KafkaConsumer, TopicPartition

from shared.domain.quantities import Quantity
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.records.results import BatchResult, CooperativeResult, EnterpriseResult, PlotResult
from tests.builders import (
    a_certification_command,
    a_cooperative_command,
    a_plot_command,
    an_enterprise_command,
)
from tests.eventually import eventually

STAFF = Actor(Role.PROVINCE)


def a_cooperative_with_plots(records: Records, plots: int = 2) -> tuple[UUID, list[UUID]]:
    registration = f"2801-{uuid.uuid4().hex[:10]}"
    outcome = records.execute(
        STAFF,
        [
            a_cooperative_command(
                name="HTX Nông nghiệp Thiệu Trung", registration_number=registration
            )
        ],
    )
    cooperative = outcome.result(CooperativeResult).cooperative_id
    records.execute(
        STAFF,
        [a_certification_command(cooperative, certificate=f"VG-{registration}")],
    )
    actor = Actor(Role.COOPERATIVE, cooperative)
    outcome = records.execute(
        actor,
        [
            a_plot_command(
                cooperative,
                location={"type": "Point", "coordinates": [105.68 + i / 100, 19.9]},
            )
            for i in range(plots)
        ],
    )
    return cooperative, [r.plot_id for r in outcome.results if isinstance(r, PlotResult)]


def an_enterprise(records: Records) -> UUID:
    tax_code = str(uuid.uuid4().int)[:10]
    outcome = records.execute(
        STAFF,
        [
            an_enterprise_command(
                name="Công ty CP Gạo Thanh Hóa", tax_code=tax_code, address="12 Lê Lợi"
            )
        ],
    )
    enterprise = outcome.result(EnterpriseResult).enterprise_id
    records.execute(
        STAFF,
        [
            a_certification_command(
                enterprise,
                scheme="organic",
                certificate=f"ORG-{tax_code}",
                valid_from=date(2025, 6, 1),
                valid_until=None,
            )
        ],
    )
    return enterprise


def harvests(
    records: Records, cooperative: UUID, plots: list[UUID], enterprise: UUID, batches: int
) -> int:
    """``batches`` batches harvested, dried, shipped and received; returns the last position."""
    grower = Actor(Role.COOPERATIVE, cooperative)
    buyer = Actor(Role.ENTERPRISE, enterprise)
    position = 0
    for i in range(batches):
        ref = f"h{i}"
        outcome = records.execute(
            grower,
            [
                c.HarvestBatch(
                    plot_ids=[plots[i % len(plots)]],
                    commodity="lúa",
                    quantity=Quantity.positive("1000", "kg"),
                    harvested_on=date(2026, 10, 1),
                    variety="Nếp cái hoa vàng",
                    ref=ref,
                ),
                c.ProcessBatch(
                    batch=f"${ref}",
                    step="drying",
                    facility="Sân phơi HTX",
                    quantity_after=Quantity.positive("905.5", "kg"),
                ),
                c.ShipBatch(batch=f"${ref}", to=enterprise, transport_document=f"VD-{i}"),
            ],
        )
        code = outcome.result(BatchResult).code
        position = records.execute(
            buyer,
            [
                c.ReceiveBatch(batch=code, quantity=Quantity.positive("905.5", "kg")),
            ],
        ).position
    return position


def a_history(records: Records, batches: int = 10) -> int:
    """Two cooperatives and an enterprise trading: every aggregate type; the last position."""
    enterprise = an_enterprise(records)
    position = 0
    for _ in range(2):
        cooperative, plots = a_cooperative_with_plots(records)
        position = harvests(records, cooperative, plots, enterprise, batches // 2)
    return position


def read_topic(
    bootstrap_servers: str, topic: str, expected: int, timeout: float = 30.0
) -> list[tuple[int, int, bytes, dict[str, object]]]:
    """Every message of ``topic`` from the start: (partition, offset, key, envelope as JSON)."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap_servers, enable_auto_commit=False)
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic)]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        messages: list[tuple[int, int, bytes, dict[str, object]]] = []

        def read_enough() -> bool:
            for records in consumer.poll(timeout_ms=500).values():
                messages.extend(
                    (r.partition, r.offset, r.key, json.loads(r.value)) for r in records
                )
            return len(messages) >= expected

        eventually(
            read_enough,
            within=timeout,
            what=lambda: f"{expected} messages read from {topic} (read {len(messages)})",
        )
        return sorted(messages, key=lambda m: (m[0], m[1]))
    finally:
        consumer.close()


def end_offsets(bootstrap_servers: str, topic: str) -> dict[int, int]:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap_servers, enable_auto_commit=False)
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic)]
        return {tp.partition: offset for tp, offset in consumer.end_offsets(partitions).items()}
    finally:
        consumer.close()


def by_position(messages: list[tuple[int, int, bytes, dict[str, object]]]) -> Iterator[int]:
    for message in messages:
        position = message[3]["position"]
        assert isinstance(position, int)
        yield position
