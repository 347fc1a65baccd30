"""The real mapping through the epcis projection on the real PostgreSQL: a rice chain from harvest
to shelf, inspected, certified, sold and recalled, becomes EPCIS 2.0 events that GS1's JSON schema
and a third-party validator (epcis2.js) accept, each with its CBV 2.0 event hash as its id."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from shared.epcis import tables
from shared.epcis.event_hash import event_hash
from shared.epcis.mapping import MAPPED, UNMAPPED, document
from shared.epcis.schema import validate_document
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Connect, Position, session
from shared.readmodels.units.epcis import EpcisProjection
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from tests.builders import a_grower, a_harvested_batch, after_harvest, kg
from tests.epcis_validation import validate_with_epcis2js
from tests.integration.epcis.test_epcis_projection import connect, database, epcis, records
from tests.integration.readmodels.readmodel_chain import Chain, a_chain, all_envelopes

__all__ = ["connect", "database", "epcis", "records"]

STAFF = Actor(Role.PROVINCE)


@pytest.fixture
def projection() -> EpcisProjection:
    return EpcisProjection()  # the real mapping and the real hash


def _whole_life(records: Records, chain: Chain) -> None:
    retailer = Actor(Role.ENTERPRISE, chain.retailer)
    miller = Actor(Role.ENTERPRISE, chain.miller)
    records.execute(
        miller,
        [
            c.InspectBatch(
                batch=chain.other_lot, lab="Trung tâm Kiểm định Thanh Hóa", result="pass",
                parameters={"aflatoxin_ppb": "0.8"}, document="KQ-2026/118",
            ),
            c.CertifyBatch(
                batch=chain.other_lot, scheme="VietGAP", certificate="VG-LOT-7",
                valid_from=date(2026, 9, 1),
            ),
        ],
    )  # fmt: skip
    records.execute(retailer, [c.SellBatch(batch=chain.retail_lot)])
    records.execute(STAFF, [c.RecallBatch(batch=chain.milled, reason="Vượt ngưỡng dư lượng")])


def _served(connect: Connect) -> list[dict[str, Any]]:
    with session(connect) as conn:
        rows = conn.execute(
            f"SELECT document FROM {tables.EVENTS} ORDER BY position, seq"
        ).fetchall()
    return [row[0] for row in rows]


def test_a_whole_chain_maps_to_events_the_standards_validators_accept(
    records: Records, epcis: Projections, connect: Connect
) -> None:
    chain = a_chain(records)
    _whole_life(records, chain)
    envelopes = all_envelopes(records)
    epcis.apply(envelopes, Position(envelopes[-1].position))

    events = _served(connect)
    doc = document(events, created="2026-12-02T00:00:00.000Z")

    assert validate_document(doc) == []
    assert validate_with_epcis2js(doc) == []
    assert all(e["eventID"] == event_hash(e) for e in events)
    steps = {e.get("bizStep") for e in events}
    assert {"commissioning", "shipping", "receiving", "inspecting", "retail_selling"} <= steps
    assert any(e.get("disposition") == "recalled" for e in events)
    kinds = {e["type"] for e in events}
    assert kinds == {"ObjectEvent", "TransformationEvent"}


def test_a_harvest_is_commissioned_with_its_lot_master_data_and_its_plot(
    records: Records, epcis: Projections, connect: Connect
) -> None:
    chain = a_chain(records)
    envelopes = all_envelopes(records)
    epcis.apply(envelopes, Position(chain.position))

    [harvest, *_] = [e for e in _served(connect) if e.get("action") == "ADD"]

    assert harvest["bizStep"] == "commissioning"
    assert harvest["disposition"] == "active"
    assert harvest["eventTime"].endswith("+07:00")
    assert harvest["ilmd"]["cbvmda:lotNumber"] == chain.harvest_a
    assert harvest["bizLocation"]["id"] == f"urn:nguon:plot:{chain.plot_a}"
    [quantity] = harvest["quantityList"]
    assert quantity["epcClass"] == f"urn:nguon:batch:{chain.harvest_a}"
    assert quantity["uom"] == "KGM"


def test_the_retail_lot_is_named_by_its_digital_link_from_its_labelling_on(
    records: Records, epcis: Projections, connect: Connect
) -> None:
    chain = a_chain(records)
    _whole_life(records, chain)
    envelopes = all_envelopes(records)
    epcis.apply(envelopes, Position(envelopes[-1].position))
    events = _served(connect)
    link = f"https://id.gs1.org/01/{chain.gtin}/10/{chain.lot}"

    [labelling] = [e for e in events if e.get("outputQuantityList") == [{"epcClass": link}]]
    sale = next(e for e in events if e.get("bizStep") == "retail_selling")

    assert labelling["inputQuantityList"] == [{"epcClass": f"urn:nguon:batch:{chain.retail_lot}"}]
    assert labelling["bizStep"] == "commissioning"
    assert sale["quantityList"][0]["epcClass"] == link


def test_a_transformation_lists_every_input_with_the_amount_it_gave(
    records: Records, epcis: Projections, connect: Connect
) -> None:
    chain = a_chain(records)
    envelopes = all_envelopes(records)
    epcis.apply(envelopes, Position(chain.position))

    outputs = {
        e["outputQuantityList"][0]["epcClass"]: e
        for e in _served(connect)
        if e["type"] == "TransformationEvent" and e.get("bizStep") != "commissioning"
    }
    milled = outputs[f"urn:nguon:batch:{chain.milled}"]

    inputs = {q["epcClass"]: q["quantity"] for q in milled["inputQuantityList"]}
    assert inputs == {f"urn:nguon:batch:{chain.harvest_a}": 800,
                      f"urn:nguon:batch:{chain.harvest_b}": 720}  # fmt: skip
    assert milled["transformationID"].startswith("urn:uuid:")


def test_every_batch_event_type_is_mapped_or_left_out_for_a_stated_reason() -> None:
    events_md = Path(__file__).parents[3] / "docs" / "events.md"
    documented = events_md.read_text(encoding="utf-8").split("### Batch")[1].split("###")[0]
    types = {line.split("`")[1] for line in documented.splitlines() if line.startswith("| `Batch.")}

    assert types == MAPPED | set(UNMAPPED)
    assert MAPPED.isdisjoint(UNMAPPED)


def test_the_same_facts_recorded_twice_at_one_moment_are_two_events_with_two_ids(
    records: Records, epcis: Projections, connect: Connect
) -> None:
    grower = a_grower(records)
    code = a_harvested_batch(records, grower)
    moment = after_harvest(5)
    drying = c.ProcessBatch(
        batch=code, step="drying", facility="Sân phơi", quantity_after=kg(900), at=moment
    )
    records.execute(grower.actor, [drying])
    records.execute(grower.actor, [drying])  # the same drying, sent again as a new command
    envelopes = all_envelopes(records)

    epcis.apply(envelopes, Position(envelopes[-1].position))
    first = _served(connect)
    epcis.reset()
    epcis.apply(envelopes, Position(envelopes[-1].position))

    dryings = [e for e in first if e.get("nguon:step") == "drying"]
    assert len(dryings) == 2
    assert len({e["eventID"] for e in dryings}) == 2
    assert [e.get("nguon:occurrence") for e in dryings] == [None, 2]
    assert all(e["eventID"] == event_hash(e) for e in dryings)
    assert _served(connect) == first  # a rebuild names them alike
