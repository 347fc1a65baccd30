"""A recall as staff and holders read it, through the recalls projection on real PostgreSQL."""

from __future__ import annotations

from uuid import UUID

import pytest

from shared.domain.identifiers import batch_id
from shared.readmodels.postgres_readers import PostgresBatchCatalogue, PostgresProvenanceReader
from shared.readmodels.projections import Projections
from shared.readmodels.recalls import PostgresRecallReader
from shared.readmodels.tracking import Connect, Position
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.records.results import RecallResult
from tests.integration.readmodels.readmodel_chain import Chain, all_envelopes

PROVINCE = Actor(Role.PROVINCE)


@pytest.fixture
def recalls(connect: Connect) -> PostgresRecallReader:
    return PostgresRecallReader(connect)


def _execute(records: Records, actor: Actor, command: c.Command) -> tuple[int, object]:
    outcome = records.execute(actor, [command])
    return outcome.position, outcome.results[0]


def _open(records: Records, chain: Chain, *, drill: bool = False) -> UUID:
    command = c.RecallBatch(batch=chain.harvest_b, reason="aflatoxin", drill=drill)
    _, result = _execute(records, PROVINCE, command)
    assert isinstance(result, RecallResult)
    return result.recall_id


def _project(records: Records, projections: Projections) -> None:
    envelopes = all_envelopes(records)
    projections.apply(envelopes, Position(envelopes[-1].position))


def _held(records: Records, code: str) -> str:
    return str(records.batch(batch_id(code)).quantity.amount)


def test_the_province_sees_every_holder_of_the_recalled_harvests_lots_with_their_quantities(
    records: Records, projections: Projections, recalls: PostgresRecallReader, chain: Chain
) -> None:
    recall_id = _open(records, chain)
    _project(records, projections)

    view = recalls.recall(recall_id, viewer=None)

    assert view is not None
    assert view.state == "open"
    assert not view.drill
    assert view.issued_by == "province"
    held = {
        (h.organisation_id, lot.code): str(lot.affected.amount if lot.affected else None)
        for h in view.holders
        for lot in h.lots
    }
    assert held == {
        (str(chain.miller), chain.other_lot): _held(records, chain.other_lot),
        (str(chain.retailer), chain.retail_lot): _held(records, chain.retail_lot),
    }
    assert all(h.notified_at == view.opened_at for h in view.holders)


def test_a_holder_sees_only_its_own_part_and_finds_the_recall_in_its_inbox(
    records: Records, projections: Projections, recalls: PostgresRecallReader, chain: Chain
) -> None:
    recall_id = _open(records, chain)
    _project(records, projections)

    (inbox,) = recalls.inbox(chain.retailer)
    view = recalls.recall(recall_id, viewer=chain.retailer)

    assert inbox.recall_id == str(recall_id)
    assert view is not None
    assert [h.organisation_id for h in view.holders] == [str(chain.retailer)]
    assert recalls.recall(recall_id, viewer=chain.cooperative_a) is None
    assert recalls.inbox(chain.cooperative_a) == []


def test_notices_acknowledgements_and_reports_close_the_recall(
    records: Records,
    projections: Projections,
    recalls: PostgresRecallReader,
    catalogue: PostgresBatchCatalogue,
    chain: Chain,
) -> None:
    recall_id = _open(records, chain)
    for holder, lot in ((chain.miller, chain.other_lot), (chain.retailer, chain.retail_lot)):
        actor = Actor(Role.ENTERPRISE, holder)
        amount = records.batch(batch_id(lot)).quantity
        _execute(records, actor, c.OpenRecallNotice(recall_id=recall_id))
        _execute(records, actor, c.AcknowledgeRecall(recall_id=recall_id))
        _execute(
            records, actor, c.ReportRecallReturns(recall_id=recall_id, batch=lot, destroyed=amount)
        )
    _project(records, projections)

    view = recalls.recall(recall_id, viewer=None)

    assert view is not None
    assert view.state == "closed"
    assert all(h.accounted and h.opened_at and h.acknowledged_at for h in view.holders)
    assert recalls.inbox(chain.retailer) == []


def test_a_drill_is_listed_with_its_time_to_trace_and_leaves_every_page_unrecalled(
    records: Records,
    projections: Projections,
    recalls: PostgresRecallReader,
    reader: PostgresProvenanceReader,
    chain: Chain,
) -> None:
    recall_id = _open(records, chain, drill=True)
    _project(records, projections)

    (view,) = recalls.recalls(viewer=None)

    assert view.recall_id == str(recall_id)
    assert view.drill
    assert view.time_to_trace_ms is not None
    assert recalls.recalls(viewer=None, include_drills=False) == []
    document = reader.by_code(chain.retail_lot)
    assert document is not None
    assert document["recall"]["recalled"] is False


def test_a_lifted_recall_leaves_its_lots_unrecalled_and_their_pages_say_it_was_lifted(
    records: Records,
    projections: Projections,
    recalls: PostgresRecallReader,
    reader: PostgresProvenanceReader,
    catalogue: PostgresBatchCatalogue,
    chain: Chain,
) -> None:
    recall_id = _open(records, chain)
    _execute(records, PROVINCE, c.LiftRecall(recall_id=recall_id, reason="clean retest"))
    _project(records, projections)

    view = recalls.recall(recall_id, viewer=None)
    document = reader.by_code(chain.retail_lot)

    assert view is not None
    assert view.state == "lifted"
    assert view.lift_reason == "clean retest"
    assert document is not None
    assert document["recall"]["recalled"] is False
    assert document["recall"].get("lift_reason") == "clean retest"
    listed = {s["code"]: s["recalled"] for s in catalogue.search(None, None, None, 50, None)}
    assert not any(listed.values())
