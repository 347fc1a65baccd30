"""What the province's recall forms ask of the write side: open a recall or a drill, lift one.

The pages speak to a ``RecallDesk`` so they stay thin and the commands live in one place; the
records desk builds the same commands as the API, so a form stores what the API would and is
refused with the same codes. A refusal is a ``DomainError`` whose ``field`` param (if any) names
the form field it is about.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from shared.domain.errors import DomainError
from shared.domain.gtins import GtinLot
from shared.records import commands as c
from shared.records.actors import Actor
from shared.records.application import Records
from shared.records.results import RecallResult


@dataclass(frozen=True)
class Started:
    """A recall (or drill) the records stored: where to find it, and the position to wait for."""

    batch_code: str
    position: int
    recall_id: str | None = None  # known once the recall is its own aggregate


class RecallDesk(Protocol):
    def batch_code(self, *, code: str, gtin: str, lot: str) -> str:
        """The batch a person named, by its code or by GTIN + lot; refuses one that is not."""
        ...

    def start(self, actor: Actor, *, batch_code: str, reason: str, drill: bool) -> Started: ...

    def lift(self, actor: Actor, *, recall_id: UUID, reason: str) -> int: ...


class RecordsDesk:
    """The desk over the records application: ``RecallBatch`` opens a recall (the batch and
    every descendant, one transaction) or a drill (no batch changes), ``LiftRecall`` lifts one."""

    def __init__(self, records: Records) -> None:
        self._records = records

    def batch_code(self, *, code: str, gtin: str, lot: str) -> str:
        if code:
            return code
        if not gtin or not lot:
            raise DomainError(
                "name the batch: its code, or GTIN and lot",
                code="recall_batch_missing",
                params={"field": "batch"},
            )
        try:
            claim: Aggregate | None = self._records.repository.get(
                GtinLot.create_id(gtin.zfill(14), lot)
            )
        except AggregateNotFoundError:
            claim = None
        if not isinstance(claim, GtinLot):
            raise DomainError(
                "no batch has this GTIN and lot",
                code="recall_gtin_lot_unknown",
                params={"field": "gtin", "gtin": gtin, "lot": lot},
            )
        return str(claim.batch_code)

    def start(self, actor: Actor, *, batch_code: str, reason: str, drill: bool) -> Started:
        command = c.RecallBatch(batch=batch_code, reason=reason, drill=drill)
        outcome = self._records.execute(actor, [command])
        opened = outcome.result(RecallResult)
        return Started(opened.code, outcome.position, str(opened.recall_id))

    def lift(self, actor: Actor, *, recall_id: UUID, reason: str) -> int:
        outcome = self._records.execute(actor, [c.LiftRecall(recall_id=recall_id, reason=reason)])
        return outcome.position
