"""A member household harvests from its own plots only, and records nothing else (yet)."""

from __future__ import annotations

from uuid import UUID

import pytest

from shared.domain.errors import NotPermitted
from shared.records.actors import Actor, Role
from shared.records.application import CommandRefused, Records
from shared.records.results import PlotResult
from tests.builders import Grower, a_harvest, a_household, a_household_plot, a_plot_command


def _household(grower: Grower, household_id: UUID) -> Actor:
    """A household's account names its registered household by id."""
    return Actor(Role.HOUSEHOLD, grower.cooperative_id, household_ref=str(household_id))


def test_a_household_harvests_from_its_own_plot(records: Records, grower: Grower) -> None:
    household = a_household(records, grower, "HO-07")
    own = a_household_plot(records, grower, household)

    outcome = records.execute(_household(grower, household), [a_harvest([own])])

    assert outcome.position == records.position()


def test_a_household_may_not_harvest_from_another_households_plot_and_nothing_is_stored(
    records: Records, grower: Grower
) -> None:
    mine, neighbour = a_household(records, grower, "HO-07"), a_household(records, grower, "HO-08")
    own, theirs = (
        a_household_plot(records, grower, mine),
        a_household_plot(records, grower, neighbour),
    )
    shared = records.execute(grower.actor, [a_plot_command(grower.cooperative_id)])
    before = records.position()

    for plots in ([theirs], [own, theirs], [shared.result(PlotResult).plot_id]):
        with pytest.raises(CommandRefused) as refused:
            records.execute(_household(grower, mine), [a_harvest(plots)])
        assert refused.value.code == "household_not_own_plot"
        assert isinstance(refused.value.error, NotPermitted)

    assert records.position() == before


def test_a_household_records_nothing_but_harvests(records: Records, grower: Grower) -> None:
    household = a_household(records, grower, "HO-07")
    before = records.position()

    with pytest.raises(CommandRefused) as refused:
        records.execute(_household(grower, household), [a_plot_command(grower.cooperative_id)])

    assert refused.value.code == "household_harvest_only"
    assert records.position() == before
