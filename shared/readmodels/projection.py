"""What a projection is: a name, a version, the tables it owns, and how it applies events.

The shape of ``eventsourcing.projection.Projection`` (a ``name`` and the processing of events
with their tracking), with what this platform adds: a ``version`` whose change rebuilds the
projection alone, the DDL of its own tables, and set-wise application of a batch of envelopes
inside a transaction the engine opens (:mod:`shared.readmodels.engine`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, ClassVar

import psycopg

from shared.readmodels.tracking import Connect
from shared.wire.envelope import Envelope


class Projection(ABC):
    """One read model: what it is called, its version, the tables it owns, how it applies."""

    name: ClassVar[str]
    version: ClassVar[int]
    tables: ClassVar[tuple[str, ...]]
    """Every table it owns, emptied by a reset and dropped by a migration to another version."""

    @abstractmethod
    def ddl(self) -> list[str]:
        """Idempotent statements creating its tables."""

    @abstractmethod
    def apply(
        self, conn: psycopg.Connection[Any], envelopes: Sequence[Envelope], *, materialize: bool
    ) -> None:
        """Applies envelopes (position order) inside the caller's transaction; idempotent.

        ``materialize=False`` (a rebuild's pages): store facts only; ``finish`` composes.
        """

    def finish(self, connect: Connect) -> int:
        """After a rebuild's last page: compose what ``apply`` left for later; how many."""
        del connect
        return 0

    def touch(self, conn: psycopg.Connection[Any], aggregate_ids: set[str]) -> None:
        """Re-derive what depends on these aggregates (their quarantine changed)."""
        del conn, aggregate_ids
