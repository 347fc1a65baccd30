"""Only the holder acts on a batch; only the addressee receives it; a batch in transit waits."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from shared.domain.batch import Batch, BatchStatus
from shared.domain.errors import NotPermitted, RuleViolated
from shared.domain.transformation import Take

from .builders import (
    ANOTHER_COOPERATIVE,
    HARVEST_DAY,
    HARVESTED_AT,
    HOLDER_ACTIONS,
    THE_COOPERATIVE,
    THE_MILL,
    THE_RETAILER,
    BatchAction,
    a_batch_code,
    a_batch_in_transit,
    a_harvested_batch,
    a_received_batch,
    an_output,
    assert_invalid,
    assert_refused,
    kg,
    later,
    saved,
    transformation,
)


def harvest_from(owners: list[UUID], code: str | None = None) -> Batch:
    """Harvested by the cooperative from one plot per entry of ``owners``."""
    return Batch.harvest(
        code=code or a_batch_code(),
        plots=[(uuid4(), owner) for owner in owners],
        harvester_id=THE_COOPERATIVE,
        commodity="paddy",
        variety="ST25",
        quantity=kg(1000),
        harvested_on=HARVEST_DAY,
        at=HARVESTED_AT,
    )


def test_harvesting_a_plot_of_another_cooperative_is_refused() -> None:
    assert_refused(
        lambda: harvest_from([THE_COOPERATIVE, ANOTHER_COOPERATIVE]),
        NotPermitted,
        "plot_not_owned",
    )


def test_harvesting_the_cooperative_s_own_plots_makes_it_the_holder() -> None:
    batch = harvest_from([THE_COOPERATIVE, THE_COOPERATIVE])

    assert batch.holder_id == THE_COOPERATIVE
    assert len(vars(batch)["plot_ids"]) == 2
    assert [type(event).__name__ for event in batch.collect_events()] == ["Harvested"]


def test_a_harvest_comes_from_at_least_one_plot() -> None:
    assert_invalid(lambda: harvest_from([]), "plot_ids")


@pytest.mark.parametrize("code", ["TH-26-000123", "th-2026-000123", "TH-2026-123", "TH2026000123"])
def test_a_harvest_with_a_malformed_batch_code_is_refused(code: str) -> None:
    assert_invalid(lambda: harvest_from([THE_COOPERATIVE], code=code), "code")


@pytest.mark.parametrize("action", HOLDER_ACTIONS.values(), ids=HOLDER_ACTIONS.keys())
def test_an_organisation_that_does_not_hold_the_batch_may_not_act_on_it(
    action: BatchAction,
) -> None:
    batch = a_harvested_batch(holder=THE_COOPERATIVE)

    assert_refused(lambda: action(batch, THE_MILL, later(1)), NotPermitted, "not_custodian", batch)


@pytest.mark.parametrize("action", HOLDER_ACTIONS.values(), ids=HOLDER_ACTIONS.keys())
def test_the_holder_may_act_on_its_batch(action: BatchAction) -> None:
    batch = a_harvested_batch(holder=THE_COOPERATIVE)

    action(batch, THE_COOPERATIVE, later(1))

    assert len(batch.collect_events()) == 1


def test_a_transformation_over_a_batch_held_by_someone_else_is_refused_for_every_input() -> None:
    ours = a_harvested_batch(holder=THE_COOPERATIVE)
    theirs = a_received_batch(by=THE_MILL)

    assert_refused(
        lambda: transformation(
            [Take(ours, kg(100)), Take(theirs, kg(100))], [an_output(kg(200))], at=later(3)
        ),
        NotPermitted,
        "not_custodian",
        ours,
        theirs,
    )


def test_shipping_to_oneself_is_refused() -> None:
    batch = a_harvested_batch(holder=THE_COOPERATIVE)

    assert_refused(
        lambda: batch.ship(
            by=THE_COOPERATIVE, to=THE_COOPERATIVE, transport_document=None, at=later(1)
        ),
        RuleViolated,
        "ship_to_self",
        batch,
    )


@pytest.mark.parametrize("receiver", [THE_RETAILER, THE_COOPERATIVE], ids=["stranger", "shipper"])
def test_only_the_addressee_may_receive_a_shipment(receiver: UUID) -> None:
    batch = a_batch_in_transit(to=THE_MILL)

    assert_refused(
        lambda: batch.receive(by=receiver, quantity=kg(1000), at=later(2)),
        NotPermitted,
        "not_addressee",
        batch,
    )


def test_a_batch_that_is_not_in_transit_cannot_be_received() -> None:
    batch = a_harvested_batch()

    assert_refused(
        lambda: batch.receive(by=THE_COOPERATIVE, quantity=kg(1000), at=later(1)),
        RuleViolated,
        "not_in_transit",
        batch,
    )


def test_an_outsider_receiving_a_batch_learns_only_that_it_is_not_the_addressee() -> None:
    batch = a_harvested_batch()

    assert_refused(
        lambda: batch.receive(by=THE_MILL, quantity=kg(1000), at=later(1)),
        NotPermitted,
        "not_addressee",
        batch,
    )


def test_a_batch_cannot_be_received_twice() -> None:
    batch = a_received_batch(by=THE_MILL)

    assert_refused(
        lambda: batch.receive(by=THE_MILL, quantity=kg(1000), at=later(3)),
        RuleViolated,
        "not_in_transit",
        batch,
    )


ACTIONS_BUT_INSPECTION = {name: act for name, act in HOLDER_ACTIONS.items() if name != "inspect"}


@pytest.mark.parametrize(
    "action", ACTIONS_BUT_INSPECTION.values(), ids=ACTIONS_BUT_INSPECTION.keys()
)
@pytest.mark.parametrize("actor", [THE_COOPERATIVE, THE_MILL], ids=["shipper", "addressee"])
def test_a_batch_in_transit_can_only_be_received(action: BatchAction, actor: UUID) -> None:
    batch = a_batch_in_transit(to=THE_MILL)

    assert_refused(lambda: action(batch, actor, later(2)), RuleViolated, "in_transit", batch)


@pytest.mark.parametrize("actor", [THE_COOPERATIVE, THE_MILL], ids=["shipper", "addressee"])
def test_a_batch_in_transit_cannot_be_inspected(actor: UUID) -> None:
    batch = a_batch_in_transit(to=THE_MILL)

    assert_refused(
        lambda: HOLDER_ACTIONS["inspect"](batch, actor, later(2)),
        RuleViolated,
        "in_transit",
        batch,
    )


def test_receiving_hands_custody_to_the_addressee() -> None:
    batch = a_received_batch(by=THE_MILL)

    assert batch.holder_id == THE_MILL
    assert batch.status is BatchStatus.ACTIVE
    HOLDER_ACTIONS["process"](batch, THE_MILL, later(3))
    saved(batch)
    assert_refused(
        lambda: HOLDER_ACTIONS["process"](batch, THE_COOPERATIVE, later(4)),
        NotPermitted,
        "not_custodian",
        batch,
    )


def test_the_outputs_of_a_transformation_are_held_by_whoever_transformed() -> None:
    batch = a_received_batch(by=THE_MILL)

    (rice,) = transformation(
        [Take(batch, kg(1000))], [an_output(kg(640))], by=THE_MILL, at=later(3)
    )

    assert rice.holder_id == THE_MILL
    assert_refused(
        lambda: HOLDER_ACTIONS["ship"](rice, THE_COOPERATIVE, later(4)),
        NotPermitted,
        "not_custodian",
    )
