"""The relay against the real PostgreSQL and the real Kafka broker."""

from __future__ import annotations

import logging
from collections import defaultdict

import psycopg
import pytest

from services.relay.relay import Relay, build_relay
from services.relay.settings import RelaySettings
from shared.records.application import Records
from shared.records.publishing import to_envelope
from shared.wire.topics import events_topic
from tests.eventually import eventually
from tests.running import running

from .conftest import RunningRelay
from .scenario import a_history, by_position, end_offsets, read_topic

pytestmark = pytest.mark.kafka

WAIT_SECONDS = 30.0


def _checkpoint(settings: RelaySettings) -> tuple[int, dict[int, int]] | None:
    assert settings.database_admin_url is not None
    with psycopg.connect(settings.database_admin_url.get_secret_value()) as conn:
        row = conn.execute(
            "SELECT position, offsets FROM nguon_relay_checkpoint WHERE topic = %s",
            (events_topic(settings.kafka_topic_prefix),),
        ).fetchone()
    if row is None:
        return None
    return row[0], {int(k): v for k, v in row[1].items()}


def _relayed(
    records: Records, relay_settings: RelaySettings, running_relay: RunningRelay, batches: int
) -> tuple[int, list[tuple[int, int, bytes, dict[str, object]]]]:
    """Records a history of ``batches`` batches, relays it all; its last position, and the topic."""
    last = a_history(records, batches=batches)
    with running_relay() as running:
        assert running.service.wait_for(last, WAIT_SECONDS)
    topic = events_topic(relay_settings.kafka_topic_prefix)
    return last, read_topic(relay_settings.kafka_bootstrap_servers or "", topic, expected=last)


def test_every_stored_event_is_published_once_in_order_keyed_by_its_aggregate(
    records: Records, relay_settings: RelaySettings, running_relay: RunningRelay
) -> None:
    last, messages = _relayed(records, relay_settings, running_relay, batches=10)
    assert sorted(by_position(messages)) == list(range(1, last + 1))
    versions: dict[bytes, list[int]] = defaultdict(list)
    partitions: dict[bytes, set[int]] = defaultdict(set)
    for partition, _offset, key, envelope in messages:
        assert key == str(envelope["aggregate_id"]).encode()
        versions[key].append(int(envelope["aggregate_version"]))  # type: ignore[call-overload]
        partitions[key].add(partition)
    assert all(v == list(range(1, len(v) + 1)) for v in versions.values())
    assert all(len(p) == 1 for p in partitions.values())
    assert len({p for ps in partitions.values() for p in ps}) > 1  # spread over partitions


def test_each_envelope_is_the_stored_event_in_wire_form(
    records: Records, relay_settings: RelaySettings, running_relay: RunningRelay
) -> None:
    last, messages = _relayed(records, relay_settings, running_relay, batches=2)
    published = {m[3]["position"]: m[3] for m in messages}
    for notification in records.recorder.select_notifications(1, limit=last):
        expected = to_envelope(records.mapper.to_domain_event(notification), notification.id)
        got = published[notification.id]
        if expected.aggregate_type == "Organisation":  # shared event classes name their owner
            assert got["aggregate_type"] in {"Cooperative", "Enterprise"}
            assert got["type"] == f"{got['aggregate_type']}.{expected.type.split('.', 1)[1]}"
            continue
        assert got == {**expected.__dict__}
    types = {str(e["type"]) for e in published.values()}
    assert {"Cooperative.CertificationGranted", "Enterprise.CertificationGranted"} <= types
    assert {"Batch.Harvested", "Batch.Processed", "Batch.Shipped", "Batch.Received"} <= types


def test_the_checkpoint_names_the_last_position_and_the_end_of_each_partition(
    records: Records, relay_settings: RelaySettings, running_relay: RunningRelay
) -> None:
    last = a_history(records, batches=4)

    with running_relay() as running:
        assert running.service.wait_for(last, WAIT_SECONDS)

    topic = events_topic(relay_settings.kafka_topic_prefix)
    ends = end_offsets(relay_settings.kafka_bootstrap_servers or "", topic)
    assert _checkpoint(relay_settings) == (last, {p: o for p, o in ends.items() if o > 0})


Seen = list[tuple[int, dict[int, int], dict[int, int]]]


def checking_relay(bootstrap: str, seen: Seen) -> type[Relay]:
    """The real relay, noting at each checkpoint what Kafka already holds."""

    class CheckingRelay(Relay):
        def record_checkpoint(self, position: int, offsets: dict[int, int]) -> None:
            seen.append((position, offsets, end_offsets(bootstrap, self.topic)))
            super().record_checkpoint(position, offsets)

    return CheckingRelay


def test_a_position_is_recorded_only_once_kafka_acknowledged_it(
    records: Records, relay_settings: RelaySettings, running_relay: RunningRelay
) -> None:
    a_history(records, batches=2)
    last = a_history(records, batches=2)
    seen: Seen = []

    relay_class = checking_relay(relay_settings.kafka_bootstrap_servers or "", seen)
    with running_relay(relay_class) as running:
        assert running.service.wait_for(last, WAIT_SECONDS)

    assert seen
    assert seen[-1][0] == last
    for _position, offsets, ends in seen:
        assert all(ends[p] >= o for p, o in offsets.items())


def test_a_restarted_relay_resumes_after_its_checkpoint(
    records: Records, relay_settings: RelaySettings, running_relay: RunningRelay
) -> None:
    first = a_history(records, batches=4)
    with running_relay() as running:
        assert running.service.wait_for(first, WAIT_SECONDS)

    second = a_history(records, batches=4)
    with running_relay() as running:
        assert running.service.position == first or running.service.wait_for(first, WAIT_SECONDS)
        assert running.service.wait_for(second, WAIT_SECONDS)

    topic = events_topic(relay_settings.kafka_topic_prefix)
    messages = read_topic(relay_settings.kafka_bootstrap_servers or "", topic, expected=second)
    assert sorted(by_position(messages)) == list(range(1, second + 1))  # none twice, none lost


def test_events_stored_while_the_relay_runs_are_published_without_a_restart(
    records: Records, relay_settings: RelaySettings, running_relay: RunningRelay
) -> None:
    with running_relay() as running:
        for _ in range(3):
            last = a_history(records, batches=2)
            assert running.service.wait_for(last, WAIT_SECONDS)
    assert _checkpoint(relay_settings) is not None


def test_without_a_broker_the_relay_retries_and_its_checkpoint_stays(
    records: Records,
    relay_settings: RelaySettings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    a_history(records, batches=2)
    unreachable = relay_settings.model_copy(
        update={
            "kafka_bootstrap_servers": "127.0.0.1:9",  # discard port: nothing listens
            "relay_bootstrap_timeout_ms": 500,
            "relay_retry_initial_seconds": 0.05,
            "relay_retry_max_seconds": 0.2,
        }
    )
    caplog.set_level(logging.WARNING, logger="services.relay.relay")
    with running(build_relay(unreachable), "test-relay") as relay:
        eventually(
            lambda: any("attempt 3" in r.getMessage() for r in caplog.records),
            within=WAIT_SECONDS,
            what="the relay's third attempt logged",
        )
    assert _checkpoint(relay_settings) is None
    assert relay.service.position == 0
