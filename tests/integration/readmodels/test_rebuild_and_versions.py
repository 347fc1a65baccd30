"""Read models are disposable: a rebuild, or a new projection version, recreates them exactly."""

from __future__ import annotations

import threading

import psycopg
import pytest

from shared.database import DatabaseUrls, prepare
from shared.readmodels.projections import (
    Projections,
    ProjectionVersionMismatch,
    RebuildInProgress,
)
from shared.readmodels.rebuild import rebuild
from shared.readmodels.sources import run_embedded
from shared.readmodels.tracking import Connect, Position, PositionWaiter, session
from shared.readmodels.units import ProvenanceProjection
from shared.records.application import Records
from shared.settings import NguonSettings
from tests.databases import on_database
from tests.integration.readmodels.readmodel_chain import Chain, a_chain, all_envelopes, read_models

JOIN_SECONDS = 30.0


PROJECTION_VERSION = ProvenanceProjection.version


def _store_version(connect: Connect, version: int) -> None:
    with session(connect) as conn:
        conn.execute("UPDATE rm_projections SET version = %s WHERE name = 'provenance'", (version,))


def test_a_rebuild_gives_the_same_read_models_as_incremental_application(
    records: Records, projections: Projections, database: DatabaseUrls, chain: Chain
) -> None:
    for envelope in all_envelopes(records):
        projections.apply([envelope], Position(envelope.position))
    incremental = read_models(database.app)

    rebuilt = rebuild(records, projections, progress=False, page_size=7)

    assert rebuilt.events == chain.position
    assert rebuilt.position == chain.position
    assert read_models(database.app) == incremental
    assert projections.position() == chain.position


def test_a_new_projection_version_is_rebuilt_from_the_first_event_on_start(
    records: Records, projections: Projections, connect: Connect, database: DatabaseUrls
) -> None:
    chain = a_chain(records)
    projections.apply(all_envelopes(records), Position(chain.position))
    before = read_models(database.app)
    _store_version(connect, PROJECTION_VERSION - 1)
    with session(connect) as conn:
        conn.execute("DELETE FROM rm_provenance")  # what an older version would not have had
    assert projections.needs_rebuild()

    stop = threading.Event()
    runner = run_embedded(records, projections, stop)
    try:
        assert PositionWaiter(connect).wait_for(chain.position, timeout=JOIN_SECONDS)
    finally:
        stop.set()
        runner.join(JOIN_SECONDS)

    assert not runner.is_alive()
    assert projections.unit("provenance").stored()[0] == PROJECTION_VERSION
    assert read_models(database.app) == before


def test_applying_into_read_models_of_another_version_is_refused(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    _store_version(connect, PROJECTION_VERSION + 1)

    with pytest.raises(ProjectionVersionMismatch):
        projections.apply(all_envelopes(records), Position(chain.position))
    assert projections.position() == 0


def test_migrating_drops_the_tables_of_an_older_projection_version(
    records: Records, projections: Projections, connect: Connect, fresh_database_admin_url: str
) -> None:
    chain = a_chain(records)
    projections.apply(all_envelopes(records), Position(chain.position))
    _store_version(connect, PROJECTION_VERSION - 1)

    prepare(
        NguonSettings(
            **on_database(fresh_database_admin_url),
        )
    )

    assert projections.unit("provenance").stored()[0] is None
    assert projections.needs_rebuild()
    assert projections.position() == 0


def test_while_a_rebuild_runs_readers_wait_and_live_applies_are_refused(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    envelopes = all_envelopes(records)
    projections.reset(complete=False)
    projections.apply(envelopes, Position(chain.position), materialize=False)

    assert projections.needs_rebuild()
    assert not PositionWaiter(connect).wait_for(chain.position, timeout=0.05)
    with pytest.raises(RebuildInProgress):
        projections.apply(envelopes[-1:], Position(chain.position))

    assert projections.finish_rebuild() == 5
    assert not projections.needs_rebuild()
    assert PositionWaiter(connect).wait_for(chain.position, timeout=0)


def test_a_rebuild_that_did_not_finish_is_done_again_from_the_start(
    records: Records, projections: Projections, database: DatabaseUrls, chain: Chain
) -> None:
    projections.apply(all_envelopes(records), Position(chain.position))
    expected = read_models(database.app)
    projections.reset(complete=False)
    projections.apply(all_envelopes(records)[:10], Position(10), materialize=False)

    rebuilt = rebuild(records, projections, progress=False, only_if_needed=True)

    assert rebuilt.events == chain.position
    assert read_models(database.app) == expected
    assert rebuild(records, projections, progress=False, only_if_needed=True).events == 0


def test_a_rebuild_can_borrow_the_records_own_connections(
    records: Records, projections: Projections, database: DatabaseUrls, chain: Chain
) -> None:
    projections.apply(all_envelopes(records), Position(chain.position))
    expected = read_models(database.app)

    rebuilt = rebuild(records, progress=False)

    assert rebuilt.events == chain.position
    assert read_models(database.app) == expected


def test_migrating_read_models_of_the_single_version_era_starts_every_projection_afresh(
    projections: Projections, database: DatabaseUrls, fresh_database_admin_url: str
) -> None:
    with psycopg.connect(database.admin) as conn:  # what the platform had before units
        conn.execute("DROP TABLE rm_tracking_offsets")
        conn.execute(
            "CREATE TABLE rm_tracking_offsets (consumer_group text, topic text,"
            " partition integer, next_offset bigint)"
        )
        conn.execute("CREATE TABLE rm_version (singleton boolean PRIMARY KEY, version integer)")
        conn.execute("INSERT INTO rm_version VALUES (true, 2)")

    prepare(NguonSettings(**on_database(fresh_database_admin_url)))

    assert projections.stale() == [
        "provenance",
        "lineage",
        "directory",
        "catalogue",
        "monitoring",
        "households",
        "trace",
        "recalls",
        "epcis",
    ]
    with psycopg.connect(database.admin) as conn:
        assert conn.execute("SELECT to_regclass('rm_version')").fetchone() == (None,)
        columns = conn.execute(
            "SELECT count(*) FROM information_schema.columns"
            " WHERE table_name = 'rm_tracking_offsets' AND column_name = 'projection'"
        ).fetchone()
    assert columns == (1,)
