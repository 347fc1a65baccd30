"""What a holder's answers to a recall notice ask of the write side.

The notice records that it was opened (once: the page asks only while the holder's
``opened_at`` is empty, and the command itself records only the first opening), the holder's
acknowledgement, and per lot what was withdrawn or destroyed. Each is one of the recall
domain's commands through the records application; a refusal is a ``DomainError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from shared.domain.quantities import Quantity
from shared.records import commands as c
from shared.records.actors import Actor
from shared.records.application import Records


@dataclass(frozen=True)
class LotReport:
    """What a holder withdrew from sale and destroyed of one affected lot this time (added to
    what it reported before), in the lot's unit."""

    batch_id: str
    unit: str
    withdrawn: Decimal | None
    destroyed: Decimal | None


class NoticeDesk(Protocol):
    def opened(self, actor: Actor, *, recall_id: UUID) -> int: ...

    def acknowledge(self, actor: Actor, *, recall_id: UUID) -> int: ...

    def report(self, actor: Actor, *, recall_id: UUID, lot: LotReport) -> int: ...


class RecordsNoticeDesk:
    """The desk over the records application: the recall aggregate's own commands."""

    def __init__(self, records: Records) -> None:
        self._records = records

    def opened(self, actor: Actor, *, recall_id: UUID) -> int:
        return self._records.execute(actor, [c.OpenRecallNotice(recall_id=recall_id)]).position

    def acknowledge(self, actor: Actor, *, recall_id: UUID) -> int:
        return self._records.execute(actor, [c.AcknowledgeRecall(recall_id=recall_id)]).position

    def report(self, actor: Actor, *, recall_id: UUID, lot: LotReport) -> int:
        def quantity(amount: Decimal | None, field: str) -> Quantity | None:
            return Quantity.of(amount, lot.unit, field) if amount is not None else None

        command = c.ReportRecallReturns(
            recall_id=recall_id,
            batch=lot.batch_id,
            withdrawn=quantity(lot.withdrawn, "withdrawn"),
            destroyed=quantity(lot.destroyed, "destroyed"),
        )
        return self._records.execute(actor, [command]).position
