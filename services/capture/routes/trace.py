"""``GET /api/v1/trace/{ref}``: a batch's whole chain back and forward, with its mass balance.

A thin route over :class:`~shared.readmodels.trace.PostgresTraces`, which applies the
handbook's "Who may read what" once for every surface: staff tokens see everything; an
organisation's token sees the graph of a batch it holds, held or was sent, with other
organisations' quantities only where they publish them (``null``, never 0); any other
organisation is refused with 403 ``trace_not_permitted`` — consistent with
``GET /api/v1/batches/{ref}``, which already tells any token that the batch exists.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from services.capture.auth import CurrentActor
from services.capture.context import CaptureDep
from services.capture.schemas.common import NO_NUL, Day, Moment
from shared.readmodels.rebuild import connections_of
from shared.readmodels.trace import PostgresTraces, TraceAnswer
from shared.records.actors import Actor
from shared.trace.balance import MassBalance
from shared.trace.graph import Amount, Direction

router = APIRouter(prefix="/trace", tags=["trace"])
Ref = Annotated[
    str,
    Path(
        min_length=1,
        max_length=100,
        pattern=NO_NUL,
        description="batch code (TH-2026-000123) or batch id",
    ),
]
_LABEL: dict[str, Any] = {
    "description": "GS1 lot (AI 10) of the label",
    "max_length": 20,
    "pattern": NO_NUL,
}


class TraceQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    direction: Direction = Field(
        default=Direction.BOTH, description="back to the harvests, forward to every lot, or both"
    )
    as_of: Day | None = Field(
        default=None, description="the chain as it stood on this day (Vietnam), as known now"
    )
    known_at: Moment | None = Field(
        default=None, description="only what had been recorded by this instant"
    )


class LabelQuery(TraceQuery):
    """A labelled lot named as on its label: its GTIN (8 to 14 digits) and lot (AI 10)."""

    gtin: str = Field(min_length=8, max_length=14, pattern=NO_NUL, description="GTIN of the label")
    lot: str = Field(min_length=1, **_LABEL)


class QuantityOut(BaseModel):
    amount: str
    unit: str


class NodeOut(BaseModel):
    batch_id: str
    code: str
    product: str
    depth: int = Field(description="negative: ancestors; 0: the batch asked; positive: descendants")
    holder_id: str | None
    status: str
    quantity: QuantityOut | None = Field(description="null: its holder does not publish it")
    produced: QuantityOut | None
    produced_at: datetime | None
    recalled: bool
    recall_origin: str | None
    gtin: str | None
    lot: str | None
    plot_ids: list[str]
    harvested_on: date | None
    lost: QuantityOut | None
    unexplained: QuantityOut | None
    recovered: QuantityOut | None


class LinkOut(BaseModel):
    parent_id: str
    child_id: str
    transformation_id: str
    amount: QuantityOut | None
    at: datetime | None


class FlowOut(BaseModel):
    batch_id: str
    amount: QuantityOut | None


class TransformationOut(BaseModel):
    transformation_id: str
    step: str | None
    at: datetime | None
    inputs: list[FlowOut] = Field(description="every input, also those outside the graph")
    outputs: list[FlowOut] = Field(description="every output, also those outside the graph")


class ShipmentOut(BaseModel):
    batch_id: str
    from_id: str
    to_id: str
    shipped: QuantityOut | None
    shipped_at: datetime
    received: QuantityOut | None
    received_at: datetime | None = Field(description="null: still on the road")


class PartyOut(BaseModel):
    organisation_id: str
    name: str
    kind: str
    commune: str | None
    publishes_quantities: bool


class PlotOut(BaseModel):
    plot_id: str
    organisation_id: str
    name: str
    commune: str | None
    area_ha: str | None


class BalanceOut(BaseModel):
    """produced + entered = on_hand + on_road + sold + lost_in_processing + left + recovered
    + unaccounted, in ``unit`` (kg for masses); other units apart."""

    unit: str
    produced: str
    entered: str = Field(description="given to the chain's transformations by batches outside it")
    shipped: str
    received: str
    on_hand: str
    on_road: str
    sold: str
    lost_in_processing: str
    left: str = Field(description="given by its transformations to batches outside the graph")
    unaccounted: str
    recovered: str
    recovered_share: str | None = Field(description="of the recalled quantity; null: no recall")
    complete: bool = Field(description="false: some quantities are hidden, figures are a floor")
    other_units: list[BalanceOut]


class TraceOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "start_id": "5f0c7c1e-4a9b-5d2e-9c1a-2b3c4d5e6f70",
                    "direction": "back",
                    "as_of": None,
                    "known_at": None,
                    "nodes": [
                        {
                            "batch_id": "5f0c7c1e-4a9b-5d2e-9c1a-2b3c4d5e6f70",
                            "code": "TH-2026-000124",
                            "product": "rice",
                            "depth": 0,
                            "holder_id": "0b9f3a52-8c1d-4e27-9a55-1f2e3d4c5b6a",
                            "status": "active",
                            "quantity": {"amount": "500", "unit": "kg"},
                            "produced": {"amount": "500", "unit": "kg"},
                            "produced_at": "2026-11-20T08:30:00+07:00",
                            "recalled": False,
                            "recall_origin": None,
                            "gtin": "08930000000017",
                            "lot": "L01-10A",
                            "plot_ids": [],
                            "harvested_on": None,
                            "lost": {"amount": "0", "unit": "kg"},
                            "unexplained": {"amount": "0", "unit": "kg"},
                            "recovered": {"amount": "0", "unit": "kg"},
                        }
                    ],
                    "links": [],
                    "transformations": [],
                    "shipments": [],
                    "parties": [],
                    "plots": [],
                    "communes": ["Xã Thiệu Trung"],
                    "balance": {
                        "unit": "kg",
                        "produced": "1800",
                        "entered": "0",
                        "shipped": "2120",
                        "received": "2120",
                        "on_hand": "600",
                        "on_road": "0",
                        "sold": "0",
                        "lost_in_processing": "700",
                        "left": "500",
                        "unaccounted": "0",
                        "recovered": "0",
                        "recovered_share": None,
                        "complete": True,
                        "other_units": [],
                    },
                }
            ]
        }
    )

    start_id: str
    direction: Direction
    as_of: date | None
    known_at: datetime | None
    nodes: list[NodeOut]
    links: list[LinkOut]
    transformations: list[TransformationOut]
    shipments: list[ShipmentOut]
    parties: list[PartyOut]
    plots: list[PlotOut]
    communes: list[str]
    balance: BalanceOut


_ERRORS: dict[int | str, dict[str, str]] = {
    403: {"description": "trace_not_permitted: your organisation has no batch in this chain"},
    404: {"description": "trace_batch_unknown / trace_lot_unknown / trace_before_batch"},
    422: {"description": "a bad parameter (direction, as_of, known_at, gtin, lot), with its code"},
}


@router.get(
    "/{ref}",
    summary="Trace a batch back to its harvests and forward to every lot, with its mass balance",
    responses=_ERRORS,
    response_model=TraceOut,
)
def trace_batch(
    ref: Ref, query: Annotated[TraceQuery, Query()], capture: CaptureDep, actor: CurrentActor
) -> Response:
    return _answer(capture, actor, query, ref=ref)


@router.get(
    "",
    summary="Trace a labelled lot, named by its GTIN and lot (as on its label)",
    responses=_ERRORS,
    response_model=TraceOut,
)
def trace_label(
    query: Annotated[LabelQuery, Query()], capture: CaptureDep, actor: CurrentActor
) -> Response:
    return _answer(capture, actor, query, gtin=query.gtin, lot=query.lot)


def _answer(
    capture: CaptureDep,
    actor: Actor,
    query: TraceQuery,
    *,
    ref: str | None = None,
    gtin: str | None = None,
    lot: str | None = None,
) -> Response:
    viewer = None if actor.is_staff else actor.organisation("trace a batch")
    traces = PostgresTraces(connections_of(capture.records))
    if query.as_of is None and query.known_at is None:
        # The chain as it stands: PostgreSQL writes the JSON (TraceOut's shape), no model
        # in between: a 10,000-node answer is one statement instead of seconds of Python.
        body = traces.trace_json(ref, query.direction, gtin=gtin, lot=lot, viewer=viewer)
        return Response(body, media_type="application/json")
    answer = traces.trace(
        ref,
        query.direction,
        gtin=gtin,
        lot=lot,
        as_of=query.as_of,
        known_at=query.known_at,
        viewer=viewer,
    )
    return Response(trace_out(answer).model_dump_json(), media_type="application/json")


def _q(amount: Amount | None) -> QuantityOut | None:
    return None if amount is None else QuantityOut(amount=_text(amount.amount), unit=amount.unit)


def _text(value: Decimal) -> str:
    return format(value.normalize() if value == value.to_integral() else value, "f")


def _balance(b: MassBalance) -> BalanceOut:
    return BalanceOut(
        unit=b.unit,
        produced=_text(b.produced),
        entered=_text(b.entered),
        shipped=_text(b.shipped),
        received=_text(b.received),
        on_hand=_text(b.on_hand),
        on_road=_text(b.on_road),
        sold=_text(b.sold),
        lost_in_processing=_text(b.lost_in_processing),
        left=_text(b.left),
        unaccounted=_text(b.unaccounted),
        recovered=_text(b.recovered),
        recovered_share=None if b.recovered_share is None else _text(b.recovered_share),
        complete=b.complete,
        other_units=[_balance(o) for o in b.other_units],
    )


def trace_out(answer: TraceAnswer) -> TraceOut:
    """The JSON of a trace (also what other surfaces may serve as JSON)."""
    g = answer.graph
    return TraceOut(
        start_id=g.start_id,
        direction=g.direction,
        as_of=g.as_of,
        known_at=g.known_at,
        nodes=[
            NodeOut(
                batch_id=n.batch_id,
                code=n.code,
                product=n.product,
                depth=n.depth,
                holder_id=n.holder_id,
                status=n.status,
                quantity=_q(n.quantity),
                produced=_q(n.produced),
                produced_at=n.produced_at,
                recalled=n.recalled,
                recall_origin=n.recall_origin,
                gtin=n.gtin,
                lot=n.lot,
                plot_ids=list(n.plot_ids),
                harvested_on=n.harvested_on,
                lost=_q(n.lost),
                unexplained=_q(n.unexplained),
                recovered=_q(n.recovered),
            )
            for n in g.nodes
        ],
        links=[
            LinkOut(
                parent_id=x.parent_id,
                child_id=x.child_id,
                transformation_id=x.transformation_id,
                amount=_q(x.amount),
                at=x.at,
            )
            for x in g.links
        ],
        transformations=[
            TransformationOut(
                transformation_id=t.transformation_id,
                step=t.step,
                at=t.at,
                inputs=[FlowOut(batch_id=f.batch_id, amount=_q(f.amount)) for f in t.inputs],
                outputs=[FlowOut(batch_id=f.batch_id, amount=_q(f.amount)) for f in t.outputs],
            )
            for t in g.transformations
        ],
        shipments=[
            ShipmentOut(
                batch_id=s.batch_id,
                from_id=s.from_id,
                to_id=s.to_id,
                shipped=_q(s.shipped),
                shipped_at=s.shipped_at,
                received=_q(s.received),
                received_at=s.received_at,
            )
            for s in g.shipments
        ],
        parties=[
            PartyOut(
                organisation_id=p.organisation_id,
                name=p.name,
                kind=p.kind,
                commune=p.commune,
                publishes_quantities=p.publishes_quantities,
            )
            for p in g.parties
        ],
        plots=[
            PlotOut(
                plot_id=p.plot_id,
                organisation_id=p.organisation_id,
                name=p.name,
                commune=p.commune,
                area_ha=None if p.area_ha is None else _text(p.area_ha),
            )
            for p in g.plots
        ],
        communes=list(g.communes),
        balance=_balance(answer.balance),
    )
