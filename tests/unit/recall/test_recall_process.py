"""A recall as a process: who holds what, what they report, closing, lifting, and drills."""

from __future__ import annotations

from uuid import UUID

import pytest

from shared.domain import recall as recalls
from shared.domain.batch import Batch
from shared.domain.errors import NotPermitted, RuleViolated
from shared.domain.quantities import Quantity
from shared.domain.recall import Recall
from tests.unit.domain.builders import (
    A_STRANGER,
    THE_COOPERATIVE,
    THE_MILL,
    a_harvested_batch,
    assert_refused,
    kg,
    later,
    saved,
    split,
)


class Lineage:
    """A harvest, rice milled from part of it, two bags of that rice: one shipped to the mill."""

    def __init__(self) -> None:
        self.harvest = a_harvested_batch()
        (self.rice,) = split(self.harvest, kg(650))
        self.bags = split(self.rice, kg(5), kg(5))
        self.bags[1].ship(by=THE_COOPERATIVE, to=THE_MILL, transport_document=None, at=later(2))
        self.all = [self.harvest, self.rice, *self.bags]
        for batch in self.all:
            saved(batch)

    def load(self, batch_id: UUID) -> Batch:
        return next(b for b in self.all if b.id == batch_id)

    def open(self, *, drill: bool = False, by: UUID | None = THE_COOPERATIVE) -> Recall:
        opened, _ = recalls.open_recall(
            self.harvest,
            load=self.load,
            by=by,
            reason="pesticide residue above the limit",
            drill=drill,
            at=later(3),
        )
        return saved(opened)

    def report_everything(self, opened: Recall) -> None:
        for lot in list(opened.lots.values()):
            recalls.report(
                opened,
                load=self.load,
                organisation_id=UUID(lot["holder_id"]),
                batch_id=UUID(lot["batch_id"]),
                withdrawn=Quantity.of(lot["amount"], lot["unit"]),
                destroyed=None,
                at=later(5),
            )


def _holdings(opened: Recall) -> dict[tuple[UUID, str], str]:
    return {
        (UUID(lot["holder_id"]), lot["code"]): f"{lot['amount']} {lot['unit']}"
        for lot in opened.lots.values()
    }


def test_a_recall_lists_every_holder_with_what_it_holds_of_each_affected_lot() -> None:
    lineage = Lineage()

    opened = lineage.open()

    assert _holdings(opened) == {
        (THE_COOPERATIVE, lineage.harvest.code): "350 kg",
        (THE_COOPERATIVE, lineage.rice.code): "640 kg",
        (THE_COOPERATIVE, lineage.bags[0].code): "5 kg",
        (THE_MILL, lineage.bags[1].code): "5 kg",  # on its way to the mill: the mill's to stop
    }
    assert opened.holders() == {THE_COOPERATIVE, THE_MILL}
    assert all(b.recalled for b in lineage.all)


def test_a_drill_sets_no_recalled_state_and_blocks_nothing() -> None:
    lineage = Lineage()

    opened = lineage.open(drill=True)
    lineage.report_everything(opened)

    assert opened.drill
    assert opened.state == "closed"
    assert not any(b.recalled for b in lineage.all)
    assert all(b.collect_events() == [] for b in lineage.all)
    lineage.bags[0].sell(by=THE_COOPERATIVE, at=later(6))


def test_an_organisation_that_neither_holds_nor_leads_may_not_open_a_drill() -> None:
    lineage = Lineage()

    assert_refused(
        lambda: lineage.open(drill=True, by=A_STRANGER), NotPermitted, "recall_not_permitted"
    )


def test_the_recall_closes_when_every_affected_quantity_is_accounted_for() -> None:
    lineage = Lineage()
    opened = lineage.open()
    for batch in lineage.all:
        saved(batch)

    lineage.report_everything(opened)

    assert opened.state == "closed"
    names = [type(e).__qualname__ for e in lineage.bags[0].collect_events()]
    assert names == ["Batch.Withdrawn"]


def test_a_holder_may_not_report_more_than_it_held_nor_report_twice_the_whole_lot() -> None:
    lineage = Lineage()
    opened = lineage.open()
    bag = lineage.bags[0]

    def report(amount: str) -> None:
        recalls.report(
            opened,
            load=lineage.load,
            organisation_id=THE_COOPERATIVE,
            batch_id=bag.id,
            withdrawn=None,
            destroyed=kg(amount),
            at=later(5),
        )

    assert_refused(lambda: report("6"), RuleViolated, "report_exceeds_lot", opened)
    report("5")
    saved(opened)
    assert_refused(lambda: report("1"), RuleViolated, "report_exceeds_lot", opened)


def test_a_holder_acknowledges_once_and_the_notice_opening_is_kept_once() -> None:
    lineage = Lineage()
    opened = lineage.open()

    opened.open_notice(organisation_id=THE_MILL, at=later(4))
    opened.open_notice(organisation_id=THE_MILL, at=later(5))
    recalls.acknowledge(opened, load=lineage.load, organisation_id=THE_MILL, at=later(5))

    assert [type(e).__name__ for e in opened.collect_events()] == ["NoticeOpened", "Acknowledged"]
    assert_refused(
        lambda: recalls.acknowledge(
            opened, load=lineage.load, organisation_id=THE_MILL, at=later(6)
        ),
        RuleViolated,
        "already_acknowledged",
        opened,
    )


def test_an_organisation_holding_none_of_the_lots_takes_no_part() -> None:
    opened = Lineage().open()

    assert_refused(
        lambda: opened.open_notice(organisation_id=A_STRANGER), NotPermitted, "not_recall_holder"
    )


def test_a_lifted_recall_returns_every_batch_to_its_state_before() -> None:
    lineage = Lineage()
    opened = lineage.open()

    recalls.lift(
        opened, load=lineage.load, by=THE_COOPERATIVE, by_province=False, reason="retest clean"
    )

    assert opened.state == "lifted"
    assert not any(b.recalled for b in lineage.all)
    lineage.bags[0].sell(by=THE_COOPERATIVE)


@pytest.mark.parametrize("who", [THE_MILL, A_STRANGER])
def test_only_the_issuer_or_the_province_lifts_a_recall(who: UUID) -> None:
    lineage = Lineage()
    opened = lineage.open()

    assert_refused(
        lambda: recalls.lift(opened, load=lineage.load, by=who, by_province=False, reason="x"),
        NotPermitted,
        "lift_not_permitted",
        opened,
    )


def test_a_batch_not_recalled_takes_no_withdrawal() -> None:
    bag = Lineage().bags[0]

    assert_refused(
        lambda: bag.withdraw(by=THE_COOPERATIVE, recall_id=bag.id, quantity=kg(1), at=later(4)),
        RuleViolated,
        "not_recalled",
        bag,
    )
