"""A batch's steps as the trace keeps them, and the state they fold to at any date.

Every batch event is one step row (``rm_trace_steps``): its kind (the event's name), its
business time ``at``, when it was recorded, the organisation acting and the one addressed, and
the quantity it moved. A new kind of step (a recall's withdrawal) is one more kind here, not a
new table. Folding steps gives a batch's state (holder, quantity, status, recall) and where
its quantity went inside it (lost in place, unexplained, recovered): from all steps for the
trace as it stands now (kept in ``rm_trace_nodes``), or from those on or before ``as_of`` and
recorded by ``known_at`` for a trace as it stood.

Values are read defensively: whatever the capture API accepted is projected, an unreadable
quantity or time becomes NULL rather than stopping the projector.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from shared.trace.balance import convert
from shared.wire.envelope import Envelope

CREATED = frozenset({"Harvested", "Produced"})
RECALL_STEPS = frozenset({"Recalled", "RecallReached"})
LIFTED = frozenset({"RecallLifted"})
# A recall's own steps that take a quantity off the market (issue 10, h5's events).
RECOVERED = frozenset({"RecallWithdrawn", "RecallDestroyed", "Withdrawn", "Destroyed"})
# Which payload field holds the quantity each kind of step moved.
_QUANTITY_FIELD = {
    "Harvested": "quantity",
    "Produced": "quantity",
    "Processed": "quantity_after",
    "TransformedOut": "quantity_taken",
    "Shipped": "quantity",
    "Received": "quantity",
    "Corrected": "quantity",
    **dict.fromkeys(RECOVERED, "quantity"),
}


@dataclass(frozen=True)
class Step:
    """One row of ``rm_trace_steps``."""

    batch_id: str
    version: int
    position: int
    kind: str
    at: datetime | None
    recorded_at: datetime | None
    org_id: str | None
    to_id: str | None
    amount: Decimal | None
    unit: str | None
    detail: dict[str, Any]


STEP_COLUMNS = (
    "batch_id, version, position, kind, at, recorded_at, org_id, to_id, amount, unit, detail"
)


def step_of(envelope: Envelope) -> Step:
    """The step a batch envelope records."""
    p = envelope.payload
    kind = envelope.type.rsplit(".", 1)[-1]
    amount, unit = quantity_of(p.get(_QUANTITY_FIELD.get(kind, "quantity")))
    org = p.get("holder_id") if kind in CREATED else p.get("by")
    detail = {
        key: p[key]
        for key in _DETAIL.get(kind, ())
        if key in p and isinstance(p[key], str | int | list | type(None))
    }
    return Step(
        batch_id=envelope.aggregate_id,
        version=envelope.aggregate_version,
        position=envelope.position,
        kind=kind,
        at=_moment(p.get("at")),
        recorded_at=_moment(envelope.occurred_at),
        org_id=_uuid_text(org),
        to_id=_uuid_text(p.get("to")) if kind == "Shipped" else None,
        amount=amount,
        unit=unit,
        detail=detail,
    )


_DETAIL: dict[str, tuple[str, ...]] = {
    "Harvested": ("code", "commodity", "variety", "plot_ids", "harvested_on"),
    "Produced": ("code", "commodity", "variety", "transformation_id", "step"),
    "Processed": ("step", "commodity_after"),
    "TransformedOut": ("transformation_id",),
    "Labelled": ("gtin", "lot"),
    "Sold": ("outcome",),
    "RecallReached": ("recalled_code",),
}


def quantity_of(value: Any) -> tuple[Decimal | None, str | None]:
    if not isinstance(value, dict):
        return None, None
    try:
        amount = Decimal(str(value.get("amount")))
    except (InvalidOperation, ValueError):
        return None, None
    if not amount.is_finite():
        return None, None
    unit = value.get("unit")
    return amount, str(unit) if unit is not None else None


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _uuid_text(value: Any) -> str | None:
    return str(value) if isinstance(value, str) and len(value) == 36 else None


@dataclass
class NodeState:
    """A batch as its steps leave it (see the module's docstring)."""

    batch_id: str
    created: bool = False
    code: str = ""
    product: str = ""
    holder_id: str | None = None
    producer_id: str | None = None
    in_transit_to: str | None = None
    status: str = "active"
    amount: Decimal | None = None
    unit: str = "kg"
    produced_amount: Decimal | None = None
    produced_unit: str | None = None
    produced_at: datetime | None = None
    recorded_at: datetime | None = None
    recalled: bool = False
    recall_origin: str | None = None
    gtin: str | None = None
    lot: str | None = None
    plot_ids: list[str] = field(default_factory=list)
    harvested_on: date | None = None
    transformation_id: str | None = None
    step: str | None = None
    lost: Decimal = Decimal(0)
    unexplained: Decimal = Decimal(0)
    recovered: Decimal = Decimal(0)
    parties: set[str] = field(default_factory=set)
    last_position: int = 0


def fold(batch_id: str, steps: Iterable[Step]) -> NodeState:
    """The state of a batch after ``steps`` (any order: they are applied by version)."""
    state = NodeState(batch_id)
    for step in sorted(steps, key=lambda s: s.version):
        _apply(state, step)
        state.last_position = max(state.last_position, step.position)
    return state


def _in_unit(state: NodeState, step: Step) -> Decimal | None:
    if step.amount is None:
        return None
    return convert(step.amount, step.unit or state.unit, state.unit)


def _apply(state: NodeState, step: Step) -> None:
    kind, d = step.kind, step.detail
    if kind in CREATED:
        _created(state, step)
    elif kind in _MOVES:
        _moved(state, step)
    elif kind == "Shipped":
        state.status = "in_transit"
        state.in_transit_to = step.to_id
        if step.to_id:
            state.parties.add(step.to_id)
    elif kind == "Labelled":
        state.gtin, state.lot = _text(d.get("gtin")), _text(d.get("lot"))
    elif kind == "Sold":
        state.status = str(d.get("outcome") or "sold")
    elif kind in RECALL_STEPS:
        state.recalled = True
        state.recall_origin = _text(d.get("recalled_code")) or state.code
    elif kind in LIFTED:
        state.recalled, state.recall_origin = False, None


_MOVES = frozenset({"Processed", "TransformedOut", "Received", "Corrected", *RECOVERED})


def _moved(state: NodeState, step: Step) -> None:
    """A step that changes what the batch holds, and says where the difference went."""
    kind = step.kind
    if kind == "Received":
        state.status = "active"
        state.holder_id = step.org_id or state.holder_id
        state.in_transit_to = None
        if step.org_id:
            state.parties.add(step.org_id)
    moved = _in_unit(state, step)
    if moved is None:
        return
    held = state.amount if state.amount is not None else Decimal(0)
    if kind == "Processed":
        state.lost += held - moved
        state.amount = moved
        state.product = str(step.detail.get("commodity_after") or state.product)
    elif kind == "TransformedOut":
        state.amount = held - moved
        if state.amount <= 0:
            state.status = "depleted"
    elif kind in ("Received", "Corrected"):
        state.unexplained += held - moved
        state.amount = moved
    else:  # recovered under a recall: off the market, out of what it holds
        state.recovered += moved
        state.amount = held - moved


def _created(state: NodeState, step: Step) -> None:
    d = step.detail
    state.created = True
    state.code = str(d.get("code") or "")
    state.product = str(d.get("commodity") or "")
    state.holder_id = state.producer_id = step.org_id
    if step.org_id:
        state.parties.add(step.org_id)
    state.amount = state.produced_amount = step.amount
    state.unit = step.unit or "kg"
    state.produced_unit = step.unit
    state.produced_at = step.at
    state.recorded_at = step.recorded_at
    plots = d.get("plot_ids")
    state.plot_ids = [str(p) for p in plots] if isinstance(plots, list) else []
    harvested = d.get("harvested_on")
    try:
        state.harvested_on = date.fromisoformat(harvested) if isinstance(harvested, str) else None
    except ValueError:
        state.harvested_on = None
    state.transformation_id = _text(d.get("transformation_id"))
    state.step = _text(d.get("step"))


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
