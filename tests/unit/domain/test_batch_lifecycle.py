"""Sold, consumed and depleted batches take only corrections and recalls; recalled batches stop;
a recall is issued by the holder, the chain's lead or the province, once."""

from __future__ import annotations

from uuid import UUID

import pytest

from shared.domain.batch import BatchStatus
from shared.domain.errors import NotPermitted, RuleViolated

from .builders import (
    A_GTIN_13,
    A_LOT,
    A_STRANGER,
    ANOTHER_GTIN_14,
    HOLDER_ACTIONS,
    THE_COOPERATIVE,
    THE_MILL,
    THE_RETAILER,
    THE_SAME_GTIN_14,
    BatchAction,
    a_batch_in_transit,
    a_finished_batch,
    a_harvested_batch,
    a_recalled_batch,
    a_value_chain,
    assert_invalid,
    assert_refused,
    later,
)

FINISHED_OUTCOMES = ["sold", "consumed", "depleted"]

# Finished batches ----------------------------------------------------------------------------


@pytest.mark.parametrize("action", HOLDER_ACTIONS.values(), ids=HOLDER_ACTIONS.keys())
@pytest.mark.parametrize("outcome", FINISHED_OUTCOMES)
def test_a_finished_batch_takes_no_further_events(outcome: str, action: BatchAction) -> None:
    batch = a_finished_batch(outcome)

    assert_refused(
        lambda: action(batch, THE_COOPERATIVE, later(3)), RuleViolated, "batch_finished", batch
    )


@pytest.mark.parametrize("outcome", FINISHED_OUTCOMES)
def test_a_finished_batch_cannot_be_received(outcome: str) -> None:
    batch = a_finished_batch(outcome)

    assert_refused(
        lambda: batch.receive(by=THE_COOPERATIVE, quantity=batch.quantity, at=later(3)),
        RuleViolated,
        "not_in_transit",
        batch,
    )


@pytest.mark.parametrize("outcome", FINISHED_OUTCOMES)
def test_a_finished_batch_can_still_be_corrected(outcome: str) -> None:
    batch = a_finished_batch(outcome)

    batch.correct(
        by=THE_COOPERATIVE,
        amends_version=1,
        reason="wrong variety",
        changes={"variety": "ST24"},
        at=later(3),
    )

    assert [type(event).__name__ for event in batch.collect_events()] == ["Corrected"]


@pytest.mark.parametrize("outcome", FINISHED_OUTCOMES)
def test_a_finished_batch_can_still_be_recalled(outcome: str) -> None:
    batch = a_finished_batch(outcome)

    batch.recall(by=None, by_province=True, reason="aflatoxin found at retail", at=later(3))

    assert batch.recalled
    assert batch.status is BatchStatus(outcome)


def test_selling_a_batch_finishes_it_as_sold() -> None:
    batch = a_harvested_batch()

    batch.sell(by=THE_COOPERATIVE, at=later(1))

    assert batch.status is BatchStatus.SOLD


def test_consuming_a_batch_finishes_it_as_consumed() -> None:
    batch = a_harvested_batch()

    batch.sell(by=THE_COOPERATIVE, consumed=True, at=later(1))

    assert batch.status is BatchStatus.CONSUMED


# Recalled batches ----------------------------------------------------------------------------

ACTIONS_A_RECALL_STOPS = {name: act for name, act in HOLDER_ACTIONS.items() if name != "inspect"}


@pytest.mark.parametrize(
    "action", ACTIONS_A_RECALL_STOPS.values(), ids=ACTIONS_A_RECALL_STOPS.keys()
)
def test_a_recalled_batch_may_not_go_further(action: BatchAction) -> None:
    batch = a_recalled_batch()

    assert_refused(
        lambda: action(batch, THE_COOPERATIVE, later(2)), RuleViolated, "recalled", batch
    )


def test_a_recalled_batch_may_still_be_inspected_to_investigate_the_recall() -> None:
    batch = a_recalled_batch()

    HOLDER_ACTIONS["inspect"](batch, THE_COOPERATIVE, later(2))

    assert [type(event).__name__ for event in batch.collect_events()] == ["Inspected"]


def test_a_recalled_batch_can_still_be_corrected() -> None:
    batch = a_recalled_batch()

    batch.correct(
        by=THE_COOPERATIVE,
        amends_version=2,
        reason="the recall named the wrong lab",
        changes={"lab": "Quatest 3"},
        at=later(2),
    )

    assert [type(event).__name__ for event in batch.collect_events()] == ["Corrected"]


def test_a_recalled_batch_in_transit_can_still_be_received() -> None:
    batch = a_batch_in_transit(to=THE_MILL)
    batch.recall(by=THE_COOPERATIVE, reason="mould", at=later(1.5))

    batch.receive(by=THE_MILL, quantity=batch.quantity, at=later(2))

    assert batch.holder_id == THE_MILL
    assert batch.recalled


