"""The trace projection's closure holds every ancestor → descendant pair at the depth a walk of
the edges finds (the nearest), whatever order the batches' events arrive in."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Connect, KafkaOffsets, session
from shared.readmodels.units.trace import EDGES
from shared.readmodels.units.trace_closure import CLOSURE
from shared.records.application import Records
from tests.integration.readmodels.readmodel_chain import Chain, all_envelopes, interleaved
from tests.integration.trace.random_lineages import HARVESTS, OPS, Op, grow

_WALKED = f"""
WITH RECURSIVE walk(ancestor_id, descendant_id, depth) AS (
    SELECT parent_id, child_id, 1 FROM {EDGES}
  UNION
    SELECT w.ancestor_id, e.child_id, w.depth + 1 FROM {EDGES} e
    JOIN walk w ON e.parent_id = w.descendant_id
)
SELECT ancestor_id, descendant_id, min(depth) FROM walk GROUP BY 1, 2
"""


def _pairs(connect: Connect, sql: str) -> set[tuple[str, str, int]]:
    with session(connect) as conn:
        return {(str(a), str(d), depth) for a, d, depth in conn.execute(sql)}


def _closure(connect: Connect) -> set[tuple[str, str, int]]:
    return _pairs(connect, f"SELECT ancestor_id, descendant_id, depth FROM {CLOSURE}")


def _arrive(records: Records, projections: Projections, seed: int) -> None:
    """Every envelope one by one, aggregates interleaved, some delivered twice."""
    arrived = interleaved(all_envelopes(records), seed, duplicates=5)
    for offset, envelope in enumerate(arrived, start=1):
        projections.apply([envelope], KafkaOffsets("projector", {("nguon.events", 0): offset}))


def test_the_closure_of_a_chain_is_its_walk_whatever_order_its_batches_arrive_in(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    for seed in (1, 2, 3):
        projections.reset()
        _arrive(records, projections, seed)

        closure = _closure(connect)
        assert closure == _pairs(connect, _WALKED)
        assert len(closure) > len(_pairs(connect, f"SELECT parent_id, child_id, 1 FROM {EDGES}"))


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(harvests=HARVESTS, ops=OPS, seed=st.integers(0, 1000))
def test_the_closure_of_a_random_lineage_is_its_walk_whatever_order_it_arrives_in(
    records: Records,
    projections: Projections,
    connect: Connect,
    harvests: list[int],
    ops: list[Op],
    seed: int,
) -> None:
    grow(records, harvests, ops)
    projections.reset()
    _arrive(records, projections, seed)

    assert _closure(connect) == _pairs(connect, _WALKED)
