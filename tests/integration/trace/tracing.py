"""Helpers of the trace tests: project everything recorded, and trace."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from shared.domain.identifiers import batch_id
from shared.readmodels.projections import Projections
from shared.readmodels.trace import build_trace
from shared.readmodels.tracking import Connect, Position, session
from shared.records.application import Records
from shared.trace.graph import Direction, TraceGraph
from tests.integration.readmodels.readmodel_chain import all_envelopes


def project(records: Records, projections: Projections) -> None:
    envelopes = all_envelopes(records)
    projections.apply(envelopes, Position(envelopes[-1].position))


def trace(
    connect: Connect,
    code: str,
    direction: Direction = Direction.BOTH,
    *,
    as_of: date | None = None,
    known_at: datetime | None = None,
    viewer: UUID | None = None,
) -> TraceGraph:
    with session(connect) as conn:
        return build_trace(
            conn, batch_id(code), direction, as_of=as_of, known_at=known_at, viewer=viewer
        )


def codes(graph: TraceGraph) -> set[str]:
    return {n.code for n in graph.nodes}
