"""``nguon kafka init`` (``ensure_topics``) against the real broker."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType
from typer.testing import CliRunner

from services.platform.cli import app
from shared.kafka.topics import EVENTS_PARTITIONS, ensure_topics, topic_specs
from shared.wire.topics import events_topic

pytestmark = pytest.mark.kafka


@pytest.fixture
def admin(kafka_bootstrap_servers: str) -> Iterator[KafkaAdminClient]:
    client = KafkaAdminClient(bootstrap_servers=kafka_bootstrap_servers)
    yield client
    client.close()


def test_the_events_topic_is_created_once_with_its_partitions_and_unlimited_retention(
    kafka_bootstrap_servers: str, admin: KafkaAdminClient
) -> None:
    prefix = f"nguon-test-{uuid.uuid4().hex}"
    topic = events_topic(prefix)
    try:
        assert ensure_topics(kafka_bootstrap_servers, prefix) == [topic]
        assert ensure_topics(kafka_bootstrap_servers, prefix) == [topic]  # idempotent

        (described,) = admin.describe_topics([topic])
        configs = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
    finally:
        admin.delete_topics([topic])

    assert len(described["partitions"]) == EVENTS_PARTITIONS
    values = {k: v["value"] for k, v in configs["topic"][topic].items()}
    (spec,) = topic_specs(prefix)
    assert {k: values[k] for k in spec.config} == spec.config
    assert values["retention.ms"] == "-1"


def test_nguon_kafka_init_creates_the_partitions_and_replicas_asked_for(
    kafka_bootstrap_servers: str, admin: KafkaAdminClient
) -> None:
    prefix = f"nguon-test-{uuid.uuid4().hex}"
    topic = events_topic(prefix)
    env = {
        "NGUON_KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap_servers,
        "NGUON_KAFKA_TOPIC_PREFIX": prefix,
    }
    try:
        result = CliRunner().invoke(
            app, ["kafka", "init", "--partitions", "2", "--replication-factor", "1"], env=env
        )
        (described,) = admin.describe_topics([topic])
    finally:
        admin.delete_topics([topic])

    assert result.exit_code == 0, result.output
    assert topic in result.stdout
    assert len(described["partitions"]) == 2
    assert all(len(p["replica_nodes"]) == 1 for p in described["partitions"])


def test_a_replication_factor_the_cluster_cannot_hold_is_a_clear_error(
    kafka_bootstrap_servers: str, admin: KafkaAdminClient
) -> None:
    prefix = f"nguon-test-{uuid.uuid4().hex}"
    env = {
        "NGUON_KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap_servers,
        "NGUON_KAFKA_TOPIC_PREFIX": prefix,
    }
    result = CliRunner().invoke(app, ["kafka", "init", "--replication-factor", "3"], env=env)

    assert result.exit_code == 2
    assert "may not exceed the number of brokers" in result.stderr
    assert "Traceback" not in result.output
    assert events_topic(prefix) not in admin.list_topics()
