"""The EPCIS benchmark's store and rebuild: the retail chains it stamps are the domain's own
events, and its timed rebuild of the epcis projection writes what the platform's rebuild does."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))  # as the benches run

from epcis import Timings, rebuild_epcis
from lineage_generator import generate, register_parties

from shared.database import DatabaseUrls, prepare
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.projections import Projections
from shared.readmodels.rebuild import connections_of, rebuild
from shared.records.application import Records
from shared.settings import NguonSettings
from tests.databases import on_database
from tests.integration.bench.test_lineage_generator import (
    RECORDED_AT,
    Kept,
    counting_codes,
)

ROWS = "SELECT event_id, source_event_id, seq, biz_step, document FROM rm_epcis_events ORDER BY 1"


@pytest.fixture
def database(fresh_database_admin_url: str) -> DatabaseUrls:
    return prepare(NguonSettings(**on_database(fresh_database_admin_url)))


@pytest.fixture
def records(database: DatabaseUrls) -> Iterator[Records]:
    app = Records(eventsourcing_env(database.app, create_table=False, pool_size=2))
    yield app
    app.close()


def test_stamped_retail_chains_are_the_events_the_domain_stores_for_the_same_plan(
    records: Records, database: DatabaseUrls
) -> None:
    parties = register_parties(records, cooperatives=5)
    kept = Kept(records)
    by_domain = generate(
        records,
        300,
        descendants=60,
        stamped=False,
        writer=kept,
        allocate=counting_codes(),
        parties=parties,
        retail=True,
    )
    start = records.recorder.max_notification_id() or 0
    stamped = generate(
        records, 300, descendants=60, allocate=counting_codes(), parties=parties, retail=True
    )

    with psycopg.connect(database.app) as conn:
        rows = conn.execute(
            "SELECT originator_id, originator_version, topic, state FROM nguon_events"
            " WHERE notification_id > %s ORDER BY notification_id",
            (start,),
        ).fetchall()
    assert len(rows) == len(kept.kept) == stamped.events == by_domain.events
    topics = {event.topic.rsplit(".", 1)[-1] for event in kept.kept}
    assert {"Labelled", "Inspected", "Sold", "Shipped", "Received", "Produced"} <= topics
    for (originator_id, version, topic, state), event in zip(rows, kept.kept, strict=True):
        assert (originator_id, version, topic) == (
            event.originator_id,
            event.originator_version,
            event.topic,
        )
        assert RECORDED_AT.sub(b"", bytes(state)) == RECORDED_AT.sub(b"", event.state)


def test_the_timed_rebuild_writes_what_the_platforms_rebuild_writes(
    records: Records, database: DatabaseUrls
) -> None:
    generate(records, batches=300, descendants=60, samples_per_class=0, retail=True)
    timings = Timings()
    done = rebuild_epcis(records, timings, progress=False)
    with psycopg.connect(database.app) as conn:
        by_bench = conn.execute(ROWS).fetchall()

    rebuild(records, Projections(connections_of(records)), progress=False, only=["epcis"])

    with psycopg.connect(database.app) as conn:
        by_platform = conn.execute(ROWS).fetchall()
        quarantined = conn.execute("SELECT count(*) FROM rm_quarantine").fetchone()
    assert done.events == records.position()
    assert by_bench == by_platform
    assert timings.mapped == len(by_bench)
    assert quarantined == (0,)
    steps = {row[3] for row in by_bench}
    assert {"commissioning", "shipping", "receiving", "inspecting", "retail_selling"} <= steps
    assert timings.mapping > timings.context > 0
    assert timings.hashing > 0
