"""A batch's events are in time order: not before the harvest date, not before its last event,
not in the future beyond the clock skew, and never without a UTC offset."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from shared.domain import clock
from shared.domain.batch import Batch
from shared.domain.errors import RuleViolated
from shared.domain.transformation import Take

from .builders import (
    HARVEST_DAY,
    HARVESTED_AT,
    HOLDER_ACTIONS,
    THE_COOPERATIVE,
    THE_MILL,
    BatchAction,
    a_batch_code,
    a_batch_in_transit,
    a_harvested_batch,
    an_output,
    assert_invalid,
    assert_refused,
    kg,
    later,
    naive,
    saved,
    split,
    transformation,
)


def harvest(*, harvested_on: date = HARVEST_DAY, at: datetime | None = HARVESTED_AT) -> Batch:
    return Batch.harvest(
        code=a_batch_code(),
        plots=[(uuid4(), THE_COOPERATIVE)],
        harvester_id=THE_COOPERATIVE,
        commodity="paddy",
        variety=None,
        quantity=kg(1000),
        harvested_on=harvested_on,
        at=at,
    )


def vietnam_today() -> date:
    return clock.today_in_vietnam()


# Harvest ----------------------------------------------------------------------------------------


def test_a_harvest_recorded_before_its_harvest_date_is_refused() -> None:
    the_evening_before = datetime(2026, 10, 4, 23, 59, tzinfo=HARVESTED_AT.tzinfo)

    assert_refused(lambda: harvest(at=the_evening_before), RuleViolated, "time_order")


def test_a_harvest_recorded_just_after_midnight_in_vietnam_is_on_its_date() -> None:
    # 00:30 on 5 October in Thanh Hóa is still 4 October in UTC.
    batch = harvest(at=datetime(2026, 10, 4, 17, 30, tzinfo=UTC))

    assert vars(batch)["harvested_on"] == HARVEST_DAY


def test_a_harvest_date_in_the_future_is_refused() -> None:
    assert_refused(
        lambda: harvest(harvested_on=vietnam_today() + timedelta(days=1), at=None),
        RuleViolated,
        "time_in_future",
    )


def test_today_s_harvest_in_vietnam_is_accepted() -> None:
    batch = harvest(harvested_on=vietnam_today(), at=None)

    assert vars(batch)["harvested_on"] == vietnam_today()


def test_a_harvest_recorded_in_the_future_is_refused() -> None:
    assert_refused(
        lambda: harvest(at=clock.now() + timedelta(minutes=10)), RuleViolated, "time_in_future"
    )


# Later events -----------------------------------------------------------------------------------


@pytest.mark.parametrize("action", HOLDER_ACTIONS.values(), ids=HOLDER_ACTIONS.keys())
def test_nothing_happens_to_a_batch_before_its_harvest_date(action: BatchAction) -> None:
    batch = a_harvested_batch()

    assert_refused(
        lambda: action(batch, THE_COOPERATIVE, HARVESTED_AT - timedelta(days=1)),
        RuleViolated,
        "time_order",
        batch,
    )


@pytest.mark.parametrize("action", HOLDER_ACTIONS.values(), ids=HOLDER_ACTIONS.keys())
def test_nothing_happens_to_a_batch_before_its_last_event(action: BatchAction) -> None:
    batch = a_harvested_batch()
    HOLDER_ACTIONS["inspect"](batch, THE_COOPERATIVE, later(5))
    saved(batch)

    assert_refused(
        lambda: action(batch, THE_COOPERATIVE, later(4)), RuleViolated, "time_order", batch
    )


def test_an_event_at_the_same_moment_as_the_last_one_is_in_order() -> None:
    batch = a_harvested_batch()

    HOLDER_ACTIONS["inspect"](batch, THE_COOPERATIVE, HARVESTED_AT)

    assert batch.last_at == HARVESTED_AT


def test_receiving_before_the_shipment_left_is_refused() -> None:
    batch = a_batch_in_transit(to=THE_MILL)  # shipped at later(1)

    assert_refused(
        lambda: batch.receive(by=THE_MILL, quantity=kg(1000), at=later(0.5)),
        RuleViolated,
        "time_order",
        batch,
    )


def test_a_transformation_before_any_input_s_last_event_is_refused() -> None:
    early = a_harvested_batch()
    late = a_harvested_batch()
    HOLDER_ACTIONS["inspect"](late, THE_COOPERATIVE, later(6))
    saved(late)

    assert_refused(
        lambda: transformation(
            [Take(early, kg(100)), Take(late, kg(100))], [an_output(kg(200))], at=later(5)
        ),
        RuleViolated,
        "time_order",
        early,
        late,
    )


def test_the_outputs_of_a_transformation_take_no_event_before_they_were_made() -> None:
    batch = a_harvested_batch()
    (part,) = split(batch, kg(100))  # at later(2)

    assert_refused(
        lambda: HOLDER_ACTIONS["process"](part, THE_COOPERATIVE, later(1)),
        RuleViolated,
        "time_order",
        part,
    )


# The clock ------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", HOLDER_ACTIONS.values(), ids=HOLDER_ACTIONS.keys())
def test_an_event_in_the_future_beyond_the_clock_skew_is_refused(action: BatchAction) -> None:
    batch = a_harvested_batch()
    beyond_the_skew = clock.now() + clock.CLOCK_SKEW + timedelta(minutes=5)

    assert_refused(
        lambda: action(batch, THE_COOPERATIVE, beyond_the_skew),
        RuleViolated,
        "time_in_future",
        batch,
    )


def test_an_event_slightly_ahead_within_the_clock_skew_is_accepted() -> None:
    batch = a_harvested_batch()
    slightly_ahead = clock.now() + clock.CLOCK_SKEW - timedelta(minutes=3)

    HOLDER_ACTIONS["ship"](batch, THE_COOPERATIVE, slightly_ahead)

    assert batch.last_at == slightly_ahead


def test_a_recall_in_the_future_is_refused() -> None:
    batch = a_harvested_batch()

    assert_refused(
        lambda: batch.recall(
            by=THE_COOPERATIVE, reason="mould", at=clock.now() + timedelta(hours=1)
        ),
        RuleViolated,
        "time_in_future",
        batch,
    )


def test_a_recall_dated_before_the_last_event_is_refused() -> None:
    batch = a_harvested_batch()
    HOLDER_ACTIONS["inspect"](batch, THE_COOPERATIVE, later(5))
    saved(batch)

    assert_refused(
        lambda: batch.recall(by=THE_COOPERATIVE, reason="mould", at=later(1)),
        RuleViolated,
        "time_order",
        batch,
    )


# Times need a UTC offset ----------------------------------------------------------------------


@pytest.mark.parametrize("action", HOLDER_ACTIONS.values(), ids=HOLDER_ACTIONS.keys())
def test_a_time_without_a_utc_offset_is_refused(action: BatchAction) -> None:
    batch = a_harvested_batch()

    assert_invalid(lambda: action(batch, THE_COOPERATIVE, naive(later(1))), "at", batch)


NAIVE_ELSEWHERE: dict[str, Callable[[Batch], object]] = {
    "harvest": lambda _: harvest(at=naive(HARVESTED_AT)),
    "receive": lambda batch: batch.receive(by=THE_MILL, quantity=kg(1000), at=naive(later(2))),
    "recall": lambda batch: batch.recall(by=THE_COOPERATIVE, reason="x", at=naive(later(2))),
    "correct": lambda batch: batch.correct(
        by=THE_COOPERATIVE,
        amends_version=1,
        reason="typo",
        changes={"variety": "ST24"},
        at=naive(later(2)),
    ),
}


@pytest.mark.parametrize("attempt", NAIVE_ELSEWHERE.values(), ids=NAIVE_ELSEWHERE.keys())
def test_harvest_receipt_recall_and_correction_also_need_a_utc_offset(
    attempt: Callable[[Batch], object],
) -> None:
    batch = a_batch_in_transit(to=THE_MILL)

    assert_invalid(lambda: attempt(batch), "at", batch)
