"""What the capture API answers: write outcomes, a batch's state, its history, a batch list."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from shared.readmodels.catalogue import BatchSummary


class WriteAnswer(BaseModel):
    results: list[dict[str, Any]] = Field(description="one result per command, in order")
    position: int = Field(
        description="the event-store position of the last event stored: name it as"
        " after_position to read your own write"
    )


class QuantityOut(BaseModel):
    amount: str
    unit: str


View = Annotated[
    Literal["full", "public"],
    Field(
        description="full: for staff and the organisations that hold or held the batch or are"
        " the addressee of its shipment; public: what the public page shows (no quantities,"
        " holders, recipients or documents)"
    ),
]


class BatchState(BaseModel):
    batch_id: str
    code: str
    view: View
    commodity: str
    variety: str | None
    quantity: QuantityOut | None = Field(description="full view only")
    holder_id: str | None = Field(description="full view only")
    status: str
    recalled: bool
    in_transit_to: str | None = Field(description="full view only")
    gtin: str | None
    lot: str | None
    harvested_on: str | None = Field(description="harvested batches only")
    plot_ids: list[str] = Field(description="harvested batches: the plots it came from")
    parent_ids: list[str] = Field(description="produced batches: the batches that fed it")
    value_chain_ids: list[str]
    version: int = Field(description="the number of events the batch has")


class EventOut(BaseModel):
    event_id: str
    type: str
    aggregate_type: str
    aggregate_id: str
    aggregate_version: int
    position: int
    occurred_at: str
    schema_version: int
    payload: dict[str, Any] | None = Field(description="the event's facts; full view only")
    digest: str = Field(
        description="sha256 of the envelope's canonical JSON: the provenance page's"
        " fingerprint is built from these"
    )


class BatchHistory(BaseModel):
    batch_id: str
    code: str
    view: View
    events: list[EventOut] = Field(description="every event of the batch, oldest first")


class BatchList(BaseModel):
    batches: list[BatchSummary]
    next_cursor: str | None = Field(description="pass as cursor for the next page; null: no more")
