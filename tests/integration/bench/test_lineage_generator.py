"""The trace benchmark's generator writes events the platform accepts: a small run projects with
nothing quarantined, and the big lot's trace has the descendants and levels that were planned."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))  # as the benches run

from lineage_generator import BigTree, generate

from shared.database import DatabaseUrls, prepare
from shared.domain.identifiers import batch_id
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.lineage import TRACE_EDGES, ancestors_and_self, descendants_and_self
from shared.readmodels.projections import Projections
from shared.readmodels.rebuild import rebuild
from shared.readmodels.trace import build_trace
from shared.readmodels.tracking import connector
from shared.records.application import Records
from shared.settings import NguonSettings
from shared.trace.graph import Direction
from tests.databases import on_database


@pytest.fixture
def database(fresh_database_admin_url: str) -> DatabaseUrls:
    return prepare(NguonSettings(**on_database(fresh_database_admin_url)))


@pytest.fixture
def records(database: DatabaseUrls) -> Iterator[Records]:
    app = Records(eventsourcing_env(database.app, create_table=False, pool_size=2))
    yield app
    app.close()


def test_a_generated_lineage_projects_cleanly_with_the_planned_big_lot(
    records: Records, database: DatabaseUrls
) -> None:
    lineage = generate(records, batches=200, descendants=100, samples_per_class=50)
    rebuild(records, Projections(connector(database.app)), progress=False)

    with psycopg.connect(database.app) as conn:
        quarantined = conn.execute("SELECT count(*) FROM rm_quarantine").fetchone()
        forward = descendants_and_self(conn, [str(batch_id(lineage.big_lot))], TRACE_EDGES)
        deepest = depth_below(conn, str(batch_id(lineage.big_lot)))
        back = ancestors_and_self(conn, [str(batch_id(lineage.big_leaves[0]))], TRACE_EDGES)
        batches = conn.execute("SELECT count(*) FROM rm_batches").fetchone()
    with connector(database.app)() as conn:
        graph = build_trace(conn, batch_id(lineage.big_lot), Direction.FORWARD)
    assert quarantined == (0,)
    assert lineage.batches >= 200
    assert batches == (lineage.batches,)
    assert len(forward) == 1 + 100
    assert deepest == 6
    assert len(graph.nodes) == 1 + 100  # the trace the API answers has the same count
    assert sorted({n.depth for n in graph.nodes}) == [0, 1, 2, 3, 4, 5, 6]
    assert lineage.level_sizes == BigTree(100).level_sizes()
    assert sum(lineage.level_sizes) == 100
    assert len(back) == 1 + 6  # a deepest lot and its six ancestors up to the harvest
    sampled = [code for by in lineage.samples.values() for lots in by.values() for code, _ in lots]
    assert sampled, "every run offers lots of some size to trace"


def depth_below(conn: psycopg.Connection[Any], root: str) -> int:
    """How many levels of transformations lie under ``root`` in the trace's edges."""
    row = conn.execute(
        "WITH RECURSIVE down(id, depth) AS (SELECT %s::uuid, 0 UNION"
        " SELECT l.child_id, d.depth + 1 FROM rm_lineage l JOIN down d ON l.parent_id = d.id)"
        " SELECT max(depth) FROM down",
        (root,),
    ).fetchone()
    return int(row[0]) if row else 0
