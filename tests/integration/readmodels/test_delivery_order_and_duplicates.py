"""Kafka delivers at least once and interleaves aggregates: the read models must not care."""

from __future__ import annotations

import dataclasses

import pytest

from shared.database import DatabaseUrls
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Connect, KafkaOffsets, Position, lowest_position, session
from shared.records.application import Records
from shared.wire.envelope import Envelope
from tests.integration.readmodels.readmodel_chain import (
    Chain,
    all_envelopes,
    in_pages,
    interleaved,
    read_models,
)

TOPIC = "nguon.events"


def _apply_as_kafka_would(projections: Projections, arrived: list[Envelope], seed: int) -> None:
    offset = 0
    for page in in_pages(arrived, seed):
        offset += len(page)
        projections.apply(page, KafkaOffsets("projector", {(TOPIC, 0): offset}))


def test_applying_the_same_envelopes_twice_changes_nothing(
    records: Records, projections: Projections, database: DatabaseUrls, chain: Chain
) -> None:
    envelopes = all_envelopes(records)
    projections.apply(envelopes, Position(chain.position))
    once = read_models(database.app)

    projections.apply(envelopes, Position(chain.position))
    for envelope in envelopes:
        projections.apply([envelope], Position(envelope.position))

    assert read_models(database.app) == once


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_any_interleaving_that_keeps_each_aggregates_order_gives_the_same_read_models(
    records: Records, projections: Projections, database: DatabaseUrls, chain: Chain, seed: int
) -> None:
    envelopes = all_envelopes(records)
    projections.apply(envelopes, Position(chain.position))
    in_order = read_models(database.app)
    projections.reset()

    _apply_as_kafka_would(projections, interleaved(envelopes, seed, duplicates=10), seed)

    assert read_models(database.app) == in_order


def test_a_retail_lot_that_arrives_before_its_parents_gets_its_full_document_once_they_do(
    records: Records, projections: Projections, database: DatabaseUrls, chain: Chain
) -> None:
    envelopes = all_envelopes(records)
    projections.apply(envelopes, Position(chain.position))
    in_order = read_models(database.app)
    projections.reset()
    lot = [e for e in envelopes if e.payload.get("code") == chain.retail_lot]
    lot_id = lot[0].aggregate_id
    own = [e for e in envelopes if e.aggregate_id == lot_id]
    others = [e for e in envelopes if e.aggregate_id != lot_id]

    projections.apply(own, KafkaOffsets("projector", {(TOPIC, 1): len(own)}))
    for aggregate in reversed_aggregates(others):
        projections.apply(aggregate, KafkaOffsets("projector", {}))

    assert read_models(database.app) == in_order


def reversed_aggregates(envelopes: list[Envelope]) -> list[list[Envelope]]:
    """Aggregates in reverse order of first appearance, each one's events still in order."""
    order = list(dict.fromkeys(e.aggregate_id for e in envelopes))
    return [[e for e in envelopes if e.aggregate_id == a] for a in reversed(order)]


def test_an_unknown_event_type_still_advances_tracking(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    envelopes = all_envelopes(records)
    projections.apply(envelopes, Position(chain.position))
    from_the_future = dataclasses.replace(
        envelopes[0],
        type="Cooperative.Renamed",
        event_id="00000000-0000-4000-8000-000000000001",
        position=chain.position + 1,
        aggregate_version=99,
        payload={"name": "HTX mới"},
    )

    projections.apply([from_the_future], Position(from_the_future.position))

    with session(connect) as conn:
        assert lowest_position(conn, projections.names) == chain.position + 1
        recorded = conn.execute(
            "SELECT type FROM rm_events WHERE position = %s", (chain.position + 1,)
        ).fetchone()
    assert recorded == ("Cooperative.Renamed",)


def test_an_unknown_batch_event_type_advances_tracking_and_leaves_the_page_as_it_was(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    envelopes = all_envelopes(records)
    projections.apply(envelopes, Position(chain.position))
    lot = next(e for e in envelopes if e.payload.get("code") == chain.retail_lot)
    weighed = dataclasses.replace(
        lot,
        type="Batch.Weighed",
        event_id="00000000-0000-4000-8000-000000000002",
        position=chain.position + 1,
        aggregate_version=50,
        payload={"at": lot.payload["at"]},
    )

    projections.apply([weighed], Position(weighed.position))

    with session(connect) as conn:
        assert lowest_position(conn, projections.names) == chain.position + 1
        document = conn.execute(
            "SELECT document FROM rm_provenance WHERE code = %s", (chain.retail_lot,)
        ).fetchone()
    assert document is not None
    assert document[0]["last_position"] == chain.position + 1
    assert [s["kind"] for s in document[0]["timeline"]][-1] == "labelled"


def test_kafka_offsets_are_stored_with_the_read_models_and_never_move_back(
    projections: Projections,
) -> None:
    projections.apply([], KafkaOffsets("projector", {(TOPIC, 0): 7, (TOPIC, 2): 3}))
    projections.apply([], KafkaOffsets("projector", {(TOPIC, 0): 5}))

    assert projections.kafka_offsets(TOPIC, "projector") == {0: 7, 2: 3}
    assert projections.kafka_offsets(TOPIC, "another-group") == {}
