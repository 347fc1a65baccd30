"""A harvest → ship → receive → mill → label chain sent as EPCIS by two partners, stored as the
platform's own batches on the real PostgreSQL."""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

from shared.domain.batch import BatchStatus
from shared.domain.identifiers import batch_id
from shared.domain.quantities import Quantity, Unit
from shared.epcis import identifiers as uris
from shared.epcis.capture import Behaviour
from shared.records import commands as c
from shared.records.application import Records
from shared.records.results import BatchResult, ValueChainResult
from tests.builders import a_harvest, a_value_chain_command, kg
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
from tests.integration.epcis_capture.partners import STAFF, partners, send
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


def test_a_lot_made_through_the_api_is_named_by_its_platform_uri_or_digital_link(
    records: Records,
) -> None:
    world = partners(records)
    code = (
        records.execute(world.cooperative, [a_harvest([world.plot_id], at=days_ago(2))])
        .result(BatchResult)
        .code
    )
    shipped = send(
        records,
        world.cooperative,
        [
            shipping_event(
                uris.batch_class(code), days_ago(1), sender_gln=world.cooperative_gln,
                receiver_gln=world.mill_gln,
            )
        ],
    )  # fmt: skip
    assert shipped.success, shipped.refusals
    records.execute(world.mill, [c.ReceiveBatch(batch=code, quantity=kg(1000))])
    records.execute(
        world.mill, [c.LabelBatch(batch=code, gtin=world.gtin14, lot="API-1", labels_issued=10)]
    )

    sold = send(
        records,
        world.mill,
        [observe_event(uris.lot_class(world.gtin14, "API-1"), days_ago(0), "retail_selling")],
    )

    assert sold.success, sold.refusals
    assert sold.events[0].batches == (code,)
    assert records.batch(batch_id(code)).status is BatchStatus.SOLD


def test_a_harvest_joins_the_one_chain_of_its_commodity_or_the_chain_it_names(
    records: Records,
) -> None:
    world = partners(records)
    chains = [
        records.execute(STAFF, [a_value_chain_command(world.mill_id, commodity=commodity)])
        .result(ValueChainResult)
        .value_chain_id
        for commodity in ("rice", "rice", "maize")
    ]
    records.execute(
        STAFF,
        [
            c.JoinValueChain(
                value_chain_id=chain, organisation_id=world.cooperative_id, role="producer"
            )
            for chain in chains
        ],
    )
    maize = harvest_event(a_partner_class(), world.plot_gln, days_ago(1))
    maize["ilmd"]["nguon:commodity"] = "maize"
    named = harvest_event(a_partner_class(), world.plot_gln, days_ago(1))
    named["ilmd"]["nguon:valueChains"] = [f"urn:uuid:{uuid4()}", f"urn:uuid:{chains[1]}"]
    rice = harvest_event(a_partner_class(), world.plot_gln, days_ago(1))

    outcome = send(records, world.cooperative, [maize, named, rice])

    assert outcome.success, outcome.refusals
    joined = [records.batch(batch_id(e.batches[0])).value_chain_ids for e in outcome.events]
    # The one maize chain; the rice chain named (the other id is another platform's); of two
    # rice chains, none.
    assert joined == [[chains[2]], [chains[1]], []]
