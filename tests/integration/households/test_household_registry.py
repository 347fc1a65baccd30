"""The registry of member households as its cooperative's staff read it: opened when shown,
unreadable everywhere once a household is forgotten, and a rebuild brings nothing back."""

from __future__ import annotations

from uuid import UUID

import psycopg
from psycopg import sql

from shared.database import DatabaseUrls
from shared.readmodels.households import PostgresHouseholds
from shared.readmodels.projections import Projections
from shared.readmodels.rebuild import rebuild
from shared.readmodels.tracking import connector
from shared.records import commands as c
from shared.records.application import Records
from shared.records.results import HouseholdResult, PlotResult
from tests.builders import Grower, a_harvest, a_plot_command

NAME, PHONE, REFERENCE = "Trần Thị Bưởi", "0987654321", "HO-77"


def _everything_stored_outside_the_keys(database: DatabaseUrls) -> str:
    """Every row of every table (events, read models, accounts…) but the keys, as text."""
    with psycopg.connect(database.admin) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                " AND tablename <> 'nguon_person_keys'"
            ).fetchall()
        ]
        dumped: list[str] = []
        for table in tables:
            query = sql.SQL("SELECT t::text FROM {} t").format(sql.Identifier(table))
            dumped.extend(str(row[0]) for row in conn.execute(query).fetchall())
    return "\n".join(dumped)


def _projected(records: Records, database: DatabaseUrls) -> PostgresHouseholds:
    connect = connector(database.app)
    rebuild(records, Projections(connect), progress=False)
    return PostgresHouseholds(connect)


def test_the_registry_shows_a_households_reference_name_and_phone_to_its_cooperative(
    records: Records, grower: Grower, database: DatabaseUrls
) -> None:
    register = c.RegisterHousehold(
        cooperative_id=grower.cooperative_id, reference=REFERENCE, head_name=NAME, phone=PHONE
    )
    household_id = records.execute(grower.actor, [register]).result(HouseholdResult).household_id
    command = a_plot_command(grower.cooperative_id, household_id=household_id)
    plot = records.execute(grower.actor, [command]).result(PlotResult)

    households = _projected(records, database)

    entry = households.household(household_id)
    assert entry is not None
    assert (entry.reference, entry.head_name, entry.phone) == (REFERENCE, NAME, PHONE)
    assert entry.plot_ids == (plot.plot_id,)
    [choice] = households.households_of(grower.cooperative_id)
    assert choice.label == f"{REFERENCE} · {NAME}"
    assert households.households_of(UUID(int=1)) == []


def test_a_forgotten_household_is_unreadable_everywhere_and_a_rebuild_does_not_bring_it_back(
    records: Records, grower: Grower, database: DatabaseUrls
) -> None:
    register = c.RegisterHousehold(
        cooperative_id=grower.cooperative_id, reference=REFERENCE, head_name=NAME, phone=PHONE
    )
    household_id = records.execute(grower.actor, [register]).result(HouseholdResult).household_id
    records.execute(
        grower.actor, [c.AssignHouseholdPlot(household_id=household_id, plot_id=grower.plot_id)]
    )
    records.execute(grower.actor, [a_harvest([grower.plot_id])])
    households = _projected(records, database)
    assert households.households_of(grower.cooperative_id) != []

    records.execute(grower.actor, [c.ForgetHousehold(household_id=household_id)])
    connect = connector(database.app)
    for _ in range(2):  # the read models replayed from the first event, twice
        rebuild(records, Projections(connect), progress=False)
        entry = households.household(household_id)
        assert entry is not None
        assert entry.forgotten
        assert (entry.reference, entry.head_name, entry.phone, entry.label) == (None,) * 4
        assert entry.plot_ids == (grower.plot_id,)  # the plots stay the cooperative's
        assert households.households_of(grower.cooperative_id) == []
        stored = _everything_stored_outside_the_keys(database)
        for secret in (NAME, PHONE, REFERENCE):
            assert secret not in stored
