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

from shared.records.actors import Actor


@dataclass(frozen=True)
class LotReport:
    """What a holder withdrew from sale and destroyed of one affected lot, in its unit."""

    batch_id: str
    unit: str
    withdrawn: Decimal | None
    destroyed: Decimal | None


class NoticeDesk(Protocol):
    def opened(self, actor: Actor, *, recall_id: UUID) -> int: ...

    def acknowledge(self, actor: Actor, *, recall_id: UUID) -> int: ...

    def report(self, actor: Actor, *, recall_id: UUID, lot: LotReport) -> int: ...
