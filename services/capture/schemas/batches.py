"""Requests about batches (lô): harvest, what happens to them, and transformations.

A batch is named by its code (``TH-2026-000123``) or id; in a bulk request also by ``$ref``,
the ``ref`` an earlier command of the same request gave the batch it created.
"""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field, StringConstraints

from services.capture.schemas.common import (
    BatchRef,
    ConversionIn,
    Count,
    Day,
    Facts,
    LongText,
    Moment,
    QuantityIn,
    RequestModel,
    Text,
    quantity,
)
from shared.domain.diary import OVERRIDE_LIMIT
from shared.domain.organisations import CertificationScheme
from shared.records import commands as c

Ref = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9_.\-]{1,64}$"),
    Field(description="names the created batch for later commands of a bulk request ($ref)"),
]
At = Annotated[Moment | None, Field(description="when it happened; default: now")]


class HarvestBody(RequestModel):
    plot_ids: list[UUID] = Field(min_length=1, max_length=100)
    commodity: Text
    variety: Text | None = None
    quantity: QuantityIn
    harvested_on: Day
    value_chain_id: UUID | None = None
    at: At = None
    ref: Ref | None = None
    interval_override: Annotated[str, Field(min_length=1, max_length=OVERRIDE_LIMIT)] | None = (
        Field(
            default=None,
            description="why the harvest comes before a spraying's pre-harvest interval ended"
            " (VietGAP): without it such a harvest is refused (pre_harvest_interval); the"
            " buyer's page shows it",
        )
    )

    def to_command(self) -> c.HarvestBatch:
        return c.HarvestBatch(
            plot_ids=list(self.plot_ids),
            commodity=self.commodity,
            quantity=self.quantity.value(),
            harvested_on=self.harvested_on,
            variety=self.variety,
            value_chain_id=self.value_chain_id,
            at=self.at,
            ref=self.ref,
            interval_override=self.interval_override,
        )


class HarvestItem(HarvestBody):
    type: Literal["harvest"]

    def command(self) -> c.Command:
        return self.to_command()


class ProcessBody(RequestModel):
    step: Text = Field(description="drying, cooling, cleaning, milling, sorting, packing…")
    facility: Text
    quantity_after: QuantityIn
    commodity_after: Text | None = None
    at: At = None

    def to_command(self, batch: str) -> c.ProcessBatch:
        return c.ProcessBatch(
            batch=batch,
            step=self.step,
            facility=self.facility,
            quantity_after=self.quantity_after.value(),
            commodity_after=self.commodity_after,
            at=self.at,
        )


class ProcessItem(ProcessBody):
    type: Literal["process"]
    batch: BatchRef

    def command(self) -> c.Command:
        return self.to_command(self.batch)


class ShipBody(RequestModel):
    to: UUID = Field(description="the organisation the batch goes to")
    transport_document: Text | None = None
    quantity: QuantityIn | None = Field(default=None, description="default: all of it")
    at: At = None

    def to_command(self, batch: str) -> c.ShipBatch:
        return c.ShipBatch(
            batch=batch,
            to=self.to,
            transport_document=self.transport_document,
            quantity=quantity(self.quantity),
            at=self.at,
        )


class ShipItem(ShipBody):
    type: Literal["ship"]
    batch: BatchRef

    def command(self) -> c.Command:
        return self.to_command(self.batch)


class ReceiveBody(RequestModel):
    quantity: QuantityIn
    at: At = None

    def to_command(self, batch: str) -> c.ReceiveBatch:
        return c.ReceiveBatch(batch=batch, quantity=self.quantity.value(), at=self.at)


class ReceiveItem(ReceiveBody):
    type: Literal["receive"]
    batch: BatchRef

    def command(self) -> c.Command:
        return self.to_command(self.batch)


class InspectBody(RequestModel):
    lab: Text
    result: Literal["pass", "fail"]
    parameters: Facts = Field(default_factory=dict)
    document: Text | None = None
    at: At = None

    def to_command(self, batch: str) -> c.InspectBatch:
        return c.InspectBatch(
            batch=batch,
            lab=self.lab,
            result=self.result,
            parameters=dict(self.parameters),
            document=self.document,
            at=self.at,
        )


class InspectItem(InspectBody):
    type: Literal["inspect"]
    batch: BatchRef

    def command(self) -> c.Command:
        return self.to_command(self.batch)


