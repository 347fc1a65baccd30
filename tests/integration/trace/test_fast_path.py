"""The API's fast path (one statement, :mod:`shared.readmodels.trace_sql`) answers what the
Python path (``build_trace``, ``balance``, the route's ``trace_out``) answers: every batch of the
chain traced back, forward and both, by provincial staff, a holder, a former holder, the
addressee of a shipment and an organisation that publishes its quantities, before and after a
recall. The fast JSON, parsed, must equal the Python answer's JSON, lists in the same order."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings

from services.capture.routes.trace import trace_out
from shared.domain.errors import NotFound
from shared.readmodels.projections import Projections
from shared.readmodels.trace import PostgresTraces, TraceNotPermitted
from shared.readmodels.tracking import Connect
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.records.results import EnterpriseResult
from shared.trace.graph import Direction
from tests.builders import a_grower, an_enterprise_command
from tests.integration.readmodels.readmodel_chain import Chain
from tests.integration.trace.random_lineages import HARVESTS, OPS, Op, grow, parties
from tests.integration.trace.tracing import project

STAFF = Actor(Role.PROVINCE)


def _codes(chain: Chain) -> list[str]:
    return [chain.harvest_a, chain.harvest_b, chain.milled, chain.retail_lot, chain.other_lot]


def _both_paths(traces: PostgresTraces, code: str, direction: Direction, viewer: Any) -> None:
    fast = json.loads(traces.trace_json(code, direction, viewer=viewer))
    slow = json.loads(trace_out(traces.trace(code, direction, viewer=viewer)).model_dump_json())
    assert fast == slow, (code, direction, viewer)
    assert list(fast) == list(slow)  # the fields in the model's order
    assert [list(n) for n in fast["nodes"]] == [list(n) for n in slow["nodes"]]


def _every_trace(connect: Connect, chain: Chain, viewers: list[UUID | None]) -> int:
    return _each(connect, _codes(chain), viewers)


def _each(connect: Connect, codes: list[str], viewers: list[UUID | None]) -> int:
    traces = PostgresTraces(connect)
    asked = 0
    for viewer in viewers:
        for code in codes:
            for direction in Direction:
                try:
                    traces.trace(code, direction, viewer=viewer)
                except TraceNotPermitted:
                    with pytest.raises(TraceNotPermitted):
                        traces.trace_json(code, direction, viewer=viewer)
                    continue
                _both_paths(traces, code, direction, viewer)
                asked += 1
    return asked


def test_both_paths_agree_on_every_trace_of_the_chain_for_every_caller(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    project(records, projections)

    viewers = [None, chain.retailer, chain.cooperative_a, chain.cooperative_b, chain.miller]
    assert _every_trace(connect, chain, viewers) >= 5 * 5 * 3 - 20


def test_both_paths_agree_on_a_lot_shipped_to_a_buyer_and_a_miller_that_publishes(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    buyer = records.execute(STAFF, [an_enterprise_command()]).result(EnterpriseResult)
    miller = Actor(Role.ENTERPRISE, chain.miller)
    records.execute(miller, [c.ShipBatch(batch=chain.other_lot, to=buyer.enterprise_id)])
    records.execute(
        STAFF, [c.ChangePublication(organisation_id=chain.cooperative_a, publish_quantities=True)]
    )
    project(records, projections)

    viewers = [None, buyer.enterprise_id, chain.retailer, chain.miller]
    assert _every_trace(connect, chain, viewers) > 0


def test_both_paths_agree_on_a_recalled_chain(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    records.execute(STAFF, [c.RecallBatch(batch=chain.milled, reason="aflatoxin over limit")])
    project(records, projections)

    assert _every_trace(connect, chain, [None, chain.retailer, chain.cooperative_b]) > 0


def test_the_fast_path_refuses_an_outsider_and_does_not_know_an_unknown_batch(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    outsider = a_grower(records).cooperative_id
    project(records, projections)
    traces = PostgresTraces(connect)

    with pytest.raises(TraceNotPermitted) as refused:
        traces.trace_json(chain.retail_lot, Direction.BOTH, viewer=outsider)
    assert refused.value.code == "trace_not_permitted"
    with pytest.raises(NotFound) as unknown:
        traces.trace_json("TH-2026-999999", Direction.BOTH)
    assert unknown.value.code == "trace_batch_unknown"


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(harvests=HARVESTS, ops=OPS)
def test_both_paths_agree_on_random_lineages(
    records: Records,
    projections: Projections,
    connect: Connect,
    harvests: list[int],
    ops: list[Op],
) -> None:
    world = grow(records, harvests, ops)
    grower, buyer = parties(records)
    project(records, projections)

    viewers = [None, grower.cooperative_id, buyer.organisation_id]
    assert _each(connect, world.codes, viewers) > 0