# Who may recall ------------------------------------------------------------------------------


def test_the_holder_may_recall_its_batch() -> None:
    batch = a_harvested_batch(holder=THE_COOPERATIVE)

    batch.recall(by=THE_COOPERATIVE, reason="pesticide residue", at=later(1))

    assert batch.recalled


def test_the_lead_of_the_batch_s_chain_may_recall_it() -> None:
    chain = a_value_chain(lead=THE_MILL)
    batch = a_harvested_batch(holder=THE_COOPERATIVE, value_chain_id=chain.id)

    batch.recall(
        by=THE_MILL,
        chain_leads=frozenset({chain.lead_organisation_id}),
        reason="complaint from a supermarket",
        at=later(1),
    )

    assert batch.recalled


def test_provincial_staff_may_recall_any_batch() -> None:
    batch = a_harvested_batch()

    batch.recall(by=None, by_province=True, reason="provincial market inspection", at=later(1))

    assert batch.recalled


@pytest.mark.parametrize(
    ("by", "chain_leads"),
    [
        (A_STRANGER, frozenset()),
        (A_STRANGER, frozenset({THE_MILL})),
        (None, frozenset({THE_MILL})),
        (THE_RETAILER, frozenset({THE_MILL})),
    ],
    ids=["a stranger", "a stranger to a chain", "nobody", "a partner who is not the lead"],
)
def test_an_organisation_that_neither_holds_nor_leads_may_not_recall(
    by: UUID | None, chain_leads: frozenset[UUID]
) -> None:
    batch = a_harvested_batch(holder=THE_COOPERATIVE)

    assert_refused(
        lambda: batch.recall(by=by, chain_leads=chain_leads, reason="rumour", at=later(1)),
        NotPermitted,
        "recall_not_permitted",
        batch,
    )


def test_the_shipper_may_still_recall_a_batch_in_transit() -> None:
    batch = a_batch_in_transit(to=THE_MILL)

    batch.recall(by=THE_COOPERATIVE, reason="mould", at=later(2))

    assert batch.recalled


def test_recalling_a_recalled_batch_again_is_refused() -> None:
    batch = a_recalled_batch()

    assert_refused(
        lambda: batch.recall(by=None, by_province=True, reason="again", at=later(2)),
        RuleViolated,
        "already_recalled",
        batch,
    )


def test_a_recall_needs_a_reason() -> None:
    batch = a_harvested_batch()

    assert_invalid(
        lambda: batch.recall(by=THE_COOPERATIVE, reason="  ", at=later(1)), "reason", batch
    )


# Labels --------------------------------------------------------------------------------------


def test_labelling_records_the_gtin_14_and_the_lot() -> None:
    batch = a_harvested_batch()

    batch.label(by=THE_COOPERATIVE, gtin=A_GTIN_13, lot=A_LOT, labels_issued=500, at=later(1))

    assert (batch.gtin, batch.lot) == (THE_SAME_GTIN_14, A_LOT)


def test_printing_more_labels_with_the_same_gtin_and_lot_is_accepted() -> None:
    batch = a_harvested_batch()
    batch.label(by=THE_COOPERATIVE, gtin=A_GTIN_13, lot=A_LOT, labels_issued=500, at=later(1))

    batch.label(
        by=THE_COOPERATIVE, gtin=THE_SAME_GTIN_14, lot=A_LOT, labels_issued=100, at=later(2)
    )

    assert len(batch.collect_events()) == 2


@pytest.mark.parametrize(("gtin", "lot"), [(ANOTHER_GTIN_14, A_LOT), (A_GTIN_13, "ST25-OTHER")])
def test_relabelling_with_another_gtin_or_lot_is_refused(gtin: str, lot: str) -> None:
    batch = a_harvested_batch()
    batch.label(by=THE_COOPERATIVE, gtin=A_GTIN_13, lot=A_LOT, labels_issued=500, at=later(1))
    batch.collect_events()

    assert_refused(
        lambda: batch.label(by=THE_COOPERATIVE, gtin=gtin, lot=lot, labels_issued=1, at=later(2)),
        RuleViolated,
        "already_labelled",
        batch,
    )


@pytest.mark.parametrize("labels_issued", [0, -1, 1_000_001])
def test_issuing_no_labels_or_absurdly_many_is_refused(labels_issued: int) -> None:
    batch = a_harvested_batch()

    assert_invalid(
        lambda: batch.label(
            by=THE_COOPERATIVE, gtin=A_GTIN_13, lot=A_LOT, labels_issued=labels_issued, at=later(1)
        ),
        "labels_issued",
        batch,
    )


def test_an_inspection_result_is_pass_or_fail() -> None:
    batch = a_harvested_batch()

    assert_invalid(
        lambda: batch.inspect(
            by=THE_COOPERATIVE,
            lab="Quatest 3",
            parameters={},
            result="maybe",
            document=None,
            at=later(1),
        ),
        "result",
        batch,
    )
