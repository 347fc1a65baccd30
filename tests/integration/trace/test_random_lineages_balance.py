"""Random lineages, recorded through the records and projected: every trace's balance adds up.

Each example grows a few harvests through random drying, splits, merges, shipments received
short, and sales; then every batch is traced back, forward and both ways, and each balance
must satisfy produced + entered = on_hand + on_road + sold + lost + left + recovered +
unaccounted, with what was received short (and nothing else) unaccounted in the forward trace
from all the harvests together.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings

from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Connect
from shared.records.application import Records
from shared.trace.balance import MassBalance, balance
from shared.trace.graph import Direction
from tests.integration.trace.random_lineages import HARVESTS, OPS, Op, grow
from tests.integration.trace.tracing import project, trace


def _adds_up(figures: MassBalance) -> bool:
    return figures.produced + figures.entered == (
        figures.on_hand
        + figures.on_road
        + figures.sold
        + figures.lost_in_processing
        + figures.left
        + figures.recovered
        + figures.unaccounted
    )


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(harvests=HARVESTS, ops=OPS)
def test_every_trace_of_a_random_lineage_balances(
    records: Records,
    projections: Projections,
    connect: Connect,
    harvests: list[int],
    ops: list[Op],
) -> None:
    world = grow(records, harvests, ops)
    project(records, projections)

    for code in world.codes:
        for direction in Direction:
            figures = balance(trace(connect, code, direction))
            assert _adds_up(figures), (code, direction, figures)
            assert figures.complete
    unaccounted = sum(
        (balance(trace(connect, root, Direction.FORWARD)).unaccounted for root in world.roots),
        Decimal(0),
    )
    # Forward traces from different harvests may share descendants: at least the short part.
    assert unaccounted >= world.short
