"""Golden files pin the EPCIS form of every mapped domain event (docs/epcis.md).

Each case is a fixed envelope, shaped as the domain publishes it (docs/events.md), mapped by
``shared.epcis.mapping.map_envelope`` over a fixed context and named by the CBV 2.0 event hash,
as the epcis projection stores it. ``tests/golden/epcis/<event type>.json`` holds the events a
partner receives for it, compared exactly; ``Batch.Corrected.json`` holds the amended event as
re-sent with its error declaration, then the corrective event. Every golden file also passes
GS1's JSON schema and epcis2.js.

A changed golden file is a changed ``eventID``: change the mapping deliberately, bump
``MAPPING_VERSION``, then regenerate the files and review their diff::

    python tests/unit/epcis/test_mapping_golden.py --update
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from shared.epcis import identifiers
from shared.epcis.event_hash import event_hash
from shared.epcis.mapping import (
    MAPPED,
    BatchRef,
    MappingContext,
    Place,
    declared,
    document,
    map_envelope,
)
from shared.epcis.schema import validate_document
from shared.wire.envelope import Envelope

GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "epcis"

COOPERATIVE = "0b9e3f5c-1d2a-4c8e-9f01-000000000001"  # has a party GLN
MILLER = "0b9e3f5c-1d2a-4c8e-9f01-000000000002"  # has none
PLOT = "0b9e3f5c-1d2a-4c8e-9f01-000000000003"  # has its own GLN
CHAIN = "0b9e3f5c-1d2a-4c8e-9f01-000000000004"
HARVEST = "0b9e3f5c-1d2a-4c8e-9f01-0000000000a1"  # TH-2026-000123, not labelled
SECOND = "0b9e3f5c-1d2a-4c8e-9f01-0000000000a2"  # TH-2026-000124, not labelled
MILLED = "0b9e3f5c-1d2a-4c8e-9f01-0000000000a3"  # TH-2026-000125, labelled
TRANSFORMATION = "0b9e3f5c-1d2a-4c8e-9f01-0000000000b1"
RECALL = "0b9e3f5c-1d2a-4c8e-9f01-0000000000c1"
COOPERATIVE_GLN = "8930000000019"
PLOT_GLN = "8930000000026"
GTIN, LOT = "08930000000017", "L01-10A"


class GoldenContext(MappingContext):
    """The master data as it stood: the milled lot labelled, the cooperative and its plot
    with GLNs, the miller without one."""

    def batch(self, batch_id: str) -> BatchRef | None:
        codes = {HARVEST: "TH-2026-000123", SECOND: "TH-2026-000124", MILLED: "TH-2026-000125"}
        if batch_id not in codes:
            return None
        labelled = identifiers.lot_class(GTIN, LOT) if batch_id == MILLED else None
        return BatchRef(
            batch_id, codes[batch_id], labelled or identifiers.batch_class(codes[batch_id]), "kg"
        )

    def party(self, organisation_id: str) -> Place:
        if organisation_id == COOPERATIVE:
            return Place(identifiers.party(COOPERATIVE_GLN))
        return Place(identifiers.organisation(organisation_id))

    def location_of_organisation(self, organisation_id: str) -> Place:
        if organisation_id == COOPERATIVE:
            return Place(identifiers.location(COOPERATIVE_GLN))
        return Place(identifiers.organisation(organisation_id))

    def plot(self, plot_id: str) -> Place:
        geo = {"type": "Point", "coordinates": [105.776543, 19.807654]}
        return Place(identifiers.location(PLOT_GLN), geo if plot_id == PLOT else None)

    def amended(self, batch_id: str, version: int) -> Envelope | None:
        inspected = CASES["Batch.Inspected"]
        found = (inspected.aggregate_id, inspected.aggregate_version) == (batch_id, version)
        return inspected if found else None


def _kg(amount: str) -> dict[str, str]:
    return {"amount": amount, "unit": "kg"}


def _envelope(position: int, case: tuple[str, str, int, dict[str, Any]]) -> Envelope:
    kind, batch, version, payload = case
    hour = position - 100  # one event an hour, from 5 October 2026 08:00 in Vietnam
    return Envelope(
        event_id=f"5d0c1e2a-7b3f-5a4e-8c9d-{position:012d}",
        type=kind,
        aggregate_type="Batch",
        aggregate_id=batch,
        aggregate_version=version,
        position=position,
        occurred_at=f"2026-10-05T{1 + hour:02d}:00:15.123456+00:00",
        schema_version=1,
        payload={"at": f"2026-10-05T{1 + hour:02d}:00:00+00:00", **payload},
    )


_FACTS: list[tuple[str, str, int, dict[str, Any]]] = [
    (
        "Batch.Harvested", HARVEST, 1,
        {
            "code": "TH-2026-000123", "commodity": "rice", "variety": "Nếp cái hoa vàng",
            "quantity": _kg("1250.5"), "holder_id": COOPERATIVE, "value_chain_ids": [CHAIN],
            "plot_ids": [PLOT], "harvested_on": "2026-10-05", "interval_override": None,
        },
    ),
    (
        "Batch.Processed", HARVEST, 2,
        {
            "by": COOPERATIVE, "step": "drying", "facility": "Sân phơi HTX",
            "quantity_after": _kg("1100"), "commodity_after": None,
        },
    ),
    (
        "Batch.Shipped", HARVEST, 3,
        {
            "by": COOPERATIVE, "to": MILLER, "transport_document": "VD 01/10",
            "quantity": _kg("1100"),
        },
    ),
    ("Batch.Received", HARVEST, 4, {"by": MILLER, "quantity": _kg("1098.5")}),
    (
        "Batch.Produced", MILLED, 1,
        {
            "code": "TH-2026-000125", "commodity": "rice", "variety": "Nếp cái hoa vàng",
            "quantity": _kg("700"), "holder_id": MILLER, "value_chain_ids": [CHAIN],
            "transformation_id": TRANSFORMATION, "step": "milling",
            "parents": [
                {"batch_id": HARVEST, "code": "TH-2026-000123", "amount": "800", "unit": "kg"},
                {"batch_id": SECOND, "code": "TH-2026-000124", "amount": "300", "unit": "kg"},
            ],
        },
    ),
    (
        "Batch.Inspected", MILLED, 2,
        {
            "by": MILLER, "lab": "Quatest 3", "parameters": {"moisture": "14%"},
            "result": "fail", "document": "KQ-2026/118",
        },
    ),
    (
        "Batch.Certified", MILLED, 3,
        {
            "by": MILLER, "scheme": "organic", "certificate": "ORG 2026/7",
            "valid_from": "2026-01-01", "valid_until": "2027-01-01",
        },
    ),
    (
        "Batch.Labelled", SECOND, 2,
        {"by": MILLER, "gtin": GTIN, "lot": "L02-10B", "labels_issued": 200},
    ),
    ("Batch.Sold", MILLED, 4, {"by": MILLER, "outcome": "sold"}),
    ("Batch.Recalled", MILLED, 5, {"by": None, "reason": "Vượt ngưỡng dư lượng"}),
    (
        "Batch.RecallReached", SECOND, 3,
        {"by": None, "recalled_batch_id": MILLED, "recalled_code": "TH-2026-000125"},
    ),
    ("Batch.Withdrawn", MILLED, 6, {"by": MILLER, "recall_id": RECALL, "quantity": _kg("200")}),
    ("Batch.Destroyed", MILLED, 7, {"by": MILLER, "recall_id": RECALL, "quantity": _kg("50")}),
    (
        "Batch.RecallLifted", SECOND, 4,
        {
            "by": None, "recall_id": RECALL, "recalled_code": "TH-2026-000125",
            "reason": "Kết quả kiểm nghiệm lại đạt",
        },
    ),
    (
        "Batch.Corrected", MILLED, 8,
        {
            "by": MILLER, "amends_version": 2, "reason": "nhập nhầm kết quả",
            "changes": {"result": "pass", "lab": "Quatest 1"}, "quantity": None,
        },
    ),
]  # fmt: skip
CASES: dict[str, Envelope] = {
    case[0]: _envelope(100 + index, case) for index, case in enumerate(_FACTS)
}


def _served(envelope: Envelope) -> list[dict[str, Any]]:
    """The events as the projection stores and serves them: recorded when the envelope was,
    named by their hash."""
    served = []
    for mapped in map_envelope(envelope, GoldenContext()):
        event = {"recordTime": envelope.occurred_at, **mapped.event}
        served.append({"eventID": event_hash(event), **event})
    return served


def events_of(case: str) -> list[dict[str, Any]]:
    envelope = CASES[case]
    if envelope.type != "Batch.Corrected":
        return _served(envelope)
    corrective = _served(envelope)
    [amended] = _served(CASES["Batch.Inspected"])
    declaration = declared(envelope, [e["eventID"] for e in corrective])
    return [{**amended, **declaration}, *corrective]


def _golden(case: str) -> Any:
    return json.loads((GOLDEN / f"{case}.json").read_text(encoding="utf-8"))


def test_every_mapped_event_type_has_a_case() -> None:
    assert set(CASES) == MAPPED
    assert sorted(p.stem for p in GOLDEN.glob("*.json")) == sorted(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_events_match_their_golden_file(case: str) -> None:
    assert events_of(case) == _golden(case)


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_golden_events_are_named_by_their_hash(case: str) -> None:
    assert all(event["eventID"] == event_hash(event) for event in _golden(case))


def test_the_golden_files_pass_gs1s_schema_and_epcis2js() -> None:
    from tests.epcis_validation import validate_many_with_epcis2js

    documents = [document(_golden(case), created="2026-12-02T00:00:00.000Z") for case in CASES]
    assert [validate_document(d) for d in documents] == [[]] * len(documents)
    assert validate_many_with_epcis2js(documents) == [[]] * len(documents)


def _update() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for case in sorted(CASES):
        text = json.dumps(events_of(case), ensure_ascii=False, indent=2) + "\n"
        (GOLDEN / f"{case}.json").write_text(text, encoding="utf-8")
        print(f"wrote {GOLDEN / case}.json")


if __name__ == "__main__" and "--update" in sys.argv:
    _update()
