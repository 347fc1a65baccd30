"""History is never edited: a correction is a new event that points at an existing one."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.domain import CanMutateAggregate

from shared.domain.batch import Batch
from shared.domain.errors import NotPermitted, RuleViolated
from shared.domain.quantities import Quantity, Unit

from .builders import (
    HARVEST_DAY,
    HARVESTED_AT,
    THE_COOPERATIVE,
    THE_MILL,
    a_batch_code,
    a_harvested_batch,
    assert_invalid,
    assert_refused,
    kg,
    later,
    pieces,
    tonnes,
)

Recorded = Sequence[CanMutateAggregate[UUID]]


def a_batch_with_three_events() -> tuple[Batch, Recorded]:
    """Harvested (1), dried (2), inspected (3); returns the batch and its recorded events."""
    batch = Batch.harvest(
        code=a_batch_code(),
        plots=[(uuid4(), THE_COOPERATIVE)],
        harvester_id=THE_COOPERATIVE,
        commodity="paddy",
        variety="ST25",
        quantity=kg(1000),
        harvested_on=HARVEST_DAY,
        at=HARVESTED_AT,
    )
    batch.process(
        by=THE_COOPERATIVE, step="drying", facility="Sân phơi", quantity_after=kg(880), at=later(1)
    )
    batch.inspect(
        by=THE_COOPERATIVE,
        lab="Quatest 3",
        parameters={"moisture": "14%"},
        result="pass",
        document="KQ-118",
        at=later(2),
    )
    return batch, batch.collect_events()


def test_a_correction_is_appended_after_the_event_it_amends() -> None:
    batch, _ = a_batch_with_three_events()

    batch.correct(
        by=THE_COOPERATIVE,
        amends_version=2,
        reason="the scale was off",
        changes={"facility": "Sân phơi số 2"},
        quantity=kg(860),
        at=later(3),
    )

    (correction,) = batch.collect_events()
    assert type(correction).__name__ == "Corrected"
    assert correction.originator_version == 4
    assert vars(correction)["amends_version"] == 2
    assert vars(correction)["changes"] == {"facility": "Sân phơi số 2"}
    assert batch.version == 4
    assert batch.quantity == kg(860)


def test_a_correction_leaves_the_events_it_amends_as_they_were() -> None:
    batch, history = a_batch_with_three_events()
    as_recorded = facts(history)

    batch.correct(
        by=THE_COOPERATIVE,
        amends_version=2,
        reason="the scale was off",
        changes={},
        quantity=kg(860),
        at=later(3),
    )

    assert facts(history) == as_recorded
    assert [event.originator_version for event in history] == [1, 2, 3]
    assert vars(history[1])["quantity_after"] == {"amount": "880", "unit": "kg"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        history[1].originator_version = 4


def facts(events: Recorded) -> list[dict[str, Any]]:
    return [copy.deepcopy(vars(event)) for event in events]


@pytest.mark.parametrize("amends_version", [0, -1, 4, 99])
def test_a_correction_of_an_event_that_does_not_exist_is_refused(amends_version: int) -> None:
    batch, _ = a_batch_with_three_events()

    assert_refused(
        lambda: batch.correct(
            by=THE_COOPERATIVE,
            amends_version=amends_version,
            reason="typo",
            changes={"variety": "ST24"},
            at=later(3),
        ),
        RuleViolated,
        "nothing_to_correct",
        batch,
    )


def test_a_correction_may_amend_an_earlier_correction() -> None:
    batch, _ = a_batch_with_three_events()
    batch.correct(
        by=THE_COOPERATIVE,
        amends_version=3,
        reason="typo",
        changes={"document": "KQ-119"},
        at=later(3),
    )

    batch.correct(
        by=THE_COOPERATIVE,
        amends_version=4,
        reason="typo again",
        changes={"document": "KQ-118b"},
        at=later(4),
    )

    assert batch.version == 5


def test_a_correction_that_states_no_correct_facts_is_refused() -> None:
    batch, _ = a_batch_with_three_events()

    assert_invalid(
        lambda: batch.correct(
            by=THE_COOPERATIVE, amends_version=2, reason="oops", changes={}, at=later(3)
        ),
        "changes",
        batch,
    )


def test_a_correction_needs_a_reason() -> None:
    batch, _ = a_batch_with_three_events()

    assert_invalid(
        lambda: batch.correct(
            by=THE_COOPERATIVE,
            amends_version=2,
            reason=" ",
            changes={"facility": "Sân phơi số 2"},
            at=later(3),
        ),
        "reason",
        batch,
    )


def test_a_correction_to_a_count_of_a_batch_weighed_in_kilograms_is_refused() -> None:
    batch, _ = a_batch_with_three_events()

    assert_refused(
        lambda: batch.correct(
            by=THE_COOPERATIVE,
            amends_version=2,
            reason="counted bags",
            changes={},
            quantity=pieces(40),
            at=later(3),
        ),
        RuleViolated,
        "units_not_convertible",
        batch,
    )


def test_a_correction_may_restate_the_quantity_in_tonnes() -> None:
    batch, _ = a_batch_with_three_events()

    batch.correct(
        by=THE_COOPERATIVE,
        amends_version=2,
        reason="weighbridge ticket",
        changes={},
        quantity=tonnes("0.86"),
        at=later(3),
    )

    assert batch.quantity.to(Unit.KG).amount == 860


def test_a_correction_to_no_quantity_at_all_is_refused() -> None:
    batch, _ = a_batch_with_three_events()

    assert_invalid(
        lambda: batch.correct(
            by=THE_COOPERATIVE,
            amends_version=2,
            reason="lost",
            changes={},
            quantity=Quantity(Decimal(0), Unit.KG),
            at=later(3),
        ),
        "quantity",
        batch,
    )


def test_only_the_holder_may_correct_a_batch() -> None:
    batch = a_harvested_batch(holder=THE_COOPERATIVE)

    assert_refused(
        lambda: batch.correct(
            by=THE_MILL, amends_version=1, reason="typo", changes={"variety": "ST24"}, at=later(1)
        ),
        NotPermitted,
        "not_custodian",
        batch,
    )
    assert_refused(
        lambda: batch.correct(
            by=None, amends_version=1, reason="typo", changes={"variety": "ST24"}, at=later(1)
        ),
        NotPermitted,
        "not_custodian",
        batch,
    )


def test_provincial_staff_may_correct_any_batch() -> None:
    batch = a_harvested_batch(holder=THE_COOPERATIVE)

    batch.correct(
        by=None,
        by_province=True,
        amends_version=1,
        reason="registry audit",
        changes={"variety": "ST24"},
        at=later(1),
    )

    assert batch.version == 2


def test_a_correction_dated_before_the_last_event_is_refused() -> None:
    batch, _ = a_batch_with_three_events()  # last event at later(2)

    assert_refused(
        lambda: batch.correct(
            by=THE_COOPERATIVE,
            amends_version=1,
            reason="typo",
            changes={"variety": "ST24"},
            at=later(1),
        ),
        RuleViolated,
        "time_order",
        batch,
    )
