"""The trace benchmark's generator writes events the platform accepts: the events it COPYs from
stamps are the domain's own, a small run projects with nothing quarantined, and the big lot's
trace has the descendants and levels that were planned."""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))  # as the benches run

from eventsourcing.persistence import StoredEvent
from lineage_generator import BigTree, Writer, generate, register_parties

from shared.database import DatabaseUrls, prepare
from shared.domain import clock
from shared.domain.batch import Batch
from shared.domain.identifiers import batch_code, batch_id
from shared.postgres.urls import eventsourcing_env
from shared.readmodels import materialize
from shared.readmodels.lineage import TRACE_EDGES, ancestors_and_self, descendants_and_self
from shared.readmodels.projections import Projections
from shared.readmodels.provenance import compose
from shared.readmodels.rebuild import connections_of, rebuild
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


class Kept(Writer):
    """The generator's writer keeping the stored events in memory instead of COPYing them."""

    def __init__(self, records: Records) -> None:
        super().__init__(records)
        self.kept: list[StoredEvent] = []

    def stored(self, event: StoredEvent) -> None:
        self.kept.append(event)
        self.events += 1


def counting_codes() -> Callable[[int], list[str]]:
    """Batch codes 1, 2, 3, … of this year: two runs of one plan get the same codes."""
    year = clock.today_in_vietnam().year
    taken = itertools.count(1)
    return lambda count: [batch_code("TH", year, next(taken)) for _ in range(count)]


RECORDED_AT = re.compile(rb'^\{"timestamp":\{"_type_":"datetime_iso","_data_":"[^"]+"\}')


def test_the_events_copied_from_stamps_are_those_the_domain_stores_for_the_same_plan(
    records: Records, database: DatabaseUrls
) -> None:
    parties = register_parties(records, cooperatives=5)
    kept = Kept(records)
    by_domain = generate(
        records,
        400,
        descendants=60,
        stamped=False,
        writer=kept,
        allocate=counting_codes(),
        parties=parties,
    )
    start = records.recorder.max_notification_id() or 0
    stamped = generate(records, 400, descendants=60, allocate=counting_codes(), parties=parties)

    with psycopg.connect(database.app) as conn:
        rows = conn.execute(
            "SELECT originator_id, originator_version, topic, state FROM nguon_events"
            " WHERE notification_id > %s ORDER BY notification_id",
            (start,),
        ).fetchall()
    decode = records.mapper.transcoder.decode
    assert len(rows) == len(kept.kept) == stamped.events == by_domain.events
    for (originator_id, version, topic, state), event in zip(rows, kept.kept, strict=True):
        assert (originator_id, version, topic) == (
            event.originator_id,
            event.originator_version,
            event.topic,
        )
        # Only the moment each event was recorded differs (the wall clock when it was made).
        assert RECORDED_AT.sub(b"", bytes(state)) == RECORDED_AT.sub(b"", event.state)
        assert RECORDED_AT.match(bytes(state))
        mine, domains = decode(bytes(state)), decode(event.state)
        mine.pop("timestamp"), domains.pop("timestamp")
        assert mine == domains
    assert stamped.to_json() == by_domain.to_json()
    for code in [stamped.samples["back"]["1"][0][0], stamped.big_leaves[0]]:
        batch: object = records.repository.get(batch_id(code))  # the aggregate loads from its COPY
        assert isinstance(batch, Batch)
        assert batch.code == code


def test_a_rebuild_composes_the_documents_with_no_transaction_left_open_meanwhile(
    records: Records, database: DatabaseUrls, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Composing a chunk of documents is Python's work: at a million batches one chunk (lots
    of a mill with 400 ancestors each) took 10-20 s, and a transaction left open meanwhile
    was cut by the pool's idle-in-transaction timeout, and the rebuild with it."""
    generate(records, batches=200, descendants=100, samples_per_class=10)
    seen: list[int] = []
    composing = compose  # what materialize composes each document with

    def watched(*args: Any, **kwargs: Any) -> Any:
        if not seen:
            with psycopg.connect(database.admin, autocommit=True) as watcher:
                row = watcher.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND state LIKE 'idle in transaction%%' AND pid <> pg_backend_pid()"
                ).fetchone()
            seen.append(int(row[0]) if row else -1)
        return composing(*args, **kwargs)

    monkeypatch.setattr(materialize, "compose", watched)
    rebuild(records, Projections(connections_of(records)), progress=False)

    with psycopg.connect(database.app) as conn:
        documents = conn.execute("SELECT count(*) FROM rm_provenance").fetchone()
    assert seen == [0]
    assert documents is not None
    assert documents[0] > 200


def depth_below(conn: psycopg.Connection[Any], root: str) -> int:
    """How many levels of transformations lie under ``root`` in the trace's edges."""
    row = conn.execute(
        "WITH RECURSIVE down(id, depth) AS (SELECT %s::uuid, 0 UNION"
        " SELECT l.child_id, d.depth + 1 FROM rm_lineage l JOIN down d ON l.parent_id = d.id)"
        " SELECT max(depth) FROM down",
        (root,),
    ).fetchone()
    return int(row[0]) if row else 0
