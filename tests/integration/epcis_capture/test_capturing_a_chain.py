"""A harvest → ship → receive → mill → label chain sent as EPCIS by two partners, stored as the
platform's own batches on the real PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

from shared.domain.batch import BatchStatus
from shared.domain.identifiers import batch_id
from shared.domain.quantities import Quantity, Unit
from shared.epcis.capture import Behaviour
from shared.records.application import Records
from tests.epcis_events import (
    a_partner_class,
    days_ago,
    harvest_event,
    labelling_event,
    observe_event,
    receiving_event,
    shipping_event,
    transformation_event,
)
from tests.integration.epcis_capture.partners import partners, send
from tests.platform_world import database, records

__all__ = ["database", "records"]


def test_a_chain_sent_by_two_partners_becomes_the_platforms_batches(records: Records) -> None:
    world = partners(records)
    paddy, rice, bran = a_partner_class(), a_partner_class(), a_partner_class()

    grown = send(
        records,
        world.cooperative,
        [
            harvest_event(paddy, world.plot_gln, days_ago(3), amount=1000),
            shipping_event(
                paddy, days_ago(2.9), sender_gln=world.cooperative_gln, receiver_gln=world.mill_gln
            ),
        ],
    )
    assert grown.success, grown.refusals
    [harvest_code] = grown.events[0].batches
    assert grown.events[1].batches == (harvest_code,)

    milled = send(
        records,
        world.mill,
        [
            receiving_event(paddy, days_ago(2.8), gln=world.mill_gln, amount=990),
            # The export's shape: one event per output, each listing every input once.
            transformation_event(
                [(paddy, 990)], (rice, 700), days_ago(2.7), gln=world.mill_gln,
                transformation_id="urn:uuid:5b6c0d7e-1f2a-4b3c-8d9e-0a1b2c3d4e5f",
            ),
            transformation_event(
                [(paddy, 990)], (bran, 250), days_ago(2.7), gln=world.mill_gln,
                transformation_id="urn:uuid:5b6c0d7e-1f2a-4b3c-8d9e-0a1b2c3d4e5f",
                commodity="rice bran",
            ),
            labelling_event(
                rice, days_ago(2.6), gln=world.mill_gln, gtin14=world.gtin14, lot="L-01"
            ),
        ],
    )  # fmt: skip
    assert milled.success, milled.refusals
    assert [e.status for e in milled.events] == ["captured"] * 4

    paddy_batch = records.batch(batch_id(harvest_code))
    assert paddy_batch.holder_id == world.mill_id
    assert paddy_batch.status is BatchStatus.DEPLETED
    # The events of one transformation answer alike: its input, then its outputs in order.
    assert milled.events[1].batches == milled.events[2].batches
    input_code, rice_code, bran_code = milled.events[1].batches
    assert input_code == harvest_code
    rice_batch, bran_batch = records.batch(batch_id(rice_code)), records.batch(batch_id(bran_code))
    assert rice_batch.quantity == Quantity(Decimal(700), Unit.KG)
    assert bran_batch.commodity == "rice bran"
    assert (rice_batch.gtin, rice_batch.lot) == (world.gtin14, "L-01")
    assert milled.events[3].batches == (rice_code,)
    assert milled.position == records.position()


def test_the_partners_lot_names_resolve_in_later_documents(records: Records) -> None:
    world = partners(records)
    paddy = a_partner_class()
    first = send(records, world.cooperative, [harvest_event(paddy, world.plot_gln, days_ago(2))])
    later = send(
        records,
        world.cooperative,
        [
            shipping_event(
                paddy, days_ago(1), sender_gln=world.cooperative_gln, receiver_gln=world.mill_gln,
                amount=1000,
            )
        ],
        Behaviour.PROCEED,
    )  # fmt: skip
    assert later.success, later.refusals
    assert later.events[0].batches == first.events[0].batches


def test_a_recall_its_returns_and_its_lifting_are_found_on_the_lot(records: Records) -> None:
    world = partners(records)
    paddy = a_partner_class()
    recalled = send(
        records,
        world.cooperative,
        [
            harvest_event(paddy, world.plot_gln, days_ago(2), amount=1000),
            observe_event(
                paddy, days_ago(1.5), "holding", disposition="recalled",
                extensions={"nguon:reason": "aflatoxin above the limit"},
            ),
        ],
    )  # fmt: skip
    assert recalled.success, recalled.refusals
    [code] = recalled.events[1].batches

    # The later events name no recall: the lot's open recall is found in the event store.
    worked = send(
        records,
        world.cooperative,
        [
            observe_event(paddy, days_ago(1), "removing", amount=300, disposition="recalled"),
            observe_event(
                paddy, days_ago(0.5), "holding", disposition="active",
                extensions={"nguon:reason": "the laboratory's second test passed"},
            ),
        ],
    )  # fmt: skip

    assert worked.success, worked.refusals
    assert [e.batches for e in worked.events] == [(code,), (code,)]
    batch = records.batch(batch_id(code))
    assert not batch.recalled
    kinds = [type(e).__name__ for e in records.history(batch_id(code))]
    assert kinds[-3:] == ["Recalled", "Withdrawn", "RecallLifted"]
