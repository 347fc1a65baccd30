"""Who may trace what (the handbook's "Who may read what"), applied once in build_trace.

Nobody in the chain publishes quantities unless a test says so.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from shared.readmodels.projections import Projections
from shared.readmodels.trace import TraceNotPermitted
from shared.readmodels.tracking import Connect
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.records.results import EnterpriseResult
from shared.trace.balance import balance
from shared.trace.graph import Amount, Direction, TraceGraph
from tests.builders import a_grower, an_enterprise_command
from tests.integration.readmodels.readmodel_chain import Chain
from tests.integration.trace.tracing import codes, project, trace

STAFF = Actor(Role.PROVINCE)


def _quantity(graph: TraceGraph, code: str) -> Amount | None:
    return next(n for n in graph.nodes if n.code == code).quantity


def test_provincial_staff_see_every_quantity_of_the_chain(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    project(records, projections)

    graph = trace(connect, chain.retail_lot, Direction.BOTH)

    assert all(n.quantity is not None for n in graph.nodes)
    assert all(link.amount is not None for link in graph.links)
    assert balance(graph).complete


def test_the_holder_of_a_lot_sees_the_whole_chain_but_not_the_quantities_of_the_others(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    project(records, projections)

    graph = trace(connect, chain.retail_lot, Direction.BACK, viewer=chain.retailer)

    assert codes(graph) == {chain.retail_lot, chain.milled, chain.harvest_a, chain.harvest_b}
    assert _quantity(graph, chain.retail_lot) == Amount(Decimal(500), "kg")
    assert _quantity(graph, chain.harvest_a) is None
    assert _quantity(graph, chain.milled) is None
    assert len(graph.parties) == 4  # every organisation named, with or without quantities
    figures = balance(graph)
    assert not figures.complete  # a floor: the hidden quantities count as nothing


def test_a_former_holder_traces_what_its_harvest_became(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    project(records, projections)

    graph = trace(connect, chain.harvest_a, Direction.FORWARD, viewer=chain.cooperative_a)

    assert codes(graph) == {chain.harvest_a, chain.milled, chain.retail_lot, chain.other_lot}
    # It held harvest A (now the miller's): its full history, quantities included.
    assert _quantity(graph, chain.harvest_a) == Amount(Decimal(100), "kg")
    assert _quantity(graph, chain.other_lot) is None


def test_an_organisation_that_publishes_quantities_shows_them_to_the_rest_of_the_chain(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    records.execute(
        STAFF, [c.ChangePublication(organisation_id=chain.miller, publish_quantities=True)]
    )
    project(records, projections)

    graph = trace(connect, chain.harvest_a, Direction.FORWARD, viewer=chain.cooperative_a)

    assert _quantity(graph, chain.other_lot) == Amount(Decimal(500), "kg")
    assert next(
        p for p in graph.parties if p.organisation_id == str(chain.miller)
    ).publishes_quantities


def test_the_addressee_of_a_shipment_may_trace_the_lot_on_its_way(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    registered = records.execute(STAFF, [an_enterprise_command()])
    buyer = registered.result(EnterpriseResult).enterprise_id
    miller = Actor(Role.ENTERPRISE, chain.miller)
    records.execute(miller, [c.ShipBatch(batch=chain.other_lot, to=buyer)])
    project(records, projections)

    graph = trace(connect, chain.other_lot, Direction.BACK, viewer=buyer)

    assert _quantity(graph, chain.other_lot) == Amount(Decimal(500), "kg")
    assert next(n for n in graph.nodes if n.code == chain.other_lot).status == "in_transit"


def test_an_organisation_outside_the_chain_may_not_trace_it(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    outsider = a_grower(records).cooperative_id
    project(records, projections)

    with pytest.raises(TraceNotPermitted) as refused:
        trace(connect, chain.retail_lot, Direction.BOTH, viewer=outsider)

    assert refused.value.code == "trace_not_permitted"
