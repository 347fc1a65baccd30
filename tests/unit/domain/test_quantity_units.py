"""Quantities are exact positive decimals with a unit; mass converts between kg and t exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.domain.errors import RuleViolated
from shared.domain.quantities import Quantity, Unit

from .builders import assert_invalid, assert_refused, kg, pieces, tonnes


def test_a_quantity_is_an_exact_decimal_with_a_unit() -> None:
    quantity = Quantity.positive("12.345", "kg")

    assert quantity.amount == Decimal("12.345")
    assert quantity.unit is Unit.KG
    assert quantity.as_dict() == {"amount": "12.345", "unit": "kg"}
    assert Quantity.from_dict(quantity.as_dict()) == quantity


@pytest.mark.parametrize("amount", ["0", "0.000", "-1", "-0.001"])
def test_a_quantity_that_is_not_positive_is_refused(amount: str) -> None:
    assert_invalid(lambda: Quantity.positive(amount, "kg"), "quantity")


@pytest.mark.parametrize("amount", ["abc", "", "1,5", "NaN", "Infinity", "-inf", None])
def test_an_amount_that_is_not_a_finite_decimal_is_refused(amount: str | None) -> None:
    assert_invalid(lambda: Quantity.positive(amount, "kg"), "quantity")


@pytest.mark.parametrize("unit", ["kgs", "ton", "tấn", "KG", "", "litre"])
def test_an_unknown_unit_is_refused(unit: str) -> None:
    assert_invalid(lambda: Quantity.positive("1", unit), "quantity.unit")


def test_the_refused_field_names_the_quantity_being_entered() -> None:
    assert_invalid(
        lambda: Quantity.positive("1", "sacks", "committed_volume"), "committed_volume.unit"
    )


@pytest.mark.parametrize(
    ("in_tonnes", "in_kilograms"),
    [("1.234", "1234"), ("0.001", "1"), ("2.5", "2500"), ("0.000001", "0.001"), ("1", "1000")],
)
def test_tonnes_and_kilograms_convert_exactly(in_tonnes: str, in_kilograms: str) -> None:
    assert tonnes(in_tonnes).to(Unit.KG).amount == Decimal(in_kilograms)
    assert kg(in_kilograms).to(Unit.TONNE).amount == Decimal(in_tonnes)
    assert tonnes(in_tonnes).to(Unit.KG).unit is Unit.KG


def test_a_mass_in_tonnes_is_neither_more_nor_less_than_the_same_mass_in_kilograms() -> None:
    assert not tonnes("1.234").exceeds(kg("1234"))
    assert not kg("1234").exceeds(tonnes("1.234"))
    assert (tonnes("1.234") - kg("1234")).is_zero()


def test_one_gram_more_is_more() -> None:
    assert kg("1234.001").exceeds(tonnes("1.234"))
    assert tonnes("1.234001").exceeds(kg("1234"))


def test_adding_kilograms_to_tonnes_counts_in_tonnes() -> None:
    total = tonnes("1") + kg("234")

    assert total.unit is Unit.TONNE
    assert total.amount == Decimal("1.234")


@pytest.mark.parametrize(
    "count", [pieces(10), Quantity.positive("3", "bundle"), Quantity.positive("5", "L")]
)
def test_a_count_or_a_volume_does_not_convert_to_a_mass(count: Quantity) -> None:
    assert_refused(lambda: count.to(Unit.KG), RuleViolated, "units_not_convertible")
    assert not count.commensurable_with(kg(1))


def test_a_mass_does_not_convert_to_a_count() -> None:
    assert_refused(lambda: kg(10).to(Unit.PIECE), RuleViolated, "units_not_convertible")


def test_adding_a_count_to_a_mass_is_refused() -> None:
    assert_refused(lambda: kg(10) + pieces(1), RuleViolated, "units_not_convertible")


@given(st.decimals(min_value=Decimal("0.001"), max_value=Decimal("10000000"), places=3))
def test_kilograms_converted_to_tonnes_and_back_are_unchanged(amount: Decimal) -> None:
    quantity = Quantity(amount, Unit.KG)

    there_and_back = quantity.to(Unit.TONNE).to(Unit.KG)

    assert there_and_back.amount == amount
    assert not there_and_back.exceeds(quantity)
    assert not quantity.exceeds(there_and_back)


def test_a_converted_quantity_is_written_in_plain_digits() -> None:
    converted = tonnes("1").to(Unit.KG)

    assert str(converted) == "1000 kg"
    assert converted.as_dict() == {"amount": "1000", "unit": "kg"}
