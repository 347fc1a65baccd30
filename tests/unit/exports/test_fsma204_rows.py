"""Which platform events are which critical tracking events, on hand-made facts."""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.exports import fsma204
from shared.readmodels.exports import BatchEvent, LotFacts

COOP = "00000000-0000-0000-0000-00000000c001"
MILL = "00000000-0000-0000-0000-00000000e001"
HARVEST = "00000000-0000-0000-0000-0000000000b1"
FLOUR = "00000000-0000-0000-0000-0000000000b2"
BAGS = "00000000-0000-0000-0000-0000000000b3"
AT = "2025-10-05T03:00:00+00:00"


def _created(batch: str, code: str, kind: str = "Harvested", **extra: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "code": code,
        "commodity": "cassava",
        "variety": None,
        "quantity": {"amount": "100", "unit": "kg"},
        "holder_id": COOP if kind == "Harvested" else MILL,
        "at": AT,
        "plot_ids": [],
        "harvested_on": "2025-10-05",
    }
    return payload | extra


def _facts(*events: tuple[str, str, dict[str, Any]]) -> LotFacts:
    made = tuple(
        BatchEvent(position, batch, position, kind, payload)
        for position, (batch, kind, payload) in enumerate(events, start=1)
    )
    return LotFacts((), made, {FLOUR: frozenset({HARVEST}), BAGS: frozenset({HARVEST, FLOUR})})


def _kinds(facts: LotFacts, reader: str | None = None) -> list[tuple[str, str]]:
    return [
        (row.event_type, row.traceability_lot_code)
        for row in fsma204.rows(facts, fsma204.Request(reader_id=reader))
    ]


def _produced(batch: str, code: str, step: str, parent: str) -> tuple[str, str, dict[str, Any]]:
    parents = [{"batch_id": parent, "code": parent[-2:], "amount": "100", "unit": "kg"}]
    payload = _created(batch, code, "Produced", step=step, parents=parents, transformation_id="t")
    return (batch, "Produced", payload)


def test_labelling_a_lot_no_one_packed_before_is_its_initial_packing() -> None:
    facts = _facts(
        (HARVEST, "Harvested", _created(HARVEST, "H")),
        (
            HARVEST,
            "Processed",
            {
                "by": COOP,
                "at": AT,
                "step": "milling",
                "facility": "x",
                "quantity_after": {"amount": "90", "unit": "kg"},
            },
        ),
        (HARVEST, "Inspected", {"by": COOP, "at": AT, "lab": "Q", "result": "pass"}),
        (HARVEST, "Labelled", {"by": COOP, "at": AT, "gtin": "08930000000017", "lot": "L1"}),
    )

    assert _kinds(facts) == [("Harvesting", "H"), ("Initial Packing", "H")]


def test_packing_what_was_packed_before_is_a_transformation() -> None:
    facts = _facts(
        (HARVEST, "Harvested", _created(HARVEST, "H")),
        _produced(FLOUR, "F", "packing", HARVEST),
        _produced(BAGS, "B", "packing", FLOUR),
    )

    assert _kinds(facts) == [
        ("Harvesting", "H"),
        ("Initial Packing", "F"),
        ("Transformation", "B"),
    ]


def test_a_recalled_lot_says_so_in_its_rows() -> None:
    facts = _facts(
        (HARVEST, "Harvested", _created(HARVEST, "H")),
        (HARVEST, "Recalled", {"by": None, "at": AT, "reason": "aflatoxin"}),
    )

    assert [r.recall_status for r in fsma204.rows(facts, fsma204.Request())] == ["recalled"]


def test_another_organisations_quantity_is_left_blank_unless_published() -> None:
    facts = _facts((HARVEST, "Harvested", _created(HARVEST, "H")))

    (row,) = fsma204.rows(facts, fsma204.Request(reader_id=MILL))
    (own,) = fsma204.rows(facts, fsma204.Request(reader_id=COOP))

    assert (row.quantity, row.unit_of_measure) == (None, "kg")
    assert own.quantity == 100
    assert own.event_date == date(2025, 10, 5)


def test_every_column_has_its_fda_heading_in_the_csv() -> None:
    facts = _facts((HARVEST, "Harvested", _created(HARVEST, "H")))

    text = fsma204.to_csv(fsma204.rows(facts, fsma204.Request())).decode("utf-8-sig")

    header, line = text.splitlines()
    assert header.split(",")[:4] == [
        "Critical Tracking Event",
        "Event Date",
        "Traceability Lot Code (TLC)",
        "Traceability Lot Code Source Description",
    ]
    assert line.startswith("Harvesting,2025-10-05,H,")
