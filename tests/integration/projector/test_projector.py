"""The projector's consumer group against the real broker and PostgreSQL."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import cast

import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.structs import OffsetAndMetadata

from services.projector.decoding import NewerSchema
from services.projector.settings import ProjectorSettings
from shared.readmodels.directory import Directory
from shared.readmodels.health import read_side_health
from shared.readmodels.projections import Projections
from shared.readmodels.rebuild import rebuild
from shared.readmodels.tracking import connector
from shared.records.application import Records
from shared.wire.topics import events_topic
from tests.eventually import eventually
from tests.integration.relay.conftest import RunningRelay
from tests.integration.relay.scenario import a_history, end_offsets, read_topic
from tests.read_model_dumps import assert_same_read_models, read_models

from .conftest import ProjectorRunner, waiter

pytestmark = pytest.mark.kafka

WAIT_SECONDS = 60.0


def _admin_url(settings: ProjectorSettings) -> str:
    assert settings.database_admin_url is not None
    return settings.database_admin_url.get_secret_value()


def _stored_offsets(settings: ProjectorSettings) -> dict[int, int]:
    projections = Projections(connector(_admin_url(settings)))
    return projections.kafka_offsets(
        events_topic(settings.kafka_topic_prefix), settings.projector_group_id
    )


def _committed_in_kafka(settings: ProjectorSettings) -> dict[int, int]:
    topic = events_topic(settings.kafka_topic_prefix)
    consumer = KafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=settings.projector_group_id,
        enable_auto_commit=False,
    )
    try:
        committed = {
            p: consumer.committed(TopicPartition(topic, p))
            for p in consumer.partitions_for_topic(topic)
        }
    finally:
        consumer.close()
    return {p: o for p, o in committed.items() if o is not None}


def _equal_to_a_rebuild(records: Records, settings: ProjectorSettings) -> None:
    live = read_models(_admin_url(settings))
    rebuild(records, progress=False)
    assert_same_read_models(read_models(_admin_url(settings)), live)


@pytest.fixture
def published(
    records: Records, running_relay: RunningRelay, projector_settings: ProjectorSettings
) -> Iterator[int]:
    """A history, published by a running relay (kept running for the test)."""
    last = a_history(records, batches=6)
    with running_relay() as running:
        assert running.service.wait_for(last, WAIT_SECONDS)
        yield last


def test_the_group_applies_what_the_relay_published_then_commits_the_offsets(
    published: int,
    records: Records,
    projector_settings: ProjectorSettings,
    running_projector: ProjectorRunner,
) -> None:
    with running_projector() as running:
        assert waiter(projector_settings).wait_for(published, WAIT_SECONDS)
        assert running.service.stats.undecodable == 0

    ends = end_offsets(
        projector_settings.kafka_bootstrap_servers or "",
        events_topic(projector_settings.kafka_topic_prefix),
    )
    stored = _stored_offsets(projector_settings)
    assert stored == {p: o for p, o in ends.items() if o > 0}
    assert _committed_in_kafka(projector_settings) == stored
    _equal_to_a_rebuild(records, projector_settings)


def test_envelopes_published_again_change_nothing(
    published: int,
    records: Records,
    projector_settings: ProjectorSettings,
    running_projector: ProjectorRunner,
) -> None:
    bootstrap = projector_settings.kafka_bootstrap_servers or ""
    topic = events_topic(projector_settings.kafka_topic_prefix)
    with running_projector():
        assert waiter(projector_settings).wait_for(published, WAIT_SECONDS)
    before = read_models(_admin_url(projector_settings))

    messages = read_topic(bootstrap, topic, expected=published)
    ends = _produce(
        projector_settings,
        [
            (key, json.dumps(envelope, ensure_ascii=False, sort_keys=True, separators=(",", ":")))
            for _partition, _offset, key, envelope in messages
        ],
    )
    with running_projector():
        _wait_until_offsets_reach(projector_settings, ends)

    assert read_models(_admin_url(projector_settings)) == before


def _produce(
    settings: ProjectorSettings, records: list[tuple[bytes, str]], partition: int | None = None
) -> dict[int, int]:
    """Sends ``(key, value)`` records to the events topic as a foreign producer would (to
    ``partition`` when given, else by key); the topic's end offsets once they are acknowledged."""
    bootstrap = settings.kafka_bootstrap_servers or ""
    topic = events_topic(settings.kafka_topic_prefix)
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    for key, value in records:
        producer.send(topic, key=key, value=value.encode(), partition=partition)
    producer.flush(30)
    producer.close()
    return end_offsets(bootstrap, topic)


