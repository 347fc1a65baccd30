"""The shapes of a trace: a graph of batches, the transformations and shipments between them.

One ``TraceGraph`` answers ``GET /api/v1/trace/{ref}``, draws the staff apps' picture and feeds
the recall report, so all three always agree. Quantities an organisation has not published are
``None`` for a viewer who may not see them (never zero: an unknown is not an absence).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class Direction(StrEnum):
    BACK = "back"
    FORWARD = "forward"
    BOTH = "both"


@dataclass(frozen=True)
class Amount:
    """An exact quantity as the trace shows it: ``amount`` in ``unit`` (kg, t, piece, bundle, L)."""

    amount: Decimal
    unit: str


@dataclass(frozen=True)
class TraceNode:
    """One batch as it stood at the trace's ``as_of`` (or now).

    ``depth`` is negative for ancestors, 0 for the batch asked about, positive for descendants.
    ``quantity`` is what it holds (None where the viewer may not see it); ``produced`` what it
    was made or harvested with.
    """

    batch_id: str
    code: str
    product: str
    depth: int
    holder_id: str | None
    status: str  # "active", "in_transit", "sold", "consumed", ... as the batch's state says
    quantity: Amount | None
    produced: Amount | None
    produced_at: datetime | None
    recalled: bool
    recall_origin: str | None  # the code whose recall reached it
    gtin: str | None = None
    lot: str | None = None
    plot_ids: tuple[str, ...] = ()  # the plots a harvest came from (empty for made batches)
    harvested_on: date | None = None
    # Where the rest of ``produced`` went inside the batch itself (added by the trace work, for
    # the mass balance): lost in place (drying, cleaning), unexplained (received less than
    # shipped, corrected down), recovered under a recall (withdrawn, destroyed). In the unit of
    # ``quantity``; None where the viewer may not see the batch's quantities.
    lost: Amount | None = None
    unexplained: Amount | None = None
    recovered: Amount | None = None


@dataclass(frozen=True)
class TraceLink:
    """A parent gave ``amount`` to a child in a transformation (split, merge, milling...)."""

    parent_id: str
    child_id: str
    transformation_id: str
    amount: Amount | None
    at: datetime | None


@dataclass(frozen=True)
class TraceFlow:
    """One input or output of a transformation: the batch and its amount (None: not published)."""

    batch_id: str
    amount: Amount | None


@dataclass(frozen=True)
class TraceTransformation:
    """A transformation the graph passes through, with ALL its inputs and outputs, also those
    outside the graph: a back trace meets the siblings of its lot, a forward trace the batches
    merged into its descendants, and the mass balance must say what entered and left."""

    transformation_id: str
    step: str | None
    at: datetime | None
    inputs: tuple[TraceFlow, ...]
    outputs: tuple[TraceFlow, ...]


@dataclass(frozen=True)
class TraceShipment:
    """A batch went from one organisation to another; ``received`` is None while on the road."""

    batch_id: str
    from_id: str
    to_id: str
    shipped: Amount | None
    shipped_at: datetime
    received: Amount | None
    received_at: datetime | None


@dataclass(frozen=True)
class TraceParty:
    organisation_id: str
    name: str
    kind: str  # "cooperative", "enterprise", ...
    commune: str | None
    publishes_quantities: bool


@dataclass(frozen=True)
class TracePlot:
    plot_id: str
    organisation_id: str
    name: str
    commune: str | None
    area_ha: Decimal | None


@dataclass(frozen=True)
class TraceGraph:
    """The answer to one trace: everything between the batch and the ends of its chain."""

    start_id: str
    direction: Direction
    as_of: date | None
    known_at: datetime | None
    nodes: tuple[TraceNode, ...]
    links: tuple[TraceLink, ...]
    shipments: tuple[TraceShipment, ...]
    parties: tuple[TraceParty, ...]
    plots: tuple[TracePlot, ...]
    transformations: tuple[TraceTransformation, ...] = ()

    def node(self, batch_id: str) -> TraceNode:
        return next(n for n in self.nodes if n.batch_id == batch_id)

    @property
    def communes(self) -> tuple[str, ...]:
        found = {p.commune for p in self.parties if p.commune}
        found |= {p.commune for p in self.plots if p.commune}
        return tuple(sorted(found))
