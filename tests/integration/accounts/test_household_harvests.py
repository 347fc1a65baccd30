"""A member household harvests from its own plots only, and records nothing else (yet)."""

from __future__ import annotations

import pytest

from shared.domain.errors import NotPermitted
from shared.records.actors import Actor, Role
from shared.records.application import CommandRefused, Records
from shared.records.results import PlotResult
from tests.builders import Grower, a_harvest, a_plot_command


def _household(grower: Grower, reference: str) -> Actor:
    return Actor(Role.HOUSEHOLD, grower.cooperative_id, household_ref=reference)


def _plot_of(records: Records, grower: Grower, reference: str | None) -> PlotResult:
    command = a_plot_command(grower.cooperative_id, household_ref=reference)
    return records.execute(grower.actor, [command]).result(PlotResult)


def test_a_household_harvests_from_its_own_plot(records: Records, grower: Grower) -> None:
    own = _plot_of(records, grower, "HO-07")

    outcome = records.execute(_household(grower, "HO-07"), [a_harvest([own.plot_id])])

    assert outcome.position == records.position()


def test_a_household_may_not_harvest_from_another_households_plot_and_nothing_is_stored(
    records: Records, grower: Grower
) -> None:
    own, theirs = _plot_of(records, grower, "HO-07"), _plot_of(records, grower, "HO-08")
    shared = _plot_of(records, grower, None)
    before = records.position()

    for plots in ([theirs.plot_id], [own.plot_id, theirs.plot_id], [shared.plot_id]):
        with pytest.raises(CommandRefused) as refused:
            records.execute(_household(grower, "HO-07"), [a_harvest(plots)])
        assert refused.value.code == "household_not_own_plot"
        assert isinstance(refused.value.error, NotPermitted)

    assert records.position() == before


def test_a_household_records_nothing_but_harvests(records: Records, grower: Grower) -> None:
    before = records.position()

    with pytest.raises(CommandRefused) as refused:
        records.execute(_household(grower, "HO-07"), [a_plot_command(grower.cooperative_id)])

    assert refused.value.code == "household_harvest_only"
    assert records.position() == before
