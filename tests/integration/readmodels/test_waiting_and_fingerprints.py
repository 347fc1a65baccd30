"""Read your writes by position, in both modes; fingerprints anyone can recompute."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator

import pytest

from shared.readmodels.postgres_readers import PostgresProvenanceReader
from shared.readmodels.projections import Projections
from shared.readmodels.provenance import digest, fingerprint
from shared.readmodels.sources import run_embedded
from shared.readmodels.tracking import Connect, KafkaOffsets, KafkaWaiter, session
from shared.records.application import Records
from tests.builders import a_harvested_batch
from tests.integration.readmodels.readmodel_chain import Chain, all_envelopes

TOPIC = "nguon.events"
GROUP = "projector"
JOIN_SECONDS = 30.0


@pytest.fixture
def embedded(records: Records, projections: Projections) -> Iterator[threading.Thread]:
    stop = threading.Event()
    runner = run_embedded(records, projections, stop)
    yield runner
    stop.set()
    runner.join(JOIN_SECONDS)
    assert not runner.is_alive()


def test_a_reader_sees_a_write_once_it_waits_for_the_writes_position(
    records: Records, reader: PostgresProvenanceReader, embedded: threading.Thread
) -> None:
    for _ in range(3):
        code = a_harvested_batch(records)

        assert reader.wait_for(records.position(), timeout=JOIN_SECONDS)
        document = reader.by_code(code)

        assert document is not None
        assert document["code"] == code


def test_waiting_for_a_position_not_yet_written_gives_up_after_the_timeout(
    records: Records, reader: PostgresProvenanceReader, embedded: threading.Thread
) -> None:
    a_harvested_batch(records)
    assert reader.wait_for(records.position(), timeout=JOIN_SECONDS)

    assert not reader.wait_for(records.position() + 1, timeout=0.2)
    assert reader.wait_for(0, timeout=0)


def _checkpoint(connect: Connect, position: int, offsets: dict[int, int]) -> None:
    with session(connect) as conn:
        conn.execute(
            "INSERT INTO nguon_relay_checkpoint (topic, position, offsets) VALUES (%s, %s, %s)"
            " ON CONFLICT (topic) DO UPDATE SET position = excluded.position,"
            " offsets = excluded.offsets",
            (TOPIC, position, f'{{"0": {offsets[0]}, "1": {offsets[1]}}}'),
        )


def test_in_kafka_mode_a_position_is_reached_when_the_relay_published_it_and_we_consumed_that_far(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    envelopes = all_envelopes(records)
    waiter = KafkaWaiter(connect, TOPIC, GROUP)
    assert not waiter.wait_for(chain.position, timeout=0.05)  # the relay has said nothing

    _checkpoint(connect, chain.position, {0: 20, 1: 12})
    projections.apply(envelopes[:20], KafkaOffsets(GROUP, {(TOPIC, 0): 20}))
    assert not waiter.wait_for(chain.position, timeout=0.05)  # partition 1 not consumed yet

    done = threading.Event()
    result: list[bool] = []

    def wait() -> None:
        result.append(waiter.wait_for(chain.position, timeout=JOIN_SECONDS))
        done.set()

    waiting = threading.Thread(target=wait)
    waiting.start()
    projections.apply(envelopes[20:], KafkaOffsets(GROUP, {(TOPIC, 1): 12}))
    waiting.join(JOIN_SECONDS)

    assert result == [True]
    assert not KafkaWaiter(connect, TOPIC, "another-group").wait_for(chain.position, timeout=0.05)


def test_the_fingerprint_is_recomputed_from_the_public_digests_and_from_the_envelopes(
    records: Records,
    projections: Projections,
    reader: PostgresProvenanceReader,
    connect: Connect,
    chain: Chain,
) -> None:
    envelopes = all_envelopes(records)
    projections.apply(envelopes, KafkaOffsets(GROUP, {}))
    document = reader.by_code(chain.retail_lot)
    listed = reader.event_digests(chain.retail_lot)
    assert document is not None
    assert listed is not None

    from_digests = hashlib.sha256("\n".join(e["digest"] for e in listed).encode()).hexdigest()
    by_position = {e.position: e.to_json().decode() for e in envelopes}
    from_envelopes = fingerprint(by_position[e["position"]] for e in listed)

    assert document["fingerprint"] == from_digests == from_envelopes
    assert all(digest(by_position[e["position"]]) == e["digest"] for e in listed)
    covered = {e["position"] for e in listed}
    later_inspection = next(
        e for e in envelopes if e.type == "Batch.Inspected" and e.payload["document"] == "KQ-LATER"
    )
    assert later_inspection.position not in covered
    assert document["last_position"] == max(covered)