class CertifyBatchBody(RequestModel):
    scheme: CertificationScheme
    certificate: Text
    valid_from: Day
    valid_until: Day | None = None
    at: At = None

    def to_command(self, batch: str) -> c.CertifyBatch:
        return c.CertifyBatch(
            batch=batch,
            scheme=self.scheme.value,
            certificate=self.certificate,
            valid_from=self.valid_from,
            valid_until=self.valid_until,
            at=self.at,
        )


class CertifyBatchItem(CertifyBatchBody):
    type: Literal["certify_batch"]
    batch: BatchRef

    def command(self) -> c.Command:
        return self.to_command(self.batch)


class LabelBody(RequestModel):
    gtin: Text = Field(description="GTIN-8, -12, -13 or -14 with its check digit")
    lot: Text = Field(description="GS1 AI (10): up to 20 characters")
    labels_issued: Count
    at: At = None
    best_before: Day | None = Field(
        default=None,
        description="GS1 AI (15) best before, if the label prints one: on or after today;"
        " the QR code's Digital Link then carries it as ?15=YYMMDD",
    )

    def to_command(self, batch: str) -> c.LabelBatch:
        return c.LabelBatch(
            batch=batch,
            gtin=self.gtin,
            lot=self.lot,
            labels_issued=self.labels_issued,
            at=self.at,
            best_before=self.best_before,
        )


class LabelItem(LabelBody):
    type: Literal["label"]
    batch: BatchRef

    def command(self) -> c.Command:
        return self.to_command(self.batch)


class RecallBody(RequestModel):
    reason: LongText
    drill: bool = Field(
        default=False,
        description="true: a mock recall (changes no batch, never public); its time-to-trace kept",
    )
    at: At = None

    def to_command(self, batch: str) -> c.RecallBatch:
        return c.RecallBatch(batch=batch, reason=self.reason, drill=self.drill, at=self.at)


class RecallItem(RecallBody):
    type: Literal["recall"]
    batch: BatchRef

    def command(self) -> c.Command:
        return self.to_command(self.batch)


class SellBody(RequestModel):
    consumed: bool = Field(default=False, description="true: consumed in-house, not sold")
    at: At = None

    def to_command(self, batch: str) -> c.SellBatch:
        return c.SellBatch(batch=batch, consumed=self.consumed, at=self.at)


class SellItem(SellBody):
    type: Literal["sell"]
    batch: BatchRef

    def command(self) -> c.Command:
        return self.to_command(self.batch)


class CorrectBody(RequestModel):
    amends_version: Count = Field(description="the number of the batch's event it corrects")
    reason: LongText
    changes: Facts = Field(default_factory=dict)
    quantity: QuantityIn | None = None
    at: At = None

    def to_command(self, batch: str) -> c.CorrectBatch:
        return c.CorrectBatch(
            batch=batch,
            amends_version=self.amends_version,
            reason=self.reason,
            changes=dict(self.changes),
            quantity=quantity(self.quantity),
            at=self.at,
        )


class CorrectItem(CorrectBody):
    type: Literal["correct"]
    batch: BatchRef

    def command(self) -> c.Command:
        return self.to_command(self.batch)


class TransformInputIn(RequestModel):
    batch: BatchRef
    quantity: QuantityIn


class TransformOutputIn(RequestModel):
    commodity: Text
    quantity: QuantityIn
    variety: Text | None = None
    ref: Ref | None = None


class TransformBody(RequestModel):
    """N inputs → M outputs: a split has one input, a merge one output."""

    step: Text = Field(description="splitting, merging, milling, packing…")
    inputs: list[TransformInputIn] = Field(min_length=1, max_length=1000)
    outputs: list[TransformOutputIn] = Field(min_length=1, max_length=1000)
    conversion: ConversionIn | None = None
    at: At = None

    def to_command(self) -> c.TransformBatches:
        return c.TransformBatches(
            step=self.step,
            inputs=[
                c.TransformInput(batch=i.batch, quantity=i.quantity.value()) for i in self.inputs
            ],
            outputs=[
                c.TransformOutput(
                    commodity=o.commodity, quantity=o.quantity.value(), variety=o.variety, ref=o.ref
                )
                for o in self.outputs
            ],
            conversion=None if self.conversion is None else self.conversion.value(),
            at=self.at,
        )


class TransformItem(TransformBody):
    type: Literal["transform"]

    def command(self) -> c.Command:
        return self.to_command()
