"""A recall reaches everything made from the recalled batch, whenever and however it arrives."""

from __future__ import annotations

from shared.database import DatabaseUrls
from shared.readmodels.postgres_readers import PostgresBatchCatalogue, PostgresProvenanceReader
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import KafkaOffsets, Position
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from tests.integration.readmodels.readmodel_chain import (
    Chain,
    all_envelopes,
    interleaved,
    read_models,
)


def _recall_harvest_b(records: Records, chain: Chain) -> int:
    return records.execute(
        Actor(Role.PROVINCE),
        [
            c.RecallBatch(
                batch=chain.harvest_b, reason="aflatoxin above the limit in a retained sample"
            ),
        ],
    ).position


def test_recalling_a_harvest_marks_both_retail_lots_recalled_with_the_harvest_as_origin(
    records: Records,
    projections: Projections,
    reader: PostgresProvenanceReader,
    catalogue: PostgresBatchCatalogue,
    chain: Chain,
) -> None:
    envelopes = all_envelopes(records)
    projections.apply(envelopes, Position(chain.position))
    position = _recall_harvest_b(records, chain)

    projections.apply(all_envelopes(records)[len(envelopes) :], Position(position))

    for code in (chain.retail_lot, chain.other_lot, chain.milled, chain.harvest_b):
        document = reader.by_code(code)
        assert document is not None
        assert document["status"] == "recalled"
        assert document["recall"]["recalled"] is True
        assert document["recall"]["origin_batch_code"] == chain.harvest_b
        assert document["recall"]["reason"] == "aflatoxin above the limit in a retained sample"
    untouched = reader.by_code(chain.harvest_a)
    assert untouched is not None
    assert untouched["recall"]["recalled"] is False
    listed = {s["code"]: s["recalled"] for s in catalogue.search(None, None, None, 50, None)}
    assert listed == {
        chain.harvest_a: False,
        chain.harvest_b: True,
        chain.milled: True,
        chain.retail_lot: True,
        chain.other_lot: True,
    }


def test_the_recall_shows_in_the_lots_timeline_as_a_step_of_the_harvest(
    records: Records, projections: Projections, reader: PostgresProvenanceReader, chain: Chain
) -> None:
    position = _recall_harvest_b(records, chain)

    projections.apply(all_envelopes(records), Position(position))

    document = reader.by_code(chain.retail_lot)
    assert document is not None
    recalls = [s for s in document["timeline"] if s["kind"] == "recalled"]
    assert [(s["batch_code"], s["summary"]["by"]) for s in recalls] == [
        (chain.harvest_b, "province")
    ]


def test_a_recall_that_arrives_before_the_lots_exist_still_reaches_them(
    records: Records, projections: Projections, database: DatabaseUrls, chain: Chain
) -> None:
    position = _recall_harvest_b(records, chain)
    envelopes = all_envelopes(records)
    projections.apply(envelopes, Position(position))
    in_order = read_models(database.app)
    projections.reset()
    harvest_b = next(e for e in envelopes if e.payload.get("code") == chain.harvest_b).aggregate_id

    first = [e for e in envelopes if e.aggregate_id == harvest_b]
    rest = [e for e in interleaved(envelopes, seed=7) if e.aggregate_id != harvest_b]
    projections.apply(first, KafkaOffsets("projector", {}))
    for envelope in rest:
        projections.apply([envelope], KafkaOffsets("projector", {}))

    assert read_models(database.app) == in_order
