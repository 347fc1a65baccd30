"""Requests about a recall's process: a holder opens the notice, acknowledges, reports what it
withdrew or destroyed; the issuer (or the province) lifts it. Opening one is ``RecallBody``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from services.capture.schemas.answers import QuantityOut
from services.capture.schemas.common import (
    BatchRef,
    LongText,
    Moment,
    QuantityIn,
    RequestModel,
    quantity,
)
from shared.domain.recall import Recall
from shared.records import commands as c

At = Annotated[Moment | None, Field(description="when it happened; default: now")]


class NoticeBody(RequestModel):
    at: At = None

    def to_command(self, recall_id: UUID) -> c.OpenRecallNotice:
        return c.OpenRecallNotice(recall_id=recall_id, at=self.at)


class NoticeItem(NoticeBody):
    type: Literal["open_recall_notice"]
    recall_id: UUID

    def command(self) -> c.Command:
        return self.to_command(self.recall_id)


class AcknowledgeBody(RequestModel):
    at: At = None

    def to_command(self, recall_id: UUID) -> c.AcknowledgeRecall:
        return c.AcknowledgeRecall(recall_id=recall_id, at=self.at)


class AcknowledgeItem(AcknowledgeBody):
    type: Literal["acknowledge_recall"]
    recall_id: UUID

    def command(self) -> c.Command:
        return self.to_command(self.recall_id)


class ReturnsBody(RequestModel):
    batch: BatchRef
    withdrawn: QuantityIn | None = Field(default=None, description="taken off the market")
    destroyed: QuantityIn | None = None
    at: At = None

    def to_command(self, recall_id: UUID) -> c.ReportRecallReturns:
        return c.ReportRecallReturns(
            recall_id=recall_id,
            batch=self.batch,
            withdrawn=quantity(self.withdrawn),
            destroyed=quantity(self.destroyed),
            at=self.at,
        )


class ReturnsItem(ReturnsBody):
    type: Literal["report_recall_returns"]
    recall_id: UUID

    def command(self) -> c.Command:
        return self.to_command(self.recall_id)


class LiftBody(RequestModel):
    reason: LongText
    at: At = None

    def to_command(self, recall_id: UUID) -> c.LiftRecall:
        return c.LiftRecall(recall_id=recall_id, reason=self.reason, at=self.at)


class LiftItem(LiftBody):
    type: Literal["lift_recall"]
    recall_id: UUID

    def command(self) -> c.Command:
        return self.to_command(self.recall_id)


class LotOut(BaseModel):
    batch_id: str
    code: str
    product: str
    holder_id: str
    status: str  # the lot's status when the recall opened
    affected: QuantityOut
    outstanding: QuantityOut  # not yet withdrawn or destroyed


class RecallOut(BaseModel):
    recall_id: str
    batch_id: str
    batch_code: str
    drill: bool
    state: str  # open, closed, lifted
    issued_by: str | None  # None: provincial staff
    opened_at: datetime
    scope: list[str]
    lots: list[LotOut]
    notice_opened_by: list[str]
    acknowledged_by: list[str]
    time_to_trace_ms: int | None  # drills only


def recall_out(recall: Recall, *, lots_of: UUID | None) -> RecallOut:
    """The recall as its events say; ``lots_of``: only that holder's lots (None: all)."""
    lots = [
        LotOut(
            batch_id=lot["batch_id"],
            code=lot["code"],
            product=lot["product"],
            holder_id=lot["holder_id"],
            status=lot["status"],
            affected=QuantityOut(amount=lot["amount"], unit=lot["unit"]),
            outstanding=QuantityOut(**recall.outstanding(batch_id).as_dict()),
        )
        for batch_id, lot in recall.lots.items()
        if lots_of is None or lot["holder_id"] == str(lots_of)
    ]
    return RecallOut(
        recall_id=str(recall.id),
        batch_id=str(recall.batch_id),
        batch_code=recall.batch_code,
        drill=recall.drill,
        state=recall.state,
        issued_by=str(recall.issued_by) if recall.issued_by else None,
        opened_at=recall.opened_at,
        scope=recall.scope,
        lots=lots,
        notice_opened_by=sorted(str(o) for o in recall.opened_by),
        acknowledged_by=sorted(str(o) for o in recall.acknowledged_by),
        time_to_trace_ms=recall.time_to_trace_ms if recall.drill else None,
    )
