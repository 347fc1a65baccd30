"""The trace of a hand-built rice chain: merges, splits, shipments, dates and what was known."""

from __future__ import annotations

from decimal import Decimal

from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Connect
from shared.records.application import Records
from shared.trace.balance import balance
from shared.trace.graph import Amount, Direction
from tests.integration.readmodels.readmodel_chain import Chain
from tests.integration.trace.tracing import codes, project, trace


def test_a_retail_lot_traces_back_through_the_merge_to_both_harvests_and_their_plots(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    project(records, projections)

    graph = trace(connect, chain.retail_lot, Direction.BACK)

    assert codes(graph) == {chain.retail_lot, chain.milled, chain.harvest_a, chain.harvest_b}
    depths = {n.code: n.depth for n in graph.nodes}
    assert depths == {
        chain.retail_lot: 0,
        chain.milled: -1,
        chain.harvest_a: -2,
        chain.harvest_b: -2,
    }
    assert {p.plot_id for p in graph.plots} == {str(chain.plot_a), str(chain.plot_b)}
    assert set(graph.communes) >= {"Xã Thiệu Trung", "Xã Xuân Lập"}
    retail = next(n for n in graph.nodes if n.code == chain.retail_lot)
    assert (retail.holder_id, retail.quantity) == (str(chain.retailer), Amount(Decimal(500), "kg"))
    assert (retail.gtin, retail.lot) == (chain.gtin, chain.lot)


def test_a_harvest_traces_forward_through_the_split_to_both_lots_and_their_shipments(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    project(records, projections)

    graph = trace(connect, chain.harvest_b, Direction.FORWARD)

    assert codes(graph) == {chain.harvest_b, chain.milled, chain.retail_lot, chain.other_lot}
    shipped = {(s.batch_id, s.to_id) for s in graph.shipments}
    retail = next(n for n in graph.nodes if n.code == chain.retail_lot)
    assert (retail.batch_id, str(chain.retailer)) in shipped
    (milling,) = [t for t in graph.transformations if len(t.inputs) == 2]
    # Harvest A merged into the milled rice: it entered the forward trace from outside it.
    assert balance(graph).entered == Decimal(800)
