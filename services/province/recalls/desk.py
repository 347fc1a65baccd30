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
    """The desk over the records application.

    A real recall is ``RecallBatch`` (the batch and every descendant, one transaction). Drills and
    lifting are the recall aggregate's commands (issue 10's recall domain): until they are wired
    here this desk refuses them with ``recall_drill_unavailable`` / ``recall_lift_unavailable``
    rather than pretend to have stored anything.
    """

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
        if drill:
            raise DomainError(
                "drills are not recorded yet",
                code="recall_drill_unavailable",
                params={"field": "reason"},
            )
        outcome = self._records.execute(actor, [c.RecallBatch(batch=batch_code, reason=reason)])
        return Started(batch_code=batch_code, position=outcome.position)

    def lift(self, actor: Actor, *, recall_id: UUID, reason: str) -> int:
        raise DomainError(
            "lifting a recall is not recorded yet",
            code="recall_lift_unavailable",
            params={"field": "reason"},
        )
