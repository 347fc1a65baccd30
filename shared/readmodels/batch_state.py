"""A batch's current state, folded from its own events in version order (the catalogue row).

Folding from the stored events, rather than updating a row per event as it arrives, is what
makes the result independent of arrival order: whatever came first, the fold sees them sorted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from shared.domain.quantities import Quantity
from shared.readmodels.events import CREATED, BatchEvent


@dataclass
class BatchState:
    batch_id: str
    created: bool = False
    code: str = ""
    commodity: str = ""
    variety: str | None = None
    quantity: Quantity = field(default_factory=lambda: Quantity.of("0", "kg"))
    status: str = "active"
    holder_id: str | None = None
    recalled: bool = False  # recalled itself; inherited recalls are the document's business
    gtin: str | None = None
    lot: str | None = None
    best_before: str | None = None  # ISO date, GS1 AI 15, set when labelled with one
    value_chain_ids: list[str] = field(default_factory=list)
    last_position: int = 0

    @property
    def quantity_text(self) -> str:
        return f"{self.quantity.amount} {self.quantity.unit.value}"


def fold(batch_id: str, events: Iterable[BatchEvent]) -> BatchState:
    state = BatchState(batch_id)
    for event in sorted(events, key=lambda e: e.version):
        _apply(state, event)
        state.last_position = max(state.last_position, event.position)
    return state


def _apply(state: BatchState, event: BatchEvent) -> None:
    p = event.payload
    name = event.name
    if name in CREATED:
        state.created = True
        state.code = str(p["code"])
        state.commodity = str(p["commodity"])
        state.variety = p.get("variety")
        state.quantity = Quantity.from_dict(p["quantity"])
        state.holder_id = str(p["holder_id"])
        state.value_chain_ids = [str(c) for c in p.get("value_chain_ids") or []]
    elif name == "Processed":
        state.quantity = Quantity.from_dict(p["quantity_after"])
        state.commodity = str(p.get("commodity_after") or state.commodity)
    elif name == "TransformedOut":
        taken = Quantity.from_dict(p["quantity_taken"])
        if taken.commensurable_with(state.quantity):
            state.quantity = state.quantity - taken
        if state.quantity.amount <= Decimal(0):
            state.status = "depleted"
    elif name == "Shipped":
        state.status = "in_transit"
    elif name == "Received":
        state.status = "active"
        state.holder_id = str(p["by"])
        state.quantity = Quantity.from_dict(p["quantity"])
    elif name == "Labelled":
        state.gtin, state.lot = str(p["gtin"]), str(p["lot"])
    elif name == "BestBeforeSet":
        state.best_before = str(p["best_before"])
    elif name == "Recalled":
        state.recalled = True
    elif name == "Sold":
        state.status = str(p["outcome"])
    elif name == "Corrected" and p.get("quantity"):
        state.quantity = Quantity.from_dict(p["quantity"])
