"""In-memory stand-ins for the capture API's collaborators (unit tests only).

Each subclasses the real interface, so the API cannot tell them apart from the real ones.
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager
from typing import Any
from uuid import UUID

import psycopg

from shared.postgres.tokens import TokenStore
from shared.readmodels.catalogue import BatchCatalogue, BatchSummary
from shared.records.actors import Actor


class InMemoryBatchCatalogue(BatchCatalogue):
    """Batches kept in a list; ``applied`` is the position the 'projections' have reached."""

    def __init__(self, *batches: BatchSummary, applied: int = 0) -> None:
        self.batches = list(batches)
        self.applied = applied
        self.searches: list[dict[str, Any]] = []
        self._changed = threading.Condition()

    def search(
        self,
        holder_id: UUID | None,
        commodity: str | None,
        status: str | None,
        limit: int,
        after_code: str | None,
    ) -> list[BatchSummary]:
        self.searches.append(
            {"holder_id": holder_id, "commodity": commodity, "status": status, "limit": limit}
        )
        found = [
            b
            for b in sorted(self.batches, key=lambda b: b["code"])
            if (holder_id is None or b["holder_id"] == str(holder_id))
            and (commodity is None or b["commodity"] == commodity)
            and (status is None or b["status"] == status)
            and (after_code is None or b["code"] > after_code)
        ]
        return found[:limit]

    def apply(self, batch: BatchSummary) -> None:
        with self._changed:
            self.batches.append(batch)
            self.applied = max(self.applied, batch["last_position"])
            self._changed.notify_all()

    def wait_for(self, position: int, timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self.applied >= position, timeout)


class KnownTokens(TokenStore):
    """Tokens handed out up front; nothing is ever looked up in a database."""

    def __init__(self, actors: dict[str, Actor]) -> None:
        super().__init__(_no_database)
        self._actors = actors

    def cached(self, token: str) -> Actor | None:
        return self._actors.get(token)

    def resolve(self, token: str) -> Actor | None:
        return self._actors.get(token)


def _no_database() -> AbstractContextManager[psycopg.Connection[Any]]:
    raise AssertionError("unit tests have no database")
