"""Golden JSON pins the published wire format (docs/events.md).

Each case is a real domain event, made by the domain's own commands with fixed ids and times,
turned into an envelope by ``to_envelope``. The golden file is compared as JSON (key order
free), and the canonical bytes (sorted keys, no spaces, UTF-8 as is) must be exactly the ones
the golden file canonicalises to: fingerprints are computed over those bytes.

Regenerate after a deliberate change of the format (and a new ``schema_version``)::

    python tests/unit/wire/test_envelope_golden.py --update

Events stored in an older class version are cases too: their stored state (``golden/stored/``,
the bytes the older code wrote) is decoded by the records application's mapper, which upcasts
it, and the envelope must be the one published before the upcast existed. ``--update`` never
rewrites those (:data:`PUBLISHED_BEFORE`): they were written by the older code.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent

from shared.domain import diary
from shared.domain.batch import Batch
from shared.domain.epcis_capture import CapturedEpcisEvent, EpcisLot
from shared.domain.glns import Gln
from shared.domain.gtins import GtinLot, GtinOwnership, gtin_key
from shared.domain.organisations import Cooperative, Enterprise
from shared.domain.plot import Plot
from shared.domain.quantities import Quantity
from shared.domain.recall import recall
from shared.domain.transformation import Output, Take, transform
from shared.domain.value_chain import ValueChain
from shared.records.application import Records
from shared.records.publishing import to_envelope
from shared.wire.envelope import Envelope

GOLDEN = Path(__file__).parent / "golden"
RECORDED = datetime(2026, 10, 5, 1, 30, 15, 123456, tzinfo=UTC)  # when the store saved it
AT = datetime(2026, 10, 5, 8, 30, tzinfo=UTC)
PLOT_ID = UUID("0b6a3c1e-7d2f-4e5a-9c3b-1a2b3c4d5e6f")
TRANSFORMATION_ID = UUID("5d1c0e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f")


def _fixed(event: Any, **changes: Any) -> Any:
    return dataclasses.replace(event, timestamp=RECORDED, **changes)


def _cooperative() -> Cooperative:
    return Cooperative.register(
        name="HTX Nông nghiệp Thiệu Trung",
        registration_number="2801A0123",
        commune="Xã Thiệu Trung",
        former_district="Thiệu Hóa",
        province="Thanh Hóa",
        sector="rice",
        founded=date(2010, 3, 1),
        members_count=40,
        model="new",
    )


def _enterprise() -> Enterprise:
    return Enterprise.register(
        name="Công ty CP Gạo Thanh Hóa",
        tax_code="2800123456",
        address="12 Lê Lợi",
        commune="Phường Hạc Thành",
        former_district=None,
        province="Thanh Hóa",
    )


def _harvested(interval_override: str | None = None) -> Batch:
    cooperative = _cooperative()
    return Batch.harvest(
        code="TH-2026-000123",
        plots=[(PLOT_ID, cooperative.id)],
        harvester_id=cooperative.id,
        commodity="lúa",
        variety="Nếp cái hoa vàng",
        quantity=Quantity.positive("1250.5", "kg"),
        harvested_on=date(2026, 10, 1),
        at=AT,
        interval_override=interval_override,
    )


def cooperative_registered() -> Envelope:
    (event,) = _cooperative().collect_events()
    return to_envelope(_fixed(event), 1)


def cooperative_certification_granted() -> Envelope:
    cooperative = _cooperative()
    cooperative.grant_certification("OCOP", "OCOP-TH-2025-017", date(2025, 6, 1), None, stars=4)
    event = cooperative.collect_events()[-1]
    return to_envelope(_fixed(event), 2, kind="Cooperative")


def cooperative_support_received() -> Envelope:
    cooperative = _cooperative()
    cooperative.receive_support(
        "fund_loan", date(2026, 3, 15), "Quỹ hỗ trợ phát triển HTX", Decimal("500000000")
    )
    return to_envelope(_fixed(cooperative.collect_events()[-1]), 3)


def enterprise_registered() -> Envelope:
    (event,) = _enterprise().collect_events()
    return to_envelope(_fixed(event), 4)


HOUSEHOLD_ID = UUID(int=17)
SEALED_REFERENCE = {"sealed_for": str(HOUSEHOLD_ID), "ciphertext": "bm9uY2UtY2lwaGVydGV4dC10YWc"}


def plot_registered() -> Envelope:
    """A plot names its member household by id, and carries its reference only sealed."""
    plot = Plot.register(
        cooperative_id=_cooperative().id,
        household_id=HOUSEHOLD_ID,
        household=SEALED_REFERENCE,
        crop="lúa",
        area_ha=Decimal("4.75"),
        commune="Xã Thiệu Trung",
        location={
            "type": "Polygon",
            "coordinates": [
                [
                    [105.6812345, 19.9012345],
                    [105.6822, 19.9012],
                    [105.6822, 19.9022],
                    [105.6812345, 19.9012345],
                ]
            ],
        },
        planting_area_code="VT-TH-0123",
    )
    (event,) = plot.collect_events()
    return to_envelope(_fixed(event, originator_id=PLOT_ID), 5)


def batch_harvested() -> Envelope:
    (event,) = _harvested().collect_events()
    return to_envelope(_fixed(event), 6)


def batch_harvested_with_an_interval_override() -> Envelope:
    (event,) = _harvested("mưa bão sắp đến, phải gặt sớm").collect_events()
    return to_envelope(_fixed(event), 6)


def plot_diary_entry_recorded() -> Envelope:
    plot = Plot.register(
        cooperative_id=_cooperative().id,
        crop="lúa",
        area_ha=Decimal("1.5"),
        commune="Xã Thiệu Trung",
        location={"type": "Point", "coordinates": [105.6812345, 19.9012345]},
    )
    spraying = diary.Entry(
        activity=diary.Activity.SPRAYING,
        product="Anvil 5SC",
        active_ingredient="hexaconazole",
        dose="20 ml / bình 16 l",
        pre_harvest_days=14,
    )
    plot.record_diary_entry(spraying, date(2026, 9, 10), UUID(int=17))
    event = plot.collect_events()[-1]
    return to_envelope(_fixed(event, originator_id=PLOT_ID), 23)


def batch_shipped() -> Envelope:
    batch = _harvested()
    batch.ship(
        by=batch.holder_id or UUID(int=0),
        to=_enterprise().id,
        transport_document="VD-2026-0042",
        at=AT.replace(hour=10),
    )
    return to_envelope(_fixed(batch.collect_events()[-1]), 7)


def batch_produced() -> Envelope:
    parent = _harvested()
    (child,) = transform(
        transformation_id=TRANSFORMATION_ID,
        by=parent.holder_id or UUID(int=0),
        step="milling",
        takes=[Take(parent, Quantity.positive("1", "t"))],
        outputs=[
            Output("TH-2026-000124", "gạo", "Nếp cái hoa vàng", Quantity.positive("650", "kg"))
        ],
        at=AT.replace(hour=11),
    )
    (event,) = child.collect_events()
    return to_envelope(_fixed(event), 9)


def batch_corrected() -> Envelope:
    batch = _harvested()
    batch.correct(
        by=None,
        amends_version=1,
        reason="cân sai",
        changes={"variety": "Bắc thơm"},
        quantity=Quantity.positive("1240", "kg"),
        by_province=True,
        at=AT.replace(hour=12),
    )
    return to_envelope(_fixed(batch.collect_events()[-1]), 10)


def value_chain_contract_signed() -> Envelope:
    cooperative, enterprise = _cooperative(), _enterprise()
    chain = ValueChain.establish(
        name="Chuỗi gạo Thiệu Hóa", commodity="lúa", lead_organisation_id=enterprise.id
    )
    chain.join(cooperative.id, "producer")
    chain.sign_contract(
        contract_number="LK-2026-07",
        parties=[enterprise.id, cooperative.id],
        commodity="lúa",
        committed_volume=Quantity.positive("120", "t"),
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    event = chain.collect_events()[-1]
    return to_envelope(_fixed(event, originator_id=UUID(int=7)), 11)


def batch_recall_reached() -> Envelope:
    parent = _harvested()
    (child,) = transform(
        transformation_id=TRANSFORMATION_ID,
        by=parent.holder_id or UUID(int=0),
        step="milling",
        takes=[Take(parent, Quantity.positive("1", "t"))],
        outputs=[
            Output("TH-2026-000124", "gạo", "Nếp cái hoa vàng", Quantity.positive("650", "kg"))
        ],
        at=AT.replace(hour=11),
    )
    child.collect_events()
    recall(
        parent,
        load=lambda _: child,
        by=None,
        reason="dư lượng thuốc BVTV",
        by_province=True,
        at=AT.replace(hour=13),
    )
    return to_envelope(_fixed(child.collect_events()[-1]), 12)


def enterprise_publication_changed() -> Envelope:
    enterprise = _enterprise()
    enterprise.change_publication(publish_quantities=True)
    return to_envelope(_fixed(enterprise.collect_events()[-1]), 13, kind="Enterprise")


def cooperative_profile_visibility_changed() -> Envelope:
    cooperative = _cooperative()
    cooperative.change_profile_visibility(show_profile=True)
    return to_envelope(_fixed(cooperative.collect_events()[-1]), 15)


def enterprise_status_changed() -> Envelope:
    enterprise = _enterprise()
    enterprise.change_status("suspended", "giấy phép kinh doanh bị đình chỉ")
    return to_envelope(_fixed(enterprise.collect_events()[-1]), 14)


def _gtin_ownership() -> GtinOwnership:
    return GtinOwnership.register(
        key=gtin_key("08936012340013"), owner_id=_enterprise().id, covering=[]
    )


def gtin_ownership_registered() -> Envelope:
    (event,) = _gtin_ownership().collect_events()
    return to_envelope(_fixed(event), 15)


def gtin_ownership_licence_granted() -> Envelope:
    ownership, cooperative, enterprise = _gtin_ownership(), _cooperative(), _enterprise()
    chain = ValueChain.establish(
        name="Chuỗi gạo Thiệu Hóa", commodity="lúa", lead_organisation_id=enterprise.id
    )
    chain.join(cooperative.id, "producer")
    ownership.license(gtin14="08936012340013", licensee_id=cooperative.id, chain=chain)
    event = ownership.collect_events()[-1]
    return to_envelope(_fixed(event, value_chain_id=UUID(int=7)), 16)


def gtin_lot_claimed() -> Envelope:
    batch = _harvested()
    claim = GtinLot(
        gtin14="08936012340013", lot="NCHV261001A", batch_id=batch.id, batch_code=batch.code
    )
    (event,) = claim.collect_events()
    return to_envelope(_fixed(event), 17)


def gln_registered() -> Envelope:
    gln = Gln(gln="8936012340006", owner_id=_cooperative().id, plot_id=UUID(int=9))
    (event,) = gln.collect_events()
    return to_envelope(_fixed(event), 18)


def epcis_event_captured() -> Envelope:
    captured = CapturedEpcisEvent(
        event_id="ni:///sha-256;3f1c5e0a9b7d2c4e6f8a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d1e?ver=CBV2.0",
        organisation_id=_cooperative().id,
    )
    (event,) = captured.collect_events()
    return to_envelope(_fixed(event), 19)


def epcis_lot_claimed() -> Envelope:
    batch = _harvested()
    lot = EpcisLot(epc_class="urn:acme:lot:2026-117", batch_id=batch.id, batch_code=batch.code)
    (event,) = lot.collect_events()
    return to_envelope(_fixed(event), 20)


def _chain_with_the_cooperative() -> ValueChain:
    chain = ValueChain.establish(
        name="Chuỗi gạo Thiệu Hóa", commodity="lúa", lead_organisation_id=_enterprise().id
    )
    chain.join(_cooperative().id, "producer", date(2026, 9, 20))
    return chain


def value_chain_participant_joined() -> Envelope:
    event = _chain_with_the_cooperative().collect_events()[-1]
    return to_envelope(_fixed(event, originator_id=UUID(int=7)), 21)


def value_chain_participant_left() -> Envelope:
    chain = _chain_with_the_cooperative()
    chain.leave(_cooperative().id, "hết hợp đồng", date(2026, 10, 1))
    return to_envelope(_fixed(chain.collect_events()[-1], originator_id=UUID(int=7)), 22)


def _stored_v1(name: str, topic: str, version: int, position: int) -> Envelope:
    state = (GOLDEN / "stored" / f"{name}.json").read_bytes()
    stored = StoredEvent(
        originator_id=UUID(int=7), originator_version=version, topic=topic, state=state
    )
    return to_envelope(Records({}).mapper.to_domain_event(stored), position)


def value_chain_participant_joined_v1() -> Envelope:
    topic = "shared.domain.value_chain:ValueChain.ParticipantJoined"
    return _stored_v1("value_chain_participant_joined_v1", topic, 2, 21)


def value_chain_participant_left_v1() -> Envelope:
    topic = "shared.domain.value_chain:ValueChain.ParticipantLeft"
    return _stored_v1("value_chain_participant_left_v1", topic, 3, 22)


def batch_harvested_v1() -> Envelope:
    """A harvest stored before harvests could override a pre-harvest interval."""
    state = (GOLDEN / "stored" / "batch_harvested_v1.json").read_bytes()
    stored = StoredEvent(
        originator_id=Batch.create_id("TH-2026-000123"),
        originator_version=1,
        topic="shared.domain.batch:Batch.Harvested",
        state=state,
    )
    return to_envelope(Records({}).mapper.to_domain_event(stored), 6)


def plot_registered_v1() -> Envelope:
    """A plot stored before member households were registered: its plain reference stays
    readable (the store is append-only), published as it always was."""
    state = (GOLDEN / "stored" / "plot_registered_v1.json").read_bytes()
    stored = StoredEvent(
        originator_id=PLOT_ID,
        originator_version=1,
        topic="shared.domain.plot:Plot.Registered",
        state=state,
    )
    return to_envelope(Records({}).mapper.to_domain_event(stored), 5)


PUBLISHED_BEFORE = frozenset(
    {
        "value_chain_participant_joined_v1",
        "value_chain_participant_left_v1",
        "batch_harvested_v1",
        "plot_registered_v1",
    }
)

CASES: dict[str, Callable[[], Envelope]] = {
    f.__name__: f
    for f in (
        cooperative_registered,
        cooperative_certification_granted,
        cooperative_support_received,
        enterprise_registered,
        plot_registered,
        plot_registered_v1,
        batch_harvested,
        batch_harvested_with_an_interval_override,
        batch_harvested_v1,
        plot_diary_entry_recorded,
        batch_shipped,
        batch_produced,
        batch_corrected,
        value_chain_contract_signed,
        batch_recall_reached,
        enterprise_publication_changed,
        cooperative_profile_visibility_changed,
        enterprise_status_changed,
        gtin_ownership_registered,
        gtin_ownership_licence_granted,
        gtin_lot_claimed,
        gln_registered,
        epcis_event_captured,
        epcis_lot_claimed,
        value_chain_participant_joined,
        value_chain_participant_left,
        value_chain_participant_joined_v1,
        value_chain_participant_left_v1,
    )
}


def _canonical(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_envelope_matches_its_golden_json(case: str) -> None:
    envelope = CASES[case]()
    golden = json.loads((GOLDEN / f"{case}.json").read_text(encoding="utf-8"))

    assert json.loads(envelope.to_json()) == golden
    assert envelope.to_json() == _canonical(golden)


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_golden_json_reads_back_as_the_same_envelope(case: str) -> None:
    data = (GOLDEN / f"{case}.json").read_bytes()

    assert Envelope.from_json(data) == CASES[case]()


def test_decimals_dates_and_times_travel_as_strings() -> None:
    harvested = json.loads(batch_harvested().to_json())
    support = json.loads(cooperative_support_received().to_json())

    assert harvested["payload"]["quantity"] == {"amount": "1250.5", "unit": "kg"}
    assert harvested["payload"]["harvested_on"] == "2026-10-01"
    assert harvested["payload"]["at"] == "2026-10-05T08:30:00+00:00"
    assert harvested["occurred_at"] == "2026-10-05T01:30:15.123456+00:00"
    assert support["payload"]["amount_vnd"] == "500000000"


def test_a_stored_v1_participation_reads_with_the_day_it_was_recorded_in_vietnam() -> None:
    # Recorded at 01:30 UTC on 5 October: 08:30 that day in Vietnam.
    state = (GOLDEN / "stored" / "value_chain_participant_joined_v1.json").read_bytes()
    stored = StoredEvent(
        originator_id=UUID(int=7),
        originator_version=2,
        topic="shared.domain.value_chain:ValueChain.ParticipantJoined",
        state=state,
    )
    event = Records({}).mapper.to_domain_event(stored)

    assert getattr(event, "joined_on") == date(2026, 10, 5)  # noqa: B009
    assert "joined_on" not in to_envelope(event, 21).payload


def test_a_new_participation_carries_its_business_date() -> None:
    assert value_chain_participant_joined().payload["joined_on"] == "2026-09-20"
    assert value_chain_participant_left().payload["left_on"] == "2026-10-01"


def test_a_harvest_stored_before_the_diary_publishes_the_envelope_it_did_then() -> None:
    assert "interval_override" not in batch_harvested_v1().payload
    assert batch_harvested_v1().to_json() == _canonical(
        json.loads((GOLDEN / "batch_harvested_v1.json").read_text(encoding="utf-8"))
    )


def test_a_plot_stored_with_a_plain_household_reference_still_reads_with_it() -> None:
    payload = plot_registered_v1().payload

    assert payload["household_ref"] == "HH-017"
    assert "household_id" not in payload  # added by the upcast: not what was published


def test_a_new_plot_names_its_household_by_id_and_never_carries_a_plain_reference() -> None:
    payload = plot_registered().payload

    assert payload["household_ref"] is None
    assert payload["household_id"] == str(HOUSEHOLD_ID)
    assert payload["household"] == SEALED_REFERENCE


def test_a_harvest_with_an_override_carries_its_reason() -> None:
    payload = batch_harvested_with_an_interval_override().payload
    assert payload["interval_override"] == "mưa bão sắp đến, phải gặt sớm"
    assert batch_harvested().payload["interval_override"] is None


def _update() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for name, case in sorted(CASES.items()):
        if name in PUBLISHED_BEFORE:
            continue
        document = json.loads(case().to_json())
        text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        (GOLDEN / f"{name}.json").write_text(text, encoding="utf-8")
        print(f"wrote {GOLDEN / name}.json")


if __name__ == "__main__" and "--update" in sys.argv:
    _update()
