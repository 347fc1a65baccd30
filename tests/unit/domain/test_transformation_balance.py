"""Splits, merges and transformations take no more than each input holds and give no more than
they take, unless the unit changes under a declared conversion, and then within it. A refused
transformation touches none of its inputs. Over 300 lines: one short test per balance rule."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shared.domain.batch import Batch, BatchStatus
from shared.domain.errors import RuleViolated
from shared.domain.quantities import Quantity, Unit
from shared.domain.transformation import Conversion, Output, Take

from .builders import (
    THE_COOPERATIVE,
    a_harvested_batch,
    an_output,
    assert_invalid,
    assert_refused,
    kg,
    pieces,
    saved,
    split,
    tonnes,
    transformation,
)

NOTHING = Quantity(Decimal(0), Unit.KG)
FIVE_KG_BAGS = Conversion(from_unit=Unit.KG, to_unit=Unit.PIECE, factor=Decimal("0.2"))

# Split -------------------------------------------------------------------------------------------


def test_splitting_more_than_the_batch_holds_is_refused() -> None:
    batch = a_harvested_batch(quantity=kg(1000))

    assert_refused(
        lambda: transformation([Take(batch, kg(1200))], [an_output(kg(600)), an_output(kg(600))]),
        RuleViolated,
        "mass_balance",
        batch,
    )


def test_splitting_into_parts_that_add_up_to_more_than_was_taken_is_refused() -> None:
    batch = a_harvested_batch(quantity=kg(1000))
    parts = [an_output(kg(250)), an_output(kg("150.001"))]

    assert_refused(
        lambda: transformation([Take(batch, kg(400))], parts), RuleViolated, "mass_balance", batch
    )


def test_a_split_leaves_the_remainder_in_the_batch() -> None:
    batch = a_harvested_batch(quantity=kg(1000))

    first, second = split(batch, kg(250), tonnes("0.15"))

    assert batch.quantity == kg(600)
    assert batch.status is BatchStatus.ACTIVE
    assert (first.quantity, second.quantity) == (kg(250), tonnes("0.15"))
    assert first.holder_id == second.holder_id == THE_COOPERATIVE
    assert vars(first)["parent_ids"] == [batch.id]


def test_taking_everything_a_batch_holds_depletes_it() -> None:
    batch = a_harvested_batch(quantity=kg(1000))

    split(batch, kg(700), tonnes("0.3"))

    assert batch.quantity.is_zero()
    assert batch.status is BatchStatus.DEPLETED


def test_taking_nothing_from_a_batch_is_refused() -> None:
    batch = a_harvested_batch()

    assert_invalid(
        lambda: transformation([Take(batch, NOTHING)], [an_output(kg(1))]), "quantity", batch
    )


def test_an_output_of_nothing_is_refused() -> None:
    batch = a_harvested_batch()

    assert_invalid(
        lambda: transformation([Take(batch, kg(10))], [an_output(kg(10)), an_output(NOTHING)]),
        "outputs",
        batch,
    )


def test_listing_the_same_input_twice_is_refused() -> None:
    batch = a_harvested_batch(quantity=kg(1000))
    twice = [Take(batch, kg(600)), Take(batch, kg(600))]

    assert_invalid(lambda: transformation(twice, [an_output(kg(1200))]), "inputs", batch)


def test_two_outputs_with_the_same_code_are_refused() -> None:
    batch = a_harvested_batch()
    same_code = [an_output(kg(5), code="TH-2026-900001"), an_output(kg(5), code="TH-2026-900001")]

    assert_invalid(lambda: transformation([Take(batch, kg(10))], same_code), "outputs", batch)


@pytest.mark.parametrize("empty", ["inputs", "outputs"])
def test_a_transformation_has_at_least_one_input_and_one_output(empty: str) -> None:
    batch = a_harvested_batch()
    takes = [] if empty == "inputs" else [Take(batch, kg(10))]
    outputs = [] if empty == "outputs" else [an_output(kg(10))]

    assert_invalid(lambda: transformation(takes, outputs), "inputs", batch)


# Merge -------------------------------------------------------------------------------------------


def test_a_merge_of_kilograms_and_tonnes_balances_exactly() -> None:
    first = a_harvested_batch(quantity=kg(600))
    second = a_harvested_batch(quantity=tonnes("0.4"))

    (merged,) = transformation(
        [Take(first, kg(600)), Take(second, kg(400))], [an_output(tonnes(1))]
    )

    assert merged.quantity == tonnes(1)
    assert first.status is second.status is BatchStatus.DEPLETED
    assert vars(merged)["parent_ids"] == [first.id, second.id]


def test_a_merge_that_gives_more_than_its_inputs_is_refused() -> None:
    first = a_harvested_batch(quantity=kg(600))
    second = a_harvested_batch(quantity=tonnes("0.4"))
    takes = [Take(first, kg(600)), Take(second, kg(400))]

    assert_refused(
        lambda: transformation(takes, [an_output(tonnes("1.000001"))]),
        RuleViolated,
        "mass_balance",
        first,
        second,
    )


def test_a_merge_taking_more_than_one_input_holds_is_refused_for_every_input() -> None:
    first = a_harvested_batch(quantity=kg(600))
    second = a_harvested_batch(quantity=kg(400))
    takes = [Take(first, kg(500)), Take(second, kg(401))]

    assert_refused(
        lambda: transformation(takes, [an_output(kg(900))]),
        RuleViolated,
        "mass_balance",
        first,
        second,
    )


def test_a_merge_of_kilograms_and_counts_is_refused() -> None:
    paddy = a_harvested_batch(quantity=kg(600))
    bags = a_harvested_batch(quantity=pieces(40))
    takes = [Take(paddy, kg(600)), Take(bags, pieces(40))]

    assert_refused(
        lambda: transformation(takes, [an_output(kg(600))]),
        RuleViolated,
        "units_not_convertible",
        paddy,
        bags,
    )


# Transform ---------------------------------------------------------------------------------------


def test_milling_may_lose_mass() -> None:
    paddy = a_harvested_batch(quantity=kg(1000))

    rice, bran = transformation(
        [Take(paddy, tonnes(1))], [an_output(kg(650)), an_output(kg(80), commodity="rice bran")]
    )

    assert paddy.status is BatchStatus.DEPLETED
    assert rice.quantity + bran.quantity == kg(730)
    assert rice.holder_id == THE_COOPERATIVE


def test_a_transformation_that_produces_more_mass_than_it_takes_is_refused() -> None:
    paddy = a_harvested_batch(quantity=kg(1000))
    outputs = [an_output(kg(450)), an_output(kg(51))]

    assert_refused(
        lambda: transformation([Take(paddy, kg(500))], outputs), RuleViolated, "mass_balance", paddy
    )


def test_outputs_that_mix_kilograms_and_counts_are_refused() -> None:
    paddy = a_harvested_batch(quantity=kg(1000))
    outputs = [an_output(kg(100)), an_output(pieces(10))]

    assert_refused(
        lambda: transformation([Take(paddy, kg(500))], outputs),
        RuleViolated,
        "units_not_convertible",
        paddy,
    )


def test_packing_into_bags_without_a_declared_conversion_is_refused() -> None:
    rice = a_harvested_batch(quantity=kg(100))

    assert_refused(
        lambda: transformation([Take(rice, kg(100))], [an_output(pieces(20))]),
        RuleViolated,
        "units_not_convertible",
        rice,
    )


def test_packing_into_bags_within_the_declared_conversion_is_accepted() -> None:
    rice = a_harvested_batch(quantity=tonnes("0.1"))

    (bags,) = transformation(
        [Take(rice, kg(100))], [an_output(pieces(20))], conversion=FIVE_KG_BAGS
    )

    assert bags.quantity == pieces(20)
    assert rice.status is BatchStatus.DEPLETED


def test_packing_more_bags_than_the_declared_conversion_allows_is_refused() -> None:
    rice = a_harvested_batch(quantity=kg(100))

    assert_refused(
        lambda: transformation(
            [Take(rice, kg(100))], [an_output(pieces(21))], conversion=FIVE_KG_BAGS
        ),
        RuleViolated,
        "mass_balance",
        rice,
    )


def test_a_conversion_declared_per_tonne_applies_to_kilograms_too() -> None:
    rice = a_harvested_batch(quantity=kg(100))
    two_hundred_bags_a_tonne = Conversion(Unit.TONNE, Unit.PIECE, Decimal(200))

    assert_refused(
        lambda: transformation(
            [Take(rice, kg(100))], [an_output(pieces(21))], conversion=two_hundred_bags_a_tonne
        ),
        RuleViolated,
        "mass_balance",
        rice,
    )


def test_a_conversion_between_other_units_than_the_transformation_s_is_refused() -> None:
    rice = a_harvested_batch(quantity=kg(100))
    litres_to_bottles = Conversion(Unit.LITRE, Unit.PIECE, Decimal(2))

    assert_refused(
        lambda: transformation(
            [Take(rice, kg(100))], [an_output(pieces(20))], conversion=litres_to_bottles
        ),
        RuleViolated,
        "units_not_convertible",
        rice,
    )


@pytest.mark.parametrize("factor", ["0", "-0.2"])
def test_a_conversion_factor_that_is_not_positive_is_refused(factor: str) -> None:
    rice = a_harvested_batch(quantity=kg(100))
    conversion = Conversion(Unit.KG, Unit.PIECE, Decimal(factor))

    assert_invalid(
        lambda: transformation(
            [Take(rice, kg(100))], [an_output(pieces(20))], conversion=conversion
        ),
        "conversion.factor",
        rice,
    )


def test_a_conversion_does_not_let_a_transformation_in_mass_grow() -> None:
    paddy = a_harvested_batch(quantity=kg(100))
    generous = Conversion(Unit.KG, Unit.TONNE, Decimal(5))

    assert_refused(
        lambda: transformation([Take(paddy, kg(100))], [an_output(kg(101))], conversion=generous),
        RuleViolated,
        "mass_balance",
        paddy,
    )


# A transformation is refused as a whole ----------------------------------------------------------


def test_a_refused_transformation_creates_no_output_batch() -> None:
    paddy = a_harvested_batch(quantity=kg(1000))
    outputs: list[Batch] = []

    def attempt() -> None:
        outputs.extend(transformation([Take(paddy, kg(500))], [an_output(kg(501))]))

    assert_refused(attempt, RuleViolated, "mass_balance", paddy)
    assert outputs == []
    assert saved(paddy).quantity == kg(1000)


def test_a_transformation_with_a_malformed_output_code_leaves_its_inputs_untouched() -> None:
    paddy = a_harvested_batch(quantity=kg(1000))
    malformed = Output(code="lô 7", commodity="rice", variety=None, quantity=kg(300))

    assert_invalid(lambda: transformation([Take(paddy, kg(500))], [malformed]), "code", paddy)


def test_a_transformation_with_a_blank_output_commodity_leaves_its_inputs_untouched() -> None:
    paddy = a_harvested_batch(quantity=kg(1000))
    blank = an_output(kg(300), commodity="  ")

    assert_invalid(lambda: transformation([Take(paddy, kg(500))], [blank]), "commodity", paddy)
