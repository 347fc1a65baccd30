"""What staff see of recalls: each recall, who holds affected lots, who was told, what came back.

The interface both the recall projection (which fills it) and the staff pages (which show it)
keep to. Drills (mock recalls) are recalls with ``drill=True``: they appear here and on the
dashboard, never on a public page or in an export.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from shared.trace.graph import Amount


@dataclass(frozen=True)
class AffectedLot:
    """One lot a recall reaches, as its holder last reported it."""

    batch_id: str
    code: str
    product: str
    affected: Amount | None  # what the holder held when the recall opened (None: not published)
    withdrawn: Amount | None
    destroyed: Amount | None
    sold_before: Amount | None  # already sold to buyers before the recall: to be recovered


@dataclass(frozen=True)
class RecallHolder:
    """An organisation that holds (or held) affected lots, and where it stands with the recall."""

    organisation_id: str
    name: str
    lots: tuple[AffectedLot, ...]
    notified_at: datetime | None
    opened_at: datetime | None  # when one of its staff first opened the notice
    acknowledged_at: datetime | None
    accounted: bool  # every affected quantity withdrawn, destroyed or explained


@dataclass(frozen=True)
class RecallView:
    recall_id: str
    batch_id: str
    batch_code: str
    drill: bool
    state: str  # "open", "closed", "lifted"
    reason: str
    issued_by: str  # the organisation's id, or "province"
    issued_by_name: str
    opened_at: datetime
    closed_at: datetime | None
    lifted_at: datetime | None
    lift_reason: str | None
    holders: tuple[RecallHolder, ...]
    time_to_trace_ms: int | None  # drills: from the command to the holder list being known


class RecallReader(Protocol):
    """Read access to recalls; ``viewer`` None is provincial staff (everything)."""

    def recalls(
        self, *, viewer: UUID | None, include_drills: bool = True
    ) -> Sequence[RecallView]: ...

    def recall(self, recall_id: UUID, *, viewer: UUID | None) -> RecallView | None: ...

    def inbox(self, organisation_id: UUID) -> Sequence[RecallView]:
        """Open recalls (and drills) that reach the organisation's lots, newest first."""
        ...
