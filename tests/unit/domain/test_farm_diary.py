"""The farm diary on plots, and the pre-harvest-interval rule it sets for harvests (VietGAP)."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.domain import clock, diary
from shared.domain.diary import Activity, Entry
from shared.domain.errors import InvalidValue, RuleViolated
from shared.domain.plot import Plot
from shared.domain.quantities import Quantity
from tests.unit.domain.builders import HARVEST_DAY, a_plot, assert_invalid, assert_refused

A_HOUSEHOLD = UUID("7c1f0c55-7d3e-4b61-9a0c-2b1c3d4e5f60")


def a_spraying(days: int = 14, product: str = "Anvil 5SC") -> Entry:
    return Entry(
        activity=Activity.SPRAYING,
        product=product,
        active_ingredient="hexaconazole",
        dose="20 ml / bình 16 l",
        pre_harvest_days=days,
    )


def sprayed(on: date, days: int = 14, plot: Plot | None = None) -> Plot:
    plot = plot or a_plot()
    plot.record_diary_entry(a_spraying(days), on)
    plot.collect_events()
    return plot


@pytest.mark.parametrize(
    ("entry", "details"),
    [
        (
            Entry(activity=Activity.SOWING, variety="ST25", seed_lot="GL-2026-04"),
            {"variety": "ST25", "seed_lot": "GL-2026-04"},
        ),
        (
            Entry(
                activity=Activity.FERTILISING,
                product="NPK 16-16-8",
                amount=Quantity.positive("50", "kg"),
            ),
            {"product": "NPK 16-16-8", "amount": "50", "unit": "kg"},
        ),
        (
            a_spraying(),
            {
                "product": "Anvil 5SC",
                "active_ingredient": "hexaconazole",
                "dose": "20 ml / bình 16 l",
                "pre_harvest_days": "14",
            },
        ),
        (Entry(activity=Activity.IRRIGATION), {}),
        (Entry(activity=Activity.CARE, note="làm cỏ"), {"note": "làm cỏ"}),
    ],
    ids=lambda x: x.activity.value if isinstance(x, Entry) else "",
)
def test_each_activity_is_recorded_with_its_own_details(
    entry: Entry, details: dict[str, str]
) -> None:
    plot = a_plot()

    plot.record_diary_entry(entry, HARVEST_DAY - timedelta(days=30), A_HOUSEHOLD)

    (event,) = plot.collect_events()
    assert isinstance(event, Plot.DiaryEntryRecorded)  # type: ignore[attr-defined]
    assert event.activity == entry.activity.value
    assert event.details == details
    assert event.household_id == A_HOUSEHOLD


def test_a_spraying_without_its_pre_harvest_interval_is_refused() -> None:
    plot = a_plot()
    entry = Entry(
        activity=Activity.SPRAYING, product="Anvil", active_ingredient="hexaconazole", dose="20 ml"
    )

    assert_invalid(lambda: plot.record_diary_entry(entry, HARVEST_DAY), "pre_harvest_days", plot)


def test_a_pre_harvest_interval_beyond_a_year_is_refused() -> None:
    plot = a_plot()

    refusal = assert_refused(
        lambda: plot.record_diary_entry(a_spraying(days=366), HARVEST_DAY),
        InvalidValue,
        "pre_harvest_days_range",
        plot,
    )
    assert refusal.params == {"limit": "365"}


def test_a_field_another_activity_has_is_refused() -> None:
    plot = a_plot()
    entry = Entry(activity=Activity.IRRIGATION, product="nước giếng")

    refusal = assert_refused(
        lambda: plot.record_diary_entry(entry, HARVEST_DAY),
        InvalidValue,
        "diary_field_not_applicable",
        plot,
    )
    assert refusal.params == {"activity": "irrigation", "field": "product"}


def test_a_blank_product_is_refused() -> None:
    plot = a_plot()

    assert_invalid(
        lambda: plot.record_diary_entry(a_spraying(product="  "), HARVEST_DAY), "product", plot
    )


def test_an_entry_dated_tomorrow_is_refused() -> None:
    plot = a_plot()
    tomorrow = clock.today_in_vietnam() + timedelta(days=1)

    assert_refused(
        lambda: plot.record_diary_entry(Entry(activity=Activity.IRRIGATION), tomorrow),
        RuleViolated,
        "time_in_future",
        plot,
    )


def test_an_entry_dated_decades_ago_is_refused() -> None:
    plot = a_plot()

    assert_refused(
        lambda: plot.record_diary_entry(Entry(activity=Activity.IRRIGATION), date(2006, 5, 1)),
        InvalidValue,
        "diary_date_too_old",
        plot,
    )


def test_an_unknown_activity_is_refused() -> None:
    with pytest.raises(InvalidValue) as refusal:
        diary.activity("ploughing")
    assert refusal.value.code == "unknown_choice"


# The pre-harvest interval -----------------------------------------------------------------------


def test_a_harvest_on_the_day_the_interval_ends_is_accepted() -> None:
    plot = sprayed(HARVEST_DAY - timedelta(days=14))

    assert plot.needs_interval_override(HARVEST_DAY, None) is False


def test_a_harvest_a_day_before_the_interval_ends_is_refused() -> None:
    sprayed_on = HARVEST_DAY - timedelta(days=13)
    plot = sprayed(sprayed_on)

    refusal = assert_refused(
        lambda: plot.needs_interval_override(HARVEST_DAY, None),
        RuleViolated,
        "pre_harvest_interval",
        plot,
    )
    assert refusal.params == {
        "plot": str(plot.id),
        "product": "Anvil 5SC",
        "sprayed_on": sprayed_on.isoformat(),
        "pre_harvest_days": "14",
        "earliest_harvest_on": (HARVEST_DAY + timedelta(days=1)).isoformat(),
    }


def test_a_harvest_before_the_interval_ends_is_accepted_with_an_override() -> None:
    plot = sprayed(HARVEST_DAY - timedelta(days=3))

    assert plot.needs_interval_override(HARVEST_DAY, "bão sắp đến") is True


def test_of_several_sprayings_the_interval_that_ends_last_decides() -> None:
    plot = sprayed(HARVEST_DAY - timedelta(days=10), days=7)  # ends 3 days ago
    plot = sprayed(HARVEST_DAY - timedelta(days=20), days=21, plot=plot)  # ends tomorrow

    refusal = assert_refused(
        lambda: plot.needs_interval_override(HARVEST_DAY, None),
        RuleViolated,
        "pre_harvest_interval",
        plot,
    )
    assert refusal.params["earliest_harvest_on"] == (HARVEST_DAY + timedelta(1)).isoformat()
    assert plot.needs_interval_override(HARVEST_DAY + timedelta(days=1), None) is False


def test_a_spraying_after_the_harvest_day_does_not_refuse_that_harvest() -> None:
    # Recorded later, or dated after: it cannot have touched what was already harvested.
    plot = sprayed(HARVEST_DAY + timedelta(days=1), days=30)

    assert plot.needs_interval_override(HARVEST_DAY, None) is False


def test_a_plot_never_sprayed_needs_no_override() -> None:
    assert a_plot().needs_interval_override(HARVEST_DAY, None) is False


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_an_override_reason_is_neither_blank_nor_an_essay(reason: str) -> None:
    with pytest.raises(InvalidValue) as refusal:
        diary.override_reason(reason)
    assert refusal.value.code == "interval_override_reason"


@given(
    sprayings=st.lists(
        st.tuples(st.integers(min_value=0, max_value=60), st.integers(0, 365)), max_size=6
    ),
    harvest_offset=st.integers(min_value=0, max_value=400),
)
def test_a_harvest_is_refused_exactly_when_it_comes_before_some_earlier_interval_ends(
    sprayings: list[tuple[int, int]], harvest_offset: int
) -> None:
    start = date(2024, 1, 1)
    harvested_on = start + timedelta(days=harvest_offset)
    recorded = [diary.Spraying(start + timedelta(days=d), "P", "ai", days) for d, days in sprayings]
    too_early = any(s.on <= harvested_on < s.safe_from for s in recorded)

    try:
        needed = diary.check_interval("VT-1", recorded, harvested_on, None)
    except RuleViolated:
        refused = True
    else:
        refused = False
        assert needed is False

    assert refused is too_early
    assert diary.check_interval("VT-1", recorded, harvested_on, "lý do") is too_early
