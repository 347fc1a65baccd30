"""The pure parts of the read side: which events a journey covers, and what a page may say."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from typing import Any

from shared.readmodels.batch_state import fold
from shared.readmodels.certifications import holds_on, refresh_validity
from shared.readmodels.documents import ProvenanceDocument, Recall
from shared.readmodels.events import BatchEvent, canonical_json
from shared.readmodels.journey import journey
from shared.readmodels.lineage import Edge
from shared.readmodels.provenance import fingerprint
from shared.readmodels.snapshot import Organisation
from shared.readmodels.timeline import step
from shared.wire.envelope import Envelope

PARENT, CHILD = "11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222"
SHIPPER = "33333333-3333-3333-3333-333333333333"
T = "44444444-4444-4444-4444-444444444444"


def an_event(batch: str, version: int, position: int, name: str, **payload: Any) -> BatchEvent:
    envelope = Envelope(
        event_id=f"00000000-0000-4000-8000-{position:012d}",
        type=f"Batch.{name}",
        aggregate_type="Batch",
        aggregate_id=batch,
        aggregate_version=version,
        position=position,
        occurred_at="2025-10-05T00:00:00+00:00",
        schema_version=1,
        payload={"at": f"2025-10-05T0{version}:00:00+00:00", **payload},
    )
    return BatchEvent.from_envelope(envelope)


def _history() -> tuple[dict[str, list[BatchEvent]], dict[str, list[Edge]]]:
    parent = [
        an_event(
            PARENT,
            1,
            1,
            "Harvested",
            code="TH-2025-000001",
            holder_id=SHIPPER,
            plot_ids=[],
            harvested_on="2025-10-05",
            commodity="rice",
            quantity={"amount": "10", "unit": "kg"},
        ),
        an_event(
            PARENT,
            2,
            2,
            "TransformedOut",
            transformation_id=T,
            by=SHIPPER,
            quantity_taken={"amount": "6", "unit": "kg"},
            output_codes=["TH-2025-000002"],
        ),
        an_event(PARENT, 3, 4, "Inspected", lab="Quatest 3", result="fail", by=SHIPPER),
        an_event(PARENT, 4, 5, "Corrected", amends_version=1, reason="wrong date", changes={}),
        an_event(PARENT, 5, 6, "Corrected", amends_version=3, reason="lab typo", changes={}),
        an_event(PARENT, 6, 7, "Recalled", reason="aflatoxin", by=None),
    ]
    child = [
        an_event(
            CHILD,
            1,
            3,
            "Produced",
            code="TH-2025-000002",
            holder_id=SHIPPER,
            step="packing",
            transformation_id=T,
            commodity="rice",
            quantity={"amount": "6", "unit": "kg"},
            parents=[{"batch_id": PARENT, "code": "TH-2025-000001", "amount": "6", "unit": "kg"}],
        ),
    ]
    edge = Edge(PARENT, CHILD, T, "TH-2025-000001", "TH-2025-000002", Decimal(6), "kg")
    return {PARENT: parent, CHILD: child}, {CHILD: [edge]}


def test_a_parents_events_after_it_fed_the_child_are_not_the_childs_journey() -> None:
    events, parents = _history()

    covered, ancestors = journey(CHILD, events, parents)

    assert ancestors == {PARENT}
    assert [(e.batch_id == PARENT, e.name) for e in covered] == [
        (True, "Harvested"),
        (True, "TransformedOut"),
        (False, "Produced"),
        (True, "Corrected"),
        (True, "Recalled"),
    ]
    assert covered[3].payload["amends_version"] == 1


def test_until_the_parent_says_where_it_fed_the_child_all_its_known_events_are_taken() -> None:
    events, parents = _history()
    events[PARENT] = [e for e in events[PARENT] if e.name != "TransformedOut"]

    covered, _ = journey(CHILD, events, parents)

    assert len(covered) == len(events[PARENT]) + 1


def test_the_fingerprint_is_the_hash_of_the_envelope_digests_in_position_order() -> None:
    events, _ = _history()
    canonical = [e.canonical for e in events[PARENT]]
    digests = [hashlib.sha256(c.encode()).hexdigest() for c in canonical]

    assert fingerprint(canonical) == hashlib.sha256("\n".join(digests).encode()).hexdigest()
    assert fingerprint(canonical) != fingerprint(canonical[:-1])


def test_a_shipment_step_names_the_receiver_but_never_the_transport_document() -> None:
    receiver = Organisation(
        CHILD,
        "enterprise",
        "Công ty CP Gạo Xứ Thanh",
        "12 Lê Lợi",
        "Phường Hạc Thành",
        None,
        "Thanh Hóa",
    )
    shipped = an_event(
        PARENT,
        2,
        2,
        "Shipped",
        by=SHIPPER,
        to=CHILD,
        transport_document="VD-PRIVATE",
        quantity={"amount": "9", "unit": "kg"},
    )

    line = step(shipped, "TH-2025-000001", {CHILD: receiver}, own=True)

    assert line is not None
    assert line["summary"] == {"to": "Công ty CP Gạo Xứ Thanh"}
    assert line["organisation"] is None  # the shipper is not known yet


def test_the_holder_quantity_and_status_fold_from_the_batchs_own_events() -> None:
    events, _ = _history()

    state = fold(PARENT, events[PARENT])

    assert state.created
    assert (state.quantity.amount, state.status, state.recalled) == (Decimal(4), "active", True)


def test_a_certificate_holds_from_its_first_to_its_last_day() -> None:
    assert holds_on("2025-01-01", "2025-12-31", date(2025, 12, 31))
    assert not holds_on("2025-01-01", "2025-12-31", date(2026, 1, 1))
    assert not holds_on("2025-01-01", None, date(2024, 12, 31))
    assert holds_on(None, None, date(2024, 12, 31))


def test_validity_is_recomputed_for_the_day_a_page_is_served() -> None:
    document = ProvenanceDocument(  # type: ignore[typeddict-item]
        certifications=[
            {
                "scheme": "VietGAP",
                "holder": "HTX",
                "certificate": "VG-1",
                "valid_from": "2025-01-01",
                "valid_until": "2025-12-31",
                "valid_now": True,
            }
        ],
        recall=Recall(recalled=False, at=None, reason=None, origin_batch_code=None),
    )

    refreshed = refresh_validity(document, date(2026, 1, 1))

    assert refreshed["certifications"][0]["valid_now"] is False
    assert document["certifications"][0]["valid_now"] is True


def test_the_stored_canonical_json_is_byte_for_byte_the_envelopes_own() -> None:
    envelope = Envelope(
        event_id="00000000-0000-4000-8000-000000000009",
        type="Batch.Harvested",
        aggregate_type="Batch",
        aggregate_id=PARENT,
        aggregate_version=1,
        position=9,
        occurred_at="2025-10-05T00:00:00+00:00",
        schema_version=1,
        payload={
            "code": "TH-2025-000001",
            "commodity": "lúa",
            "nested": {"b": [1, "ạ"], "a": None},
        },
    )

    assert canonical_json(envelope) == envelope.to_json().decode()
