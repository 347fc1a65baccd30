"""What a correction replaces in the event it amends, and what it only lists (docs/epcis.md)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from shared.epcis.mapping import corrected_facts, map_envelope
from shared.wire.envelope import Envelope
from tests.unit.epcis.test_mapping_golden import CASES, MILLER, GoldenContext


def _correction(changes: dict[str, str], quantity: dict[str, str] | None = None) -> Envelope:
    corrected = CASES["Batch.Corrected"]
    payload = {**corrected.payload, "changes": changes, "quantity": quantity}
    return replace(corrected, payload=payload)


def test_a_corrected_quantity_replaces_the_quantity_the_step_left() -> None:
    processed = CASES["Batch.Processed"]
    quantity = {"amount": "1080", "unit": "kg"}

    facts = corrected_facts(processed, _correction({"facility": "Lò sấy"}, quantity))

    assert facts.payload["quantity_after"] == quantity
    assert facts.payload["facility"] == "Lò sấy"
    assert facts.type == processed.type
    assert facts.payload["at"] == processed.payload["at"]


def test_who_when_and_which_batch_are_not_replaced_in_place() -> None:
    shipped = CASES["Batch.Shipped"]
    changes = {"to": MILLER.replace("2", "9"), "at": "2026-10-01T00:00:00+00:00", "code": "X"}

    facts = corrected_facts(shipped, _correction({**changes, "transport_document": "VD 02/10"}))

    assert {k: facts.payload[k] for k in ("to", "at")} == {
        k: shipped.payload[k] for k in ("to", "at")
    }
    assert facts.payload["transport_document"] == "VD 02/10"
    assert "code" not in facts.payload  # a change naming no field of the event adds none


class _AmendsNothing(GoldenContext):
    def amended(self, batch_id: str, version: int) -> Envelope | None:
        del batch_id, version
        return None


class _AmendsAMessage(GoldenContext):
    def amended(self, batch_id: str, version: int) -> Envelope | None:
        del batch_id, version
        return replace(CASES["Batch.Sold"], type="Batch.RecallAcknowledged")


def test_a_correction_of_what_maps_to_nothing_maps_to_nothing() -> None:
    correction = _correction({"result": "pass"})
    contexts: list[Any] = [_AmendsNothing(), _AmendsAMessage()]

    assert [map_envelope(correction, context) for context in contexts] == [[], []]


def test_the_corrective_event_lists_every_change_as_given() -> None:
    changes = {"result": "pass", "at": "2026-10-01T00:00:00+00:00"}

    [corrective] = map_envelope(_correction(changes), GoldenContext())

    assert corrective.event["nguon:changes"] == changes
    assert corrective.event["disposition"] == "conformant"
    assert corrective.event["eventTime"] == "2026-10-05T13:00:00.000+07:00"  # the inspection's
