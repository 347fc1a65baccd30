"""The event store on real PostgreSQL: durable, append-only, idempotent, safe under concurrency."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import date
from uuid import UUID, uuid4

import psycopg
import pytest

from shared.database import DatabaseUrls
from shared.domain.errors import ConcurrentChange
from shared.domain.identifiers import batch_id
from shared.domain.quantities import Quantity
from shared.postgres.urls import eventsourcing_env
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import IdempotencyKey, Records
from shared.records.results import BatchResult, CooperativeResult, PlotResult
from tests.builders import a_cooperative_command, a_plot_command

STAFF = Actor(Role.PROVINCE)


def a_cooperative_with_a_plot(records: Records) -> tuple[Actor, str]:
    outcome = records.execute(
        STAFF,
        [
            a_cooperative_command(
                name="HTX Nông nghiệp Thiệu Trung",
                registration_number="2801-T-0001",
                sector="lúa gạo",
                founded=date(2010, 1, 1),
            )
        ],
    )
    cooperative_id = outcome.result(CooperativeResult).cooperative_id
    coop = Actor(Role.COOPERATIVE, organisation_id=cooperative_id)
    plot = records.execute(
        coop,
        [
            a_plot_command(
                cooperative_id,
                location={"type": "Point", "coordinates": [105.68, 19.9]},
            )
        ],
    )
    return coop, str(plot.result(PlotResult).plot_id)


def a_harvest(plot_id: str) -> c.HarvestBatch:
    return c.HarvestBatch(
        plot_ids=[UUID(plot_id)],
        commodity="lúa",
        quantity=Quantity.positive("1000", "kg"),
        harvested_on=date(2026, 11, 1),
    )


def count_events(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM nguon_events").fetchone()
    assert row is not None
    return int(row[0])


def test_a_batch_survives_a_restart_of_the_process(
    records: Records, database: DatabaseUrls
) -> None:
    coop, plot = a_cooperative_with_a_plot(records)
    code = records.execute(coop, [a_harvest(plot)]).result(BatchResult).code
    records.close()

    script = (
        "import sys; from shared.records.application import Records; "
        "from shared.postgres.urls import eventsourcing_env; "
        "from shared.domain.identifiers import batch_id; "
        "r = Records(eventsourcing_env(sys.argv[1], create_table=False)); "
        "b = r.batch(batch_id(sys.argv[2])); print(b.code, b.quantity, b.version)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, database.app, code],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.split() == [code, "1000", "kg", "1"]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE nguon_events SET topic = 'tampered'",
        "DELETE FROM nguon_events",
        "TRUNCATE nguon_events",
    ],
)
def test_the_services_role_cannot_change_or_delete_stored_events(
    records: Records, database: DatabaseUrls, statement: str
) -> None:
    a_cooperative_with_a_plot(records)
    before = count_events(database.app)
    with psycopg.connect(database.app) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(statement)
    assert count_events(database.app) == before


def test_even_a_granted_update_is_refused_by_the_trigger(
    records: Records, database: DatabaseUrls
) -> None:
    a_cooperative_with_a_plot(records)
    with psycopg.connect(database.admin, autocommit=True) as owner:
        owner.execute("GRANT UPDATE, DELETE ON nguon_events TO nguon_app")
    with (
        psycopg.connect(database.app) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"),
    ):
        conn.execute("DELETE FROM nguon_events")


def test_replaying_an_idempotent_request_stores_nothing_twice(
    records: Records, database: DatabaseUrls
) -> None:
    coop, plot = a_cooperative_with_a_plot(records)
    key = IdempotencyKey(scope="phone-1", key="harvest-monday", request={"plot": plot})
    first = records.execute(coop, [a_harvest(plot)], idempotency=key)
    stored = count_events(database.app)
    again = records.execute(coop, [a_harvest(plot)], idempotency=key)
    assert again == first
    assert again.replayed
    assert count_events(database.app) == stored


def test_concurrent_writes_to_one_batch_give_one_success_and_one_conflict(
    records: Records, database: DatabaseUrls
) -> None:
    coop, plot = a_cooperative_with_a_plot(records)
    code = records.execute(coop, [a_harvest(plot)]).result(BatchResult).code
    other = Records(eventsourcing_env(database.app, create_table=False))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def dry(app: Records, facility: str) -> None:
        # Both load version 1 first, then race to append version 2.
        batch = app.batch(batch_id(code))
        barrier.wait(timeout=10)
        assert coop.organisation_id is not None
        batch.process(
            by=coop.organisation_id,
            step="drying",
            facility=facility,
            quantity_after=Quantity.positive("900", "kg"),
        )
        try:
            app._save([batch], [], None)
            outcomes.append("stored")
        except ConcurrentChange:
            outcomes.append("conflict")

    threads = [
        threading.Thread(target=dry, args=(app, name))
        for app, name in ((records, "sân A"), (other, "sân B"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    other.close()
    assert sorted(outcomes) == ["conflict", "stored"]
    history = records.history(batch_id(code))
    assert [e.originator_version for e in history] == [1, 2]


def test_which_of_many_aggregates_exist_is_one_answer(records: Records) -> None:
    coop, plot = a_cooperative_with_a_plot(records)
    assert coop.organisation_id is not None
    never = [uuid4() for _ in range(1000)]

    found = records.stored_among([coop.organisation_id, UUID(plot), *never])

    assert found == {coop.organisation_id, UUID(plot)}
    assert records.stored_among([]) == set()
