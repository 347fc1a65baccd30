"""A batch never ships more than it holds, is received as no more than was shipped, and processing
in place never increases it. (Splits, merges and transformations: test_transformation_balance.)"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from shared.domain.batch import Batch, BatchStatus
from shared.domain.errors import RuleViolated
from shared.domain.quantities import Quantity, Unit

from .builders import (
    THE_COOPERATIVE,
    THE_MILL,
    a_batch_in_transit,
    a_harvested_batch,
    assert_invalid,
    assert_refused,
    kg,
    later,
    pieces,
    tonnes,
)


def shipping(batch: Batch, quantity: Quantity) -> Callable[[], None]:
    return lambda: batch.ship(
        by=THE_COOPERATIVE, to=THE_MILL, transport_document="PXK-7", quantity=quantity, at=later(1)
    )


def drying(batch: Batch, quantity_after: Quantity, step: str = "drying") -> Callable[[], None]:
    return lambda: batch.process(
        by=THE_COOPERATIVE,
        step=step,
        facility="Sân phơi",
        quantity_after=quantity_after,
        at=later(1),
    )


# Shipping ----------------------------------------------------------------------------------------


def test_shipping_more_than_the_batch_holds_is_refused() -> None:
    batch = a_harvested_batch(quantity=kg(1000))

    assert_refused(shipping(batch, kg("1000.001")), RuleViolated, "mass_balance", batch)


def test_shipping_part_of_a_batch_is_refused_until_it_is_split() -> None:
    batch = a_harvested_batch(quantity=kg(1000))

    assert_refused(shipping(batch, kg(400)), RuleViolated, "partial_shipment", batch)


def test_shipping_a_count_out_of_a_batch_held_in_kilograms_is_refused() -> None:
    batch = a_harvested_batch(quantity=kg(1000))

    assert_refused(shipping(batch, pieces(1000)), RuleViolated, "units_not_convertible", batch)


def test_shipping_nothing_is_refused() -> None:
    batch = a_harvested_batch(quantity=kg(1000))

    assert_invalid(shipping(batch, Quantity(Decimal(0), Unit.KG)), "quantity", batch)


def test_shipping_the_whole_batch_weighed_in_tonnes_is_accepted() -> None:
    batch = a_harvested_batch(quantity=kg(1000))

    shipping(batch, tonnes(1))()

    assert batch.status is BatchStatus.IN_TRANSIT
    assert batch.in_transit_to == THE_MILL


# Receiving ---------------------------------------------------------------------------------------


def test_receiving_more_than_was_shipped_is_refused() -> None:
    batch = a_batch_in_transit(to=THE_MILL, quantity=kg(1000))

    assert_refused(
        lambda: batch.receive(by=THE_MILL, quantity=tonnes("1.000001"), at=later(2)),
        RuleViolated,
        "mass_balance",
        batch,
    )


def test_receiving_a_count_of_a_shipment_weighed_in_kilograms_is_refused() -> None:
    batch = a_batch_in_transit(to=THE_MILL, quantity=kg(1000))

    assert_refused(
        lambda: batch.receive(by=THE_MILL, quantity=pieces(40), at=later(2)),
        RuleViolated,
        "mass_balance",
        batch,
    )


def test_receiving_nothing_is_refused() -> None:
    batch = a_batch_in_transit(to=THE_MILL, quantity=kg(1000))

    assert_invalid(
        lambda: batch.receive(by=THE_MILL, quantity=Quantity(Decimal(0), Unit.KG), at=later(2)),
        "quantity",
        batch,
    )


def test_receiving_less_than_was_shipped_records_what_arrived() -> None:
    batch = a_batch_in_transit(to=THE_MILL, quantity=kg(1000))

    batch.receive(by=THE_MILL, quantity=kg("998.5"), at=later(2))

    assert batch.quantity == kg("998.5")
    assert batch.holder_id == THE_MILL
    assert batch.status is BatchStatus.ACTIVE


def test_receiving_a_shipment_weighed_in_tonnes_is_accepted() -> None:
    batch = a_batch_in_transit(to=THE_MILL, quantity=kg(1000))

    batch.receive(by=THE_MILL, quantity=tonnes(1), at=later(2))

    assert batch.quantity.to(Unit.KG).amount == 1000


# Processing in place -----------------------------------------------------------------------------


def test_processing_cannot_increase_the_quantity() -> None:
    batch = a_harvested_batch(quantity=kg(1000))

    assert_refused(drying(batch, tonnes("1.001")), RuleViolated, "mass_balance", batch)


def test_drying_leaves_the_batch_holding_less() -> None:
    batch = a_harvested_batch(quantity=kg(1000))

    batch.process(
        by=THE_COOPERATIVE,
        step="drying",
        facility="Sân phơi",
        quantity_after=kg(870),
        commodity_after="dried paddy",
        at=later(1),
    )

    assert batch.quantity == kg(870)
    assert batch.commodity == "dried paddy"


def test_processing_that_keeps_the_same_mass_is_accepted() -> None:
    batch = a_harvested_batch(quantity=kg(1000))

    drying(batch, tonnes(1), step="sorting")()

    assert batch.quantity == tonnes(1)


def test_processing_into_a_count_is_refused_transform_the_batch_instead() -> None:
    batch = a_harvested_batch(quantity=kg(1000))

    assert_refused(
        drying(batch, pieces(10), step="packing"), RuleViolated, "units_not_convertible", batch
    )


def test_processing_with_an_unknown_step_is_refused() -> None:
    batch = a_harvested_batch()

    assert_invalid(drying(batch, kg(900), step="teleporting"), "step", batch)


def test_processing_to_nothing_is_refused() -> None:
    batch = a_harvested_batch()

    assert_invalid(drying(batch, Quantity(Decimal(0), Unit.KG)), "quantity", batch)
