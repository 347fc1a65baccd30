"""How the capture API lists batches, whatever read model stores them.

The PostgreSQL implementation lives with the projections; unit tests subclass this with an
in-memory fake. Every method is synchronous: callers run it in a worker thread.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from uuid import UUID

# pydantic (the API's response models) needs typing_extensions' TypedDict before Python 3.12.
from typing_extensions import TypedDict


class BatchSummary(TypedDict):
    """One line of the batch list: what an office needs to pick a batch, not its provenance."""

    batch_id: str
    code: str  # TH-2026-000123
    commodity: str
    variety: str | None
    quantity: str  # decimal as text: what the holder holds now
    unit: str  # kg, t, piece, bundle, L
    status: str  # active, in_transit, depleted, sold, consumed
    holder_id: str | None
    recalled: bool
    gtin: str | None  # GTIN-14 once labelled
    lot: str | None
    last_position: int  # the event-store position of the last event this line reflects


class BatchCatalogue(ABC):
    """Finds batches by holder, commodity and status, in code order, a page at a time."""

    @abstractmethod
    def search(
        self,
        holder_id: UUID | None,
        commodity: str | None,
        status: str | None,
        limit: int,
        after_code: str | None,
    ) -> list[BatchSummary]:
        """At most ``limit`` batches ordered by code, each code greater than ``after_code``.

        ``None`` filters match everything; ``commodity`` and ``status`` match exactly.
        """

    @abstractmethod
    def wait_for(self, position: int, timeout: float) -> bool:
        """Block until the projections have applied ``position``; False if ``timeout`` passed.

        Read-your-writes: capture answers every write with the position of its last event,
        and a client that names it lists its own writes instead of racing the projector.
        """