def _wait_until_offsets_reach(settings: ProjectorSettings, ends: dict[int, int]) -> None:
    wanted = {p: o for p, o in ends.items() if o > 0}
    eventually(
        lambda: all(_stored_offsets(settings).get(p, 0) >= o for p, o in wanted.items()),
        within=WAIT_SECONDS,
        what=lambda: f"stored offsets {_stored_offsets(settings)} reaching {wanted}",
    )


def test_the_database_not_kafka_decides_where_a_partition_resumes(
    published: int,
    records: Records,
    projector_settings: ProjectorSettings,
    running_projector: ProjectorRunner,
) -> None:
    bootstrap = projector_settings.kafka_bootstrap_servers or ""
    topic = events_topic(projector_settings.kafka_topic_prefix)
    # Kafka claims the group consumed everything; the database says nothing was applied.
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=projector_settings.projector_group_id,
        enable_auto_commit=False,
    )
    consumer.commit(
        {
            TopicPartition(topic, p): OffsetAndMetadata(o, "", -1)
            for p, o in end_offsets(bootstrap, topic).items()
        }
    )
    consumer.close()

    with running_projector():
        assert waiter(projector_settings).wait_for(published, WAIT_SECONDS)

    _equal_to_a_rebuild(records, projector_settings)


def test_a_record_that_is_not_an_envelope_is_skipped_counted_and_passed(
    published: int,
    projector_settings: ProjectorSettings,
    running_projector: ProjectorRunner,
) -> None:
    ends = _produce(
        projector_settings,
        [(b"stray", "not json at all"), (b"stray", '{"schema_version": 1}')],
        partition=0,
    )

    with running_projector() as running:
        _wait_until_offsets_reach(projector_settings, ends)
        assert running.service.stats.undecodable == 2
    assert waiter(projector_settings).wait_for(published, 1.0)


def test_an_envelope_of_a_newer_schema_stops_the_projector_before_it(
    published: int,
    projector_settings: ProjectorSettings,
    running_projector: ProjectorRunner,
) -> None:
    with running_projector():
        assert waiter(projector_settings).wait_for(published, WAIT_SECONDS)
    before = _stored_offsets(projector_settings)
    _produce(
        projector_settings,
        [(b"future", '{"schema_version": 2, "type": "Batch.Teleported"}')],
        partition=1,
    )

    with running_projector() as running:
        running.thread.join(WAIT_SECONDS)
        assert [type(e) for e in running.took()] == [NewerSchema]
    assert _stored_offsets(projector_settings) == before


def test_an_envelope_no_projection_can_store_is_quarantined_and_consumption_goes_on(
    published: int,
    projector_settings: ProjectorSettings,
    running_projector: ProjectorRunner,
) -> None:
    bootstrap = projector_settings.kafka_bootstrap_servers or ""
    topic = events_topic(projector_settings.kafka_topic_prefix)
    messages = read_topic(bootstrap, topic, published)
    registered = next(m[3] for m in messages if m[3]["type"] == "Cooperative.Registered")
    poison_id, later_id = str(uuid.uuid4()), str(uuid.uuid4())

    def envelope(aggregate: str, position: int, members: int) -> str:
        payload = {
            **cast(dict[str, object], registered["payload"]),
            "registration_number": aggregate[:8],
        }
        return json.dumps(
            {
                **registered,
                "event_id": str(uuid.uuid4()),
                "aggregate_id": aggregate,
                "position": position,
                "payload": {**payload, "members_count": members},
            }
        )

    # One partition, poison first: the later record can only be applied past it.
    ends = _produce(
        projector_settings,
        [
            (poison_id.encode(), envelope(poison_id, published + 1, 2**31)),
            (later_id.encode(), envelope(later_id, published + 2, 40)),
        ],
        partition=0,
    )

    with running_projector() as running:
        _wait_until_offsets_reach(projector_settings, ends)
        assert running.errors == []
        assert running.thread.is_alive()

    connect = connector(_admin_url(projector_settings))
    quarantined = Projections(connect).quarantined()
    assert {(q.projection, q.aggregate_id) for q in quarantined} == {
        ("provenance", poison_id),
        ("directory", poison_id),
        ("trace", poison_id),  # it keeps its own copy of the organisations a trace names
    }
    assert Directory(connect).organisation(uuid.UUID(later_id)) is not None
    assert read_side_health(connect, head=published + 2).status == "degraded"
