"""Quantities are exact decimals with a unit; mass converts between kg and t exactly."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from shared.domain.errors import InvalidValue, RuleViolated


class Unit(StrEnum):
    KG = "kg"
    TONNE = "t"
    PIECE = "piece"
    BUNDLE = "bundle"
    LITRE = "L"


_KG_PER_UNIT = {Unit.KG: Decimal(1), Unit.TONNE: Decimal(1000)}


def parse_unit(value: str, field: str = "unit") -> Unit:
    try:
        return Unit(value)
    except ValueError:
        allowed = ", ".join(u.value for u in Unit)
        msg = f"unknown unit {value!r}; use one of {allowed}"
        params = {"field": field, "value": value, "allowed": allowed}
        raise InvalidValue(field, msg, code="unknown_choice", params=params) from None


def parse_amount(value: object, field: str = "quantity") -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        msg = f"{value!r} is not a decimal number"
        raise InvalidValue(field, msg, code="not_a_number", params={"value": value}) from None
    if not amount.is_finite():
        msg = f"{value!r} is not a finite number"
        raise InvalidValue(field, msg, code="not_a_number", params={"value": value})
    return amount


def _plain(amount: Decimal) -> Decimal:
    """Drops trailing zeros without switching to exponent notation (1000, not 1E+3)."""
    amount = amount.normalize()
    return amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount


@dataclass(frozen=True)
class Quantity:
    amount: Decimal
    unit: Unit

    @classmethod
    def of(cls, amount: object, unit: str, field: str = "quantity") -> Quantity:
        return cls(parse_amount(amount, field), parse_unit(unit, f"{field}.unit"))

    @classmethod
    def positive(cls, amount: object, unit: str, field: str = "quantity") -> Quantity:
        quantity = cls.of(amount, unit, field)
        if quantity.amount <= 0:
            msg = f"{field} must be positive, got {quantity}"
            params = {"quantity": str(quantity)}
            raise InvalidValue(field, msg, code="quantity_not_positive", params=params)
        return quantity

    def is_mass(self) -> bool:
        return self.unit in _KG_PER_UNIT

    def commensurable_with(self, other: Quantity) -> bool:
        return self.unit == other.unit or (self.is_mass() and other.is_mass())

    def to(self, unit: Unit) -> Quantity:
        """Converts exactly between mass units; any other change of unit is refused."""
        if unit == self.unit:
            return self
        if self.is_mass() and unit in _KG_PER_UNIT:
            kg = self.amount * _KG_PER_UNIT[self.unit]
            return Quantity(_plain(kg / _KG_PER_UNIT[unit]), unit)
        msg = f"{self.unit.value} cannot be converted to {unit.value}: declare a conversion"
        params = {"unit": self.unit.value, "other_unit": unit.value}
        raise RuleViolated(msg, code="units_not_convertible", params=params)

    def __add__(self, other: Quantity) -> Quantity:
        return Quantity(self.amount + other.to(self.unit).amount, self.unit)

    def __sub__(self, other: Quantity) -> Quantity:
        return Quantity(self.amount - other.to(self.unit).amount, self.unit)

    def exceeds(self, other: Quantity) -> bool:
        return self.amount > other.to(self.unit).amount

    def is_zero(self) -> bool:
        return self.amount == 0

    def as_dict(self) -> dict[str, str]:
        return {"amount": str(self.amount), "unit": self.unit.value}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Quantity:
        return cls(Decimal(data["amount"]), Unit(data["unit"]))

    def __str__(self) -> str:
        return f"{self.amount} {self.unit.value}"
