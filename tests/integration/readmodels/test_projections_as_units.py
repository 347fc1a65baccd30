"""Each projection is a unit: its own version, tables, tracking and lock."""

from __future__ import annotations

import threading
import time
from typing import Any, ClassVar

import psycopg
import pytest

from shared.database import DatabaseUrls
from shared.postgres.migrate import migrate
from shared.postgres.urls import password_of, user_of
from shared.readmodels.engine import _LOCK_CLASS as LOCK_CLASS
from shared.readmodels.engine import ENGINE_DDL, RebuildInProgress, Unit, ddl_of
from shared.readmodels.projections import Projections
from shared.readmodels.sources import run_embedded
from shared.readmodels.tracking import Connect, Position, PositionWaiter, session, stored_position
from shared.readmodels.units import ProvenanceProjection, all_projections
from shared.records.application import Records
from shared.wire.envelope import Envelope
from tests.integration.readmodels.readmodel_chain import Chain, a_chain, all_envelopes

JOIN_SECONDS = 30.0
OTHERS = ("lineage", "directory", "catalogue")
PROVENANCE_TABLES = ProvenanceProjection.tables


class NextProvenance(ProvenanceProjection):
    """What a change to the provenance documents ships as: the same projection, one version on."""

    version: ClassVar[int] = ProvenanceProjection.version + 1


def _with_next_provenance(connect: Connect) -> Projections:
    units = [
        Unit(NextProvenance() if p.name == "provenance" else p, connect) for p in all_projections()
    ]
    return Projections(connect, units=units)


def _migrate(database: DatabaseUrls, projections: Projections) -> None:
    """What ``nguon db migrate`` runs, with these projections' code."""
    ddl = [s for unit in projections.units for s in ddl_of(unit.projection)]
    migrate(
        database.admin,
        user_of(database.app),
        password_of(database.app),
        extra_ddl=[*ENGINE_DDL, *ddl],
    )


def _rows(url: str, tables: tuple[str, ...]) -> dict[str, list[Any]]:
    with psycopg.connect(url) as conn:
        return {
            t: sorted(conn.execute(f"SELECT (to_jsonb(r))::text FROM {t} r").fetchall())
            for t in tables
        }


def _others_tables(projections: Projections) -> tuple[str, ...]:
    return tuple(t for n in OTHERS for t in projections.unit(n).projection.tables)


def _positions(connect: Connect) -> dict[str, int]:
    with session(connect) as conn:
        return {n: stored_position(conn, n) for n in ("provenance", *OTHERS)}


def test_a_new_provenance_version_rebuilds_provenance_alone_and_the_others_keep_their_rows(
    records: Records, projections: Projections, connect: Connect, database: DatabaseUrls
) -> None:
    chain = a_chain(records)
    projections.apply(all_envelopes(records), Position(chain.position))
    others = _others_tables(projections)
    before_others = _rows(database.app, others)
    documents = _rows(database.app, PROVENANCE_TABLES)
    next_version = _with_next_provenance(connect)

    _migrate(database, next_version)

    assert next_version.stale() == ["provenance"]
    assert _rows(database.app, others) == before_others
    assert _positions(connect) == {"provenance": 0, **dict.fromkeys(OTHERS, chain.position)}
    assert _rows(database.app, ("rm_provenance",)) == {"rm_provenance": []}

    stop = threading.Event()
    runner = run_embedded(records, next_version, stop)
    try:
        assert PositionWaiter(connect).wait_for(chain.position, timeout=JOIN_SECONDS)
    finally:
        stop.set()
        runner.join(JOIN_SECONDS)

    assert next_version.stale() == []
    assert next_version.unit("provenance").stored() == (NextProvenance.version, True)
    assert _rows(database.app, PROVENANCE_TABLES) == documents
    assert _rows(database.app, others) == before_others


def test_while_provenance_is_rebuilt_the_other_projections_keep_applying(
    records: Records, projections: Projections, connect: Connect, chain: Chain
) -> None:
    envelopes = all_envelopes(records)
    projections.apply(envelopes[:-1], Position(chain.position - 1))
    projections.unit("provenance").reset(complete=False)

    with pytest.raises(RebuildInProgress):
        projections.apply(envelopes[-1:], Position(chain.position))

    assert _positions(connect) == {"provenance": 0, **dict.fromkeys(OTHERS, chain.position)}


def test_a_projection_holding_its_lock_does_not_hold_the_others_back(
    records: Records, projections: Projections, chain: Chain
) -> None:
    envelopes: list[Envelope] = all_envelopes(records)
    directory = projections.unit("directory")
    finished = threading.Event()

    def apply_the_directory() -> None:
        directory.apply(envelopes, Position(chain.position))
        finished.set()

    with projections.unit("provenance").writing():
        worker = threading.Thread(target=apply_the_directory)
        worker.start()
        # Wait by outcome: the directory commits while provenance's transaction stays open.
        assert finished.wait(JOIN_SECONDS)
    worker.join(JOIN_SECONDS)

    assert directory.position() == chain.position
    assert projections.unit("provenance").position() == 0


def test_each_projection_answers_as_an_eventsourcing_tracking_recorder(
    records: Records, projections: Projections, chain: Chain
) -> None:
    lineage = projections.unit("lineage")
    assert lineage.max_tracking_id(records.name) is None

    lineage.apply(all_envelopes(records), Position(chain.position))
    lineage.wait(records.name, chain.position, timeout=0.1)

    assert lineage.max_tracking_id(records.name) == chain.position
    assert not projections.unit("directory").has_tracking_id(records.name, chain.position)


def test_a_projection_another_projector_is_writing_is_taken_after_the_others(
    records: Records, projections: Projections, connect: Connect, database: DatabaseUrls
) -> None:
    """Two projectors of a group write different projections side by side: the one whose lock
    is held elsewhere is passed over, not waited for, and applied once it is free."""
    chain = a_chain(records)
    others = [n for n in projections.names if n != "provenance"]
    with psycopg.connect(database.app) as holder:
        holder.execute("SELECT pg_advisory_xact_lock(%s, hashtext('provenance'))", (LOCK_CLASS,))
        applying = threading.Thread(
            target=projections.apply, args=(all_envelopes(records), Position(chain.position))
        )
        applying.start()
        try:
            deadline = time.monotonic() + JOIN_SECONDS
            while time.monotonic() < deadline:
                with session(connect) as conn:
                    done = {n: stored_position(conn, n) for n in projections.names}
                if all(done[n] == chain.position for n in others):
                    break
                time.sleep(0.05)  # polling the other projections' tracking, bounded above
            assert done == {**dict.fromkeys(others, chain.position), "provenance": 0}
            assert applying.is_alive()  # waiting for provenance, the one still held
        finally:
            holder.rollback()  # the other projector's transaction ends: the lock is free
            applying.join(JOIN_SECONDS)

    assert not applying.is_alive()
    with session(connect) as conn:
        assert stored_position(conn, "provenance") == chain.position
