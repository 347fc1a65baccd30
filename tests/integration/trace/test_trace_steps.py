"""Steps read defensively, and balances per unit family (no database: pure functions)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from shared.readmodels.trace_steps import fold, step_of
from shared.trace.balance import balance
from shared.trace.graph import (
    Amount,
    Direction,
    TraceFlow,
    TraceGraph,
    TraceLink,
    TraceNode,
    TraceTransformation,
)
from shared.wire.envelope import Envelope

BATCH = "11111111-1111-4111-8111-111111111111"
HOLDER = "22222222-2222-4222-8222-222222222222"


def _envelope(version: int, kind: str, payload: dict[str, Any]) -> Envelope:
    return Envelope(
        event_id=f"00000000-0000-4000-8000-{version:012d}",
        type=f"Batch.{kind}",
        aggregate_type="Batch",
        aggregate_id=BATCH,
        aggregate_version=version,
        position=version,
        occurred_at="2025-10-05T01:00:00+00:00",
        schema_version=1,
        payload=payload,
    )


def test_an_unreadable_quantity_or_time_projects_as_null_instead_of_stopping() -> None:
    created = step_of(
        _envelope(
            1,
            "Harvested",
            {
                "code": "TH-2026-000001",
                "commodity": "rice",
                "holder_id": HOLDER,
                "quantity": {"amount": "1000", "unit": "kg"},
                "at": "2025-10-05T01:00:00+00:00",
                "plot_ids": [],
                "harvested_on": "2025-10-05",
            },
        )
    )
    odd = step_of(
        _envelope(2, "Processed", {"by": HOLDER, "at": "not a time", "quantity_after": "NaN"})
    )

    assert (odd.amount, odd.unit, odd.at) == (None, None, None)
    state = fold(BATCH, [odd, created])  # any order: folded by version
    assert (state.amount, state.lost, state.holder_id) == (Decimal(1000), Decimal(0), HOLDER)


def _node(batch_id: str, produced: Amount, quantity: Amount, status: str = "active") -> TraceNode:
    return TraceNode(
        batch_id=batch_id,
        code=batch_id,
        product="rice",
        depth=0,
        holder_id=HOLDER,
        status=status,
        quantity=quantity,
        produced=produced,
        produced_at=datetime(2025, 10, 5, tzinfo=UTC),
        recalled=False,
        recall_origin=None,
        lost=Amount(Decimal(0), produced.unit),
        unexplained=Amount(Decimal(0), produced.unit),
        recovered=Amount(Decimal(0), produced.unit),
    )


def test_tonnes_count_with_kilograms_and_packs_made_of_them_count_apart() -> None:
    rice = _node("rice", Amount(Decimal(2), "t"), Amount(Decimal(1), "t"))
    packs = _node("packs", Amount(Decimal(180), "piece"), Amount(Decimal(180), "piece"))
    packing = TraceTransformation(
        transformation_id="packing",
        step="packing",
        at=None,
        inputs=(TraceFlow("rice", Amount(Decimal(1000), "kg")),),
        outputs=(TraceFlow("packs", Amount(Decimal(180), "piece")),),
    )
    graph = TraceGraph(
        start_id="rice",
        direction=Direction.FORWARD,
        as_of=None,
        known_at=None,
        nodes=(rice, packs),
        links=(TraceLink("rice", "packs", "packing", Amount(Decimal(1000), "kg"), None),),
        shipments=(),
        parties=(),
        plots=(),
        transformations=(packing,),
    )

    figures = balance(graph)

    assert (figures.unit, figures.produced, figures.on_hand, figures.left) == (
        "kg",
        Decimal(2000),
        Decimal(1000),
        Decimal(1000),
    )
    (pieces,) = figures.other_units
    assert (pieces.unit, pieces.produced, pieces.on_hand) == ("piece", Decimal(180), Decimal(180))
