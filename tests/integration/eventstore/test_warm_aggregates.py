"""Cooperatives and plots kept warm by a process are never acted on out of date: a change
another process stored is noticed by the append, and the command is run again on the new state.
Two records applications on one database stand for two capture processes."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from shared.database import DatabaseUrls
from shared.domain.errors import DomainError
from shared.postgres.urls import eventsourcing_env
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.records.results import BatchResult
from shared.records.warm import WarmAggregates
from tests.builders import Grower, a_grower, a_harvest

STAFF = Actor(Role.PROVINCE)


@pytest.fixture
def other(database: DatabaseUrls) -> Iterator[Records]:
    """A second process on the same event store."""
    app = Records(eventsourcing_env(database.app, create_table=False))
    yield app
    app.close()


def events_count(database: DatabaseUrls) -> int:
    with psycopg.connect(database.admin) as conn:
        row = conn.execute("SELECT count(*) FROM nguon_events").fetchone()
    assert row is not None
    return int(row[0])


def set_status(app: Records, grower: Grower, status: str) -> None:
    """Provincial staff change the grower's cooperative's status through ``app``."""
    change = c.ChangeCooperativeStatus(
        cooperative_id=grower.cooperative_id, status=status, reason="kiểm tra"
    )
    app.execute(STAFF, [change])


def test_a_cooperative_suspended_by_another_process_may_not_harvest_here(
    records: Records, other: Records, database: DatabaseUrls
) -> None:
    grower = a_grower(records)
    # This process now keeps the cooperative and its plot warm.
    records.execute(grower.actor, [a_harvest([grower.plot_id])])
    set_status(other, grower, "suspended")
    before = events_count(database)

    with pytest.raises(DomainError) as refused:
        records.execute(grower.actor, [a_harvest([grower.plot_id])])

    assert refused.value.code == "organisation_suspended"
    assert events_count(database) == before


def test_a_change_elsewhere_that_allows_the_command_lets_it_through_once(
    records: Records, other: Records, database: DatabaseUrls
) -> None:
    grower = a_grower(records)
    records.execute(grower.actor, [a_harvest([grower.plot_id])])
    set_status(other, grower, "suspended")
    with pytest.raises(DomainError):
        records.execute(grower.actor, [a_harvest([grower.plot_id])])
    # Lifted in the other process, while this one keeps the suspended cooperative.
    set_status(other, grower, "active")
    before = events_count(database)

    outcome = records.execute(grower.actor, [a_harvest([grower.plot_id])])

    assert isinstance(outcome.results[0], BatchResult)
    assert events_count(database) == before + 1  # stored once, though run twice


def test_a_change_made_here_is_seen_by_the_next_command_here(
    records: Records, database: DatabaseUrls
) -> None:
    grower = a_grower(records)
    records.execute(grower.actor, [a_harvest([grower.plot_id])])
    set_status(records, grower, "suspended")
    with pytest.raises(DomainError) as refused:
        records.execute(grower.actor, [a_harvest([grower.plot_id])])
    assert refused.value.code == "organisation_suspended"


def test_what_a_process_keeps_is_bounded_by_events_least_recently_used_first(
    records: Records,
) -> None:
    growers = [a_grower(records) for _ in range(3)]
    warm = WarmAggregates(records.recorder, records.mapper, max_events=2)
    ids = [g.plot_id for g in growers]  # a plot's history here: one event

    assert [warm.get(i)[1] for i in ids[:2]] == [False, False]  # read from the store, kept
    assert warm.get(ids[0])[1]  # from memory, and now the most recently used
    assert not warm.get(ids[2])[1]  # kept in place of the least recently used, ids[1]
    assert [warm.get(i)[1] for i in (ids[0], ids[2])] == [True, True]
    assert not warm.get(ids[1])[1]
    warm.forget([ids[1]])
    assert not warm.get(ids[1])[1]
