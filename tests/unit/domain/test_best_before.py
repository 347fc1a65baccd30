"""A label's best-before date (GS1 AI 15): recorded with the labelling, never already past,
and an event of its own so labellings stored before it keep their exact envelopes."""

from __future__ import annotations

from datetime import timedelta

from shared.domain.clock import today_in_vietnam

from .builders import A_GTIN_13, A_LOT, THE_COOPERATIVE, a_harvested_batch, assert_invalid, later


def test_a_best_before_date_is_recorded_with_the_labelling() -> None:
    batch = a_harvested_batch()
    day = today_in_vietnam(later(1)) + timedelta(days=365)

    batch.label(
        by=THE_COOPERATIVE,
        gtin=A_GTIN_13,
        lot=A_LOT,
        labels_issued=10,
        at=later(1),
        best_before=day,
    )

    events = batch.collect_events()
    assert batch.best_before == day
    assert [type(e).__qualname__ for e in events[-2:]] == ["Batch.Labelled", "Batch.BestBeforeSet"]
    assert "best_before" not in events[-2].__dict__


def test_a_labelling_without_a_best_before_date_stores_only_its_labelled_event() -> None:
    batch = a_harvested_batch()
    batch.collect_events()

    batch.label(by=THE_COOPERATIVE, gtin=A_GTIN_13, lot=A_LOT, labels_issued=10, at=later(1))

    assert [type(e).__qualname__ for e in batch.collect_events()] == ["Batch.Labelled"]
    assert batch.best_before is None


def test_a_best_before_date_already_past_on_the_labelling_day_is_refused() -> None:
    batch = a_harvested_batch()
    yesterday = today_in_vietnam(later(1)) - timedelta(days=1)

    assert_invalid(
        lambda: batch.label(
            by=THE_COOPERATIVE,
            gtin=A_GTIN_13,
            lot=A_LOT,
            labels_issued=10,
            at=later(1),
            best_before=yesterday,
        ),
        "best_before",
        batch,
    )
