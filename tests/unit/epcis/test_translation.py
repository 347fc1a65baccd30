"""The translation of partners' EPCIS events to commands, over a fake of the write side."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from shared.domain.quantities import Quantity, Unit
from shared.domain.transformation import Conversion
from shared.epcis import identifiers as uris
from shared.epcis.capture_outcomes import EventRefusal
from shared.epcis.capture_terms import Place, WriteSide, cbv_word, path, transformation_groups
from shared.epcis.translation import Translation, Translator
from shared.records import commands as c
from shared.records.actors import Actor, Role
from tests.epcis_events import harvest_event, shipping_event, transformation_event

COOPERATIVE, MILL, PLOT = uuid4(), uuid4(), uuid4()
COOP_GLN, PLOT_GLN, MILL_GLN = "8930000000019", "8930000000026", "8930000000033"
ACTOR = Actor(Role.COOPERATIVE, COOPERATIVE)
AT = datetime(2026, 3, 1, 20, 30, tzinfo=UTC)  # already 2 March in Vietnam


class FakeWriteSide(WriteSide):
    def __init__(self, chains: list[UUID] | None = None, lots: dict[str, str] | None = None):
        self.chains = chains or []
        self.lots = lots or {}

    def bound_lot(self, epc_class: str) -> str | None:
        return self.lots.get(epc_class)

    def labelled_lot(self, gtin14: str, lot: str) -> str | None:
        return None

    def batch_exists(self, code: str) -> bool:
        return False

    def gln(self, gln: str) -> Place | None:
        return {
            COOP_GLN: Place(COOPERATIVE),
            PLOT_GLN: Place(COOPERATIVE, PLOT),
            MILL_GLN: Place(MILL),
        }.get(gln)

    def organisation(self, organisation_id: UUID) -> Place | None:
        return Place(organisation_id) if organisation_id in (COOPERATIVE, MILL) else None

    def plot(self, plot_id: UUID) -> Place | None:
        return Place(COOPERATIVE, PLOT) if plot_id == PLOT else None

    def value_chain_exists(self, value_chain_id: UUID) -> bool:
        return value_chain_id in self.chains

    def chains_taken_part_in(self, organisation_id: UUID, commodity: str) -> list[UUID]:
        return self.chains

    def recall_exists(self, recall_id: UUID) -> bool:
        return False

    def open_recall(self, batch_code: str) -> UUID | None:
        return None


def _translate(
    events: list[dict[str, Any]], write_side: WriteSide | None = None
) -> list[Translation | EventRefusal]:
    translator = Translator(write_side or FakeWriteSide(), ACTOR, now=lambda: AT)
    return [
        translator.translate([(i, events[i], f"id-{i}") for i in unit])
        for unit in transformation_groups(events)
    ]


def _only(events: list[dict[str, Any]], write_side: WriteSide | None = None) -> Translation:
    [translated] = _translate(events, write_side)
    assert isinstance(translated, Translation), translated
    return translated


@pytest.mark.parametrize(
    "spelling",
    ["shipping", "https://ref.gs1.org/cbv/BizStep-shipping", "urn:epcglobal:cbv:bizstep:shipping"],
)
def test_a_cbv_word_is_read_in_each_of_its_spellings(spelling: str) -> None:
    assert cbv_word(spelling, "BizStep") == "shipping"


def test_a_path_names_extension_keys_in_brackets() -> None:
    assert path(2, "ilmd.nguon:plots[1]") == "$.epcisBody.eventList[2].ilmd['nguon:plots'][1]"
    assert path(0, "bizLocation.id") == "$.epcisBody.eventList[0].bizLocation.id"


def test_the_events_of_one_transformation_are_translated_as_one() -> None:
    one = {"type": "TransformationEvent", "transformationID": "urn:uuid:1"}
    other = {"type": "TransformationEvent", "transformationID": "urn:uuid:2"}
    label = {
        "type": "TransformationEvent",
        "transformationID": "urn:uuid:1",
        "bizStep": "commissioning",
    }
    assert transformation_groups([one, {"type": "ObjectEvent"}, other, one, label]) == [
        [0, 3], [1], [2], [4],
    ]  # fmt: skip


def test_a_harvest_names_its_plots_and_binds_its_class_to_the_new_batch() -> None:
    event = harvest_event("urn:acme:lot:7", PLOT_GLN, AT, amount=1.5)
    event["bizStep"] = "urn:epcglobal:cbv:bizstep:commissioning"
    event["ilmd"]["nguon:plots"] = [uris.plot(str(PLOT))]
    chain = uuid4()

    translated = _only([event], FakeWriteSide(chains=[chain]))

    harvest, record = translated.commands
    assert harvest == c.HarvestBatch(
        plot_ids=[PLOT],
        commodity="rice",
        quantity=Quantity(Decimal("1.5"), Unit.KG),
        harvested_on=date(2026, 3, 2),  # the eventTime's day in Vietnam
        variety="Nếp cái hoa vàng",
        value_chain_id=chain,  # the one rice chain the cooperative takes part in
        at=AT,
        ref="epcis0",
    )
    assert record == c.RecordEpcisCapture(event_id="id-0", lots={"urn:acme:lot:7": "$epcis0"})


def test_a_harvest_names_no_chain_when_the_cooperative_is_in_several() -> None:
    event = harvest_event("urn:acme:lot:8", PLOT_GLN, AT)
    harvest = _only([event], FakeWriteSide(chains=[uuid4(), uuid4()])).commands[0]
    assert isinstance(harvest, c.HarvestBatch)
    assert harvest.value_chain_id is None


def test_a_lot_commissioned_earlier_in_the_document_is_named_by_its_ref() -> None:
    lot = "urn:acme:lot:9"
    shipped = shipping_event(lot, AT, sender_gln=COOP_GLN, receiver_gln=MILL_GLN)
    shipped["bizTransactionList"] = [
        {
            "type": "urn:epcglobal:cbv:btt:bol",
            "bizTransaction": "urn:nguon:transport-document:VD%2F7",
        }
    ]
    _, translated = _translate([harvest_event(lot, PLOT_GLN, AT), shipped])
    assert isinstance(translated, Translation)
    assert translated.commands[0] == c.ShipBatch(
        batch="$epcis0", to=MILL, transport_document="VD/7", quantity=None, at=AT
    )


def test_a_transformation_takes_its_inputs_once_and_makes_each_output() -> None:
    lots = {"urn:acme:lot:paddy": "TH-2026-000001"}
    group = "urn:uuid:77"
    first = transformation_event(
        [("urn:acme:lot:paddy", 900)], ("urn:acme:lot:rice", 600), AT, gln=COOP_GLN,
        transformation_id=group,
    )  # fmt: skip
    second = transformation_event(
        [("urn:acme:lot:paddy", 900)], ("urn:acme:lot:bran", 250), AT, gln=COOP_GLN,
        transformation_id=group, commodity="rice bran",
    )  # fmt: skip
    first["nguon:conversion"] = {"fromUnit": "KGM", "toUnit": "H87", "factor": 2}

    translated = _only([first, second], FakeWriteSide(lots=lots))

    transform, *records = translated.commands
    assert isinstance(transform, c.TransformBatches)
    assert transform.step == "milling"
    assert transform.inputs == [
        c.TransformInput(batch="TH-2026-000001", quantity=Quantity(Decimal(900), Unit.KG))
    ]
    assert [(o.commodity, o.ref) for o in transform.outputs] == [
        ("rice", "epcis0.0"),
        ("rice bran", "epcis1.0"),
    ]
    assert transform.conversion == Conversion(Unit.KG, Unit.PIECE, Decimal(2))
    assert records == [
        c.RecordEpcisCapture(event_id="id-0", lots={"urn:acme:lot:rice": "$epcis0.0"}),
        c.RecordEpcisCapture(event_id="id-1", lots={"urn:acme:lot:bran": "$epcis1.0"}),
    ]
    assert translated.indexes == (0, 1)
    assert translated.batches == ("TH-2026-000001",)  # fmt: skip


def test_the_events_of_one_transformation_must_list_the_same_inputs() -> None:
    lots = {"urn:acme:lot:paddy": "TH-2026-000001"}
    first = transformation_event(
        [("urn:acme:lot:paddy", 900)], ("urn:acme:lot:rice", 600), AT, gln=COOP_GLN,
        transformation_id="urn:uuid:78",
    )  # fmt: skip
    second = {
        **first,
        "inputQuantityList": [{"epcClass": "urn:acme:lot:paddy", "quantity": 800, "uom": "KGM"}],
    }
    second["outputQuantityList"] = [{"epcClass": "urn:acme:lot:bran", "quantity": 1, "uom": "KGM"}]

    [refused] = _translate([first, second], FakeWriteSide(lots=lots))

    assert isinstance(refused, EventRefusal)
    assert (refused.index, refused.code) == (1, "not_mappable")
    assert refused.field == "$.epcisBody.eventList[1].inputQuantityList"
