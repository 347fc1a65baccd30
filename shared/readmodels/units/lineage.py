"""The lineage projection: parent → child edges for traces and recalls."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import psycopg

from shared.readmodels import facts
from shared.readmodels.lineage import TRACE_EDGES
from shared.readmodels.projection import Projection
from shared.readmodels.units import tables
from shared.wire.envelope import Envelope


class LineageProjection(Projection):
    """Parent → child edges with the quantity each parent gave (traces, recalls)."""

    name: ClassVar[str] = "lineage"
    version: ClassVar[int] = 1
    tables: ClassVar[tuple[str, ...]] = (TRACE_EDGES,)
    # Edges are keyed by (parent, child, transformation): a replay inserts nothing.
    fact_set = facts.FactSet(events="", lineage=TRACE_EDGES)

    def ddl(self) -> list[str]:
        return tables.edges(TRACE_EDGES)

    def apply(
        self, conn: psycopg.Connection[Any], envelopes: Sequence[Envelope], *, materialize: bool
    ) -> None:
        produced = [e for e in envelopes if e.type == "Batch.Produced"]
        facts.store_facts(conn, produced, self.fact_set)
