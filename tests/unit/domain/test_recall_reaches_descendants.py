"""A recall stops the recalled batch and every batch made from it, on the write side."""

from __future__ import annotations

from uuid import UUID

import pytest

from shared.domain.batch import Batch
from shared.domain.errors import NotPermitted, RuleViolated
from shared.domain.recall import descendants, recall
from shared.domain.transformation import Take

from .builders import (
    A_STRANGER,
    HOLDER_ACTIONS,
    THE_COOPERATIVE,
    THE_MILL,
    a_harvested_batch,
    an_output,
    assert_refused,
    kg,
    later,
    saved,
    split,
    transformation,
)

STOPPED_BY_A_RECALL = ("process", "transform", "ship", "label", "sell")


class Lineage:
    """A harvest, the milled rice made from it, and two retail bags packed from that rice."""

    def __init__(self) -> None:
        self.harvest = a_harvested_batch()
        (self.rice,) = split(self.harvest, kg(650))
        self.bags = split(self.rice, kg(5), kg(5))
        self.all = [self.harvest, self.rice, *self.bags]

    def load(self, batch_id: UUID) -> Batch:
        return next(b for b in self.all if b.id == batch_id)

    def recall_the_harvest(self) -> list[Batch]:
        reached = recall(
            self.harvest,
            load=self.load,
            by=THE_COOPERATIVE,
            reason="pesticide residue above the limit",
            at=later(3),
        )
        for batch in self.all:
            saved(batch)
        return reached


@pytest.mark.parametrize("action", STOPPED_BY_A_RECALL)
def test_a_retail_bag_made_from_a_recalled_harvest_refuses(action: str) -> None:
    lineage = Lineage()
    lineage.recall_the_harvest()
    bag = lineage.bags[0]

    refusal = assert_refused(
        lambda: HOLDER_ACTIONS[action](bag, THE_COOPERATIVE, later(4)),
        RuleViolated,
        "recalled",
        bag,
    )

    assert refusal.params == {"batch": bag.code, "recalled_ancestor": lineage.harvest.code}
    assert lineage.harvest.code in refusal.message


def test_the_recall_reaches_every_descendant_and_says_which_recall_it_was() -> None:
    lineage = Lineage()

    reached = lineage.recall_the_harvest()

    assert {b.code for b in reached} == {lineage.rice.code, *(b.code for b in lineage.bags)}
    assert all(b.recalled and b.recalled_ancestor == lineage.harvest.code for b in lineage.all)


def test_a_recall_records_one_event_on_each_descendant_in_the_same_command() -> None:
    lineage = Lineage()

    recall(lineage.harvest, load=lineage.load, by=THE_COOPERATIVE, reason="mould", at=later(3))

    pending = {b.code: [type(e).__name__ for e in b.collect_events()] for b in lineage.all}
    assert pending[lineage.harvest.code] == ["Recalled"]
    assert all(pending[b.code] == ["RecallReached"] for b in [lineage.rice, *lineage.bags])


def test_a_recall_of_the_milled_rice_leaves_the_harvest_it_came_from_alone() -> None:
    lineage = Lineage()

    recall(lineage.rice, load=lineage.load, by=THE_COOPERATIVE, reason="mould", at=later(3))

    assert not lineage.harvest.recalled
    assert all(bag.recalled_ancestor == lineage.rice.code for bag in lineage.bags)


def test_a_bag_of_a_recalled_lineage_still_takes_a_correction() -> None:
    lineage = Lineage()
    lineage.recall_the_harvest()
    bag = lineage.bags[0]

    bag.correct(
        by=THE_COOPERATIVE,
        amends_version=1,
        reason="weighed again",
        changes={},
        quantity=kg("4.9"),
        at=later(4),
    )

    assert bag.quantity == kg("4.9")


def test_a_merge_of_two_harvests_is_reached_once_by_the_recall_of_either() -> None:
    first, second = a_harvested_batch(), a_harvested_batch()
    (merged,) = transformation([Take(first, kg(500)), Take(second, kg(500))], [an_output(kg(900))])
    (bag,) = split(merged, kg(5))
    lineage = {b.id: b for b in (first, second, merged, bag)}

    reached = descendants(saved(second), lineage.__getitem__)

    assert [b.code for b in reached].count(merged.code) == 1
    assert {b.code for b in reached} == {merged.code, bag.code}


def test_a_descendant_already_recalled_keeps_its_own_recall() -> None:
    lineage = Lineage()
    bag = lineage.bags[0]
    bag.recall(by=THE_COOPERATIVE, reason="torn bag", at=later(3))
    saved(bag)

    lineage.recall_the_harvest()

    assert bag.recalled_ancestor == bag.code
    assert [type(e).__name__ for e in bag.collect_events()] == []


def test_a_shipped_bag_reached_by_a_recall_can_still_be_received_but_not_sold() -> None:
    lineage = Lineage()
    bag = lineage.bags[0]
    bag.ship(by=THE_COOPERATIVE, to=THE_MILL, transport_document="PXK-7", at=later(2.5))
    saved(bag)
    lineage.recall_the_harvest()

    bag.receive(by=THE_MILL, quantity=kg(5), at=later(4))
    saved(bag)

    assert_refused(lambda: bag.sell(by=THE_MILL, at=later(5)), RuleViolated, "recalled", bag)


def test_an_outsider_recalling_a_recalled_batch_learns_only_that_it_may_not() -> None:
    lineage = Lineage()
    lineage.recall_the_harvest()

    assert_refused(
        lambda: lineage.rice.recall(by=A_STRANGER, reason="curious", at=later(4)),
        NotPermitted,
        "recall_not_permitted",
        lineage.rice,
    )


@pytest.mark.parametrize("action", STOPPED_BY_A_RECALL)
def test_an_outsider_is_refused_as_not_custodian_before_learning_of_the_recall(action: str) -> None:
    lineage = Lineage()
    lineage.recall_the_harvest()
    bag = lineage.bags[0]

    assert_refused(
        lambda: HOLDER_ACTIONS[action](bag, A_STRANGER, later(4)),
        NotPermitted,
        "not_custodian",
        bag,
    )
