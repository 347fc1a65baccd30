from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest
from kafka import KafkaAdminClient

from services.relay.relay import Relay, build_relay
from services.relay.settings import RelaySettings
from shared.database import prepare
from shared.kafka.topics import ensure_topics
from shared.postgres.urls import eventsourcing_env
from shared.records.application import Records
from shared.wire.topics import events_topic
from tests.databases import on_database
from tests.running import Running, running


@pytest.fixture
def topic_prefix(kafka_bootstrap_servers: str) -> Iterator[str]:
    """A prefix of this test's own; its events topic is created as production creates it."""
    prefix = f"nguon-test-{uuid.uuid4().hex}"
    ensure_topics(kafka_bootstrap_servers, prefix)
    yield prefix
    admin = KafkaAdminClient(bootstrap_servers=kafka_bootstrap_servers)
    try:
        admin.delete_topics([events_topic(prefix)])
    finally:
        admin.close()


@pytest.fixture
def relay_settings(
    fresh_database_admin_url: str, kafka_bootstrap_servers: str, topic_prefix: str
) -> RelaySettings:
    return RelaySettings(
        **on_database(fresh_database_admin_url),
        kafka_bootstrap_servers=kafka_bootstrap_servers,
        kafka_topic_prefix=topic_prefix,
    )


@pytest.fixture
def records(relay_settings: RelaySettings) -> Iterator[Records]:
    urls = prepare(relay_settings)
    app = Records(eventsourcing_env(urls.app, create_table=False))
    yield app
    app.close()


RunningRelay = Callable[..., AbstractContextManager[Running[Relay]]]


@pytest.fixture
def running_relay(relay_settings: RelaySettings) -> RunningRelay:
    """``with running_relay() as running:`` a real relay in a thread, stopped and joined after."""

    def run(relay_class: type[Relay] = Relay) -> AbstractContextManager[Running[Relay]]:
        return running(build_relay(relay_settings, relay_class), "test-relay")

    return run
