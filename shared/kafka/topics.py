"""The platform's Kafka topics, in one place: names, partitions, retention, durability.

``{prefix}.events`` carries every stored event as an envelope (docs/events.md), keyed by aggregate
id. It is the replayable history of the platform, so it is never compacted and never expires:
a new projector, or a new version of a projection, reads it from offset 0.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from kafka import KafkaAdminClient
from kafka.errors import (
    InvalidPartitionsError,
    InvalidReplicationFactorError,
    TopicAlreadyExistsError,
)

from shared.errors import NguonError
from shared.wire.topics import events_topic

log = logging.getLogger(__name__)

EVENTS_PARTITIONS = 6
"""Projectors scale out to this many consumers; more partitions may be added, never fewer."""

MAX_MESSAGE_BYTES = 4 * 1024 * 1024
"""The largest record batch the topic accepts; the producer's ``max_request_size`` matches."""


class TopicRefused(NguonError):
    """The cluster will not create a topic as asked (say, more replicas than brokers)."""


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    replication_factor: int
    config: dict[str, str] = field(default_factory=dict)


def topic_specs(
    prefix: str, replication_factor: int = 1, partitions: int = EVENTS_PARTITIONS
) -> list[TopicSpec]:
    """Every topic the platform uses. A single test broker has one replica; production three."""
    if partitions < 1 or replication_factor < 1:
        msg = "a topic needs at least one partition and one replica"
        raise TopicRefused(msg)
    return [
        TopicSpec(
            name=events_topic(prefix),
            partitions=partitions,
            replication_factor=replication_factor,
            config={
                "cleanup.policy": "delete",
                "retention.ms": "-1",  # the replayable history: never expires
                "retention.bytes": "-1",
                # With acks=all, a write needs this many replicas: 2 of 3 in production.
                "min.insync.replicas": str(min(2, replication_factor)),
                "unclean.leader.election.enable": "false",
                "message.timestamp.type": "CreateTime",
                # Room for the relay's 1 MiB producer batches (and the producer's 4 MiB cap),
                # above the broker's 1 MiB default.
                "max.message.bytes": str(MAX_MESSAGE_BYTES),
            },
        )
    ]


def ensure_topics(
    bootstrap_servers: str,
    prefix: str,
    *,
    replication_factor: int = 1,
    partitions: int = EVENTS_PARTITIONS,
    timeout_ms: int = 30_000,
) -> list[str]:
    """Creates the platform's topics if they are missing; idempotent. Returns their names.

    A topic that exists already is left as it is (its partitions and replicas included).
    """
    specs = topic_specs(prefix, replication_factor, partitions)
    admin = KafkaAdminClient(
        bootstrap_servers=bootstrap_servers,
        client_id=f"{prefix}-topics",
        request_timeout_ms=timeout_ms,
    )
    try:
        for spec in specs:
            _create(admin, spec, timeout_ms)
    finally:
        admin.close()
    return [spec.name for spec in specs]


def _create(admin: KafkaAdminClient, spec: TopicSpec, timeout_ms: int) -> None:
    request = {
        spec.name: {
            "num_partitions": spec.partitions,
            "replication_factor": spec.replication_factor,
            "configs": spec.config,
        }
    }
    try:
        admin.create_topics(request, timeout_ms=timeout_ms, wait_for_metadata=True)
    except TopicAlreadyExistsError:
        log.info("topic %s already exists: left as it is", spec.name)
    except (InvalidReplicationFactorError, InvalidPartitionsError) as error:
        msg = (
            f"Kafka refused {spec.name} with {spec.partitions} partitions and replication factor"
            f" {spec.replication_factor}: {error}; the replication factor may not exceed the"
            " number of brokers"
        )
        raise TopicRefused(msg) from error
    else:
        log.info("created topic %s (%d partitions)", spec.name, spec.partitions)
