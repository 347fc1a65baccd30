"""The trace of a hand-built rice chain: merges, splits, shipments, dates and what was known.

The chain (tests.integration.readmodels.readmodel_chain): harvests A (1000 kg, dried to 900)
and B (800 kg, dried to 720) at two cooperatives, shipped to a miller; milling merges 800 of A
and 720 of B into 1000 kg; packing splits it into two lots of 500 kg; one is shipped to a
retailer (split, then ship), received and labelled.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from shared.domain import clock
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Connect
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.trace.balance import balance
from shared.trace.graph import Amount, Direction
from tests.builders import kg
from tests.integration.readmodels.readmodel_chain import Chain, all_envelopes
from tests.integration.trace.tracing import codes, project, trace

HARVEST_DAY = date(2025, 10, 5)


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
    retail = graph.node(next(n.batch_id for n in graph.nodes if n.code == chain.retail_lot))
    assert (retail.holder_id, retail.quantity) == (str(chain.retailer), Amount(Decimal(500), "kg"))
    assert (retail.gtin, retail.lot) == (chain.gtin, chain.lot)


def test_a_harvest_traces_forward_through_the_split_to_both_lots_and_the_shipment(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    project(records, projections)

    graph = trace(connect, chain.harvest_b, Direction.FORWARD)

    assert codes(graph) == {chain.harvest_b, chain.milled, chain.retail_lot, chain.other_lot}
    retail = next(n for n in graph.nodes if n.code == chain.retail_lot)
    (shipment,) = [s for s in graph.shipments if s.batch_id == retail.batch_id]
    assert (shipment.from_id, shipment.to_id) == (str(chain.miller), str(chain.retailer))
    assert shipment.received == Amount(Decimal(500), "kg")
    assert {n.depth for n in graph.nodes} == {0, 1, 2}


def test_the_mass_balance_of_the_whole_chain_adds_up_and_names_where_the_rice_went(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    project(records, projections)

    back = balance(trace(connect, chain.retail_lot, Direction.BACK))
    forward = balance(trace(connect, chain.harvest_b, Direction.FORWARD))

    # Back from the retail lot: both harvests, drying and milling losses, the sibling lot left.
    assert (back.produced, back.entered) == (Decimal(1800), Decimal(0))
    assert back.lost_in_processing == Decimal(100 + 80 + 520)
    assert (back.left, back.on_hand, back.unaccounted) == (Decimal(500), Decimal(600), Decimal(0))
    assert back.shipped == Decimal(900 + 720 + 500) == back.received
    # Forward from harvest B: A's 800 kg entered the milling from outside the trace.
    assert (forward.produced, forward.entered) == (Decimal(800), Decimal(800))
    assert forward.on_hand == Decimal(1000)  # both lots of 500 kg
    for figures in (back, forward):
        assert figures.complete
        assert figures.recovered_share is None
        assert figures.produced + figures.entered == (
            figures.on_hand
            + figures.on_road
            + figures.sold
            + figures.lost_in_processing
            + figures.left
            + figures.recovered
            + figures.unaccounted
        )


def test_as_of_the_harvest_day_the_chain_is_one_harvest_not_yet_dried_or_milled(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    project(records, projections)

    before = trace(connect, chain.harvest_a, Direction.FORWARD, as_of=HARVEST_DAY)
    after = trace(connect, chain.harvest_a, Direction.FORWARD, as_of=clock.today_in_vietnam())

    (harvest,) = before.nodes
    assert harvest.code == chain.harvest_a
    assert (harvest.quantity, harvest.status) == (Amount(Decimal(1000), "kg"), "active")
    assert harvest.holder_id == str(chain.cooperative_a)
    assert (before.links, before.shipments, before.transformations) == ((), (), ())
    assert codes(after) == {chain.harvest_a, chain.milled, chain.retail_lot, chain.other_lot}
    assert after.node(harvest.batch_id).quantity == Amount(Decimal(100), "kg")


def test_known_at_the_shipment_the_retail_lot_is_still_on_the_road_with_the_miller(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    project(records, projections)
    envelopes = all_envelopes(records)
    shipped = next(
        e for e in envelopes if e.type == "Batch.Shipped" and e.payload["to"] == str(chain.retailer)
    )

    then = trace(
        connect,
        chain.retail_lot,
        Direction.BACK,
        known_at=datetime.fromisoformat(shipped.occurred_at),
    )
    now = trace(connect, chain.retail_lot, Direction.BACK)

    retail_then = next(n for n in then.nodes if n.code == chain.retail_lot)
    assert (retail_then.status, retail_then.holder_id) == ("in_transit", str(chain.miller))
    assert (retail_then.gtin, retail_then.lot) == (None, None)
    (on_road,) = [s for s in then.shipments if s.batch_id == retail_then.batch_id]
    assert (on_road.received, on_road.received_at) == (None, None)
    assert balance(then).on_road == Decimal(500)
    assert now.node(retail_then.batch_id).status == "active"


def test_a_sale_and_a_short_receipt_show_in_the_balance_as_sold_and_unaccounted(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    miller = Actor(Role.ENTERPRISE, chain.miller)
    retailer = Actor(Role.ENTERPRISE, chain.retailer)
    records.execute(retailer, [c.SellBatch(batch=chain.retail_lot)])
    records.execute(miller, [c.ShipBatch(batch=chain.other_lot, to=chain.retailer)])
    records.execute(retailer, [c.ReceiveBatch(batch=chain.other_lot, quantity=kg(480))])
    project(records, projections)

    figures = balance(trace(connect, chain.milled, Direction.FORWARD))

    assert (figures.produced, figures.sold, figures.on_hand) == (
        Decimal(1000),
        Decimal(500),
        Decimal(480),
    )
    assert figures.unaccounted == Decimal(20)
    assert figures.lost_in_processing == Decimal(0)


def test_a_recall_marks_every_descendant_with_its_origin_and_opens_a_recovered_share(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    records.execute(
        Actor(Role.PROVINCE), [c.RecallBatch(batch=chain.milled, reason="aflatoxin over limit")]
    )
    project(records, projections)

    graph = trace(connect, chain.harvest_a, Direction.FORWARD)

    recalled = {n.code: (n.recalled, n.recall_origin) for n in graph.nodes}
    assert recalled[chain.harvest_a] == (False, None)
    for code in (chain.milled, chain.retail_lot, chain.other_lot):
        assert recalled[code] == (True, chain.milled)
    assert balance(graph).recovered_share == Decimal(0)
